"""Residents as users. A resident belongs to one community and one household, and
optionally to a courtyard and a resident group. Being a resident grants no staff scope
(places.access.PlaceScope knows nothing of residents): what a resident may see is
decided by `residents.access`, built on this profile."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Resident(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT,
                                related_name="resident")
    community = models.ForeignKey("places.Community", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="residents")
    household = models.ForeignKey("places.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="residents")
    courtyard = models.ForeignKey("places.Courtyard", verbose_name=_("院落/小区"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="residents")
    group = models.ForeignKey("places.ResidentGroup", verbose_name=_("居民小组"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="residents")
    is_cadre = models.BooleanField(_("社区或小组干部"), default=False,
                                   help_text=_("议事会中干部席位不超过一半，按此计算。"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["community", "household__number", "pk"]

    def __str__(self):
        return str(self.user)
