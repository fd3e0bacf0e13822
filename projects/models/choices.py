"""Value lists the projects models share: money fields, the five dimensions of community
building, leverage points and needs-assessment methods."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class Dimension(models.TextChoices):
    """人 文 地 景 产 (seed 001)."""

    PEOPLE = "people", _("人")
    CULTURE = "culture", _("文")
    PLACE = "place", _("地")
    LANDSCAPE = "landscape", _("景")
    LIVELIHOOD = "livelihood", _("产")


DIMENSION_FIELDS = {d.value: f"dim_{d.value}" for d in Dimension}


class LeveragePoint(models.TextChoices):
    """The six 支点 (seed 003)."""

    SERVICES = "services", _("服务需求")
    PUBLIC_AFFAIRS = "public_affairs", _("公共事务")
    PUBLIC_SPACE = "public_space", _("公共空间")
    ENVIRONMENT = "environment", _("生态环境")
    INDUSTRY = "industry", _("社区产业")
    CULTURE = "culture", _("社区文化")


class NeedsMethod(models.TextChoices):
    HOME_VISITS = "home_visits", _("入户走访")
    DOCUMENT_ANALYSIS = "document_analysis", _("资料分析")
    COURTYARD_MEETING = "courtyard_meeting", _("坝坝会")
    SURVEY = "survey", _("问卷调查")
    OTHER = "other", _("其他")
