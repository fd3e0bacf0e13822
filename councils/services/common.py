"""Checks every council service shares: who keeps the councils, plausible dates."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .. import access


def _require_keeper(actor, community_id: int) -> None:
    if not access.can_keep_councils(actor, community_id):
        raise PermissionDenied(_("只有本社区工作人员可以办理议事会事务。"))


def _plausible(day: datetime.date, field: str) -> None:
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        raise ValidationError({field: _("请填写 2000—2100 年之间的日期。")})
