"""Bounds on what anyone may type, shared by models, forms, serializers and services (#13).

Every input is bounded by what is plausible, so nothing implausible is stored and nothing
overflows later (a 2^31 participant count once crashed acceptance on PostgreSQL)."""
import datetime

TEXT_MAX_LENGTH = 5000
# People reached by one activity; a project's running totals stay far below 2^31.
PARTICIPANTS_MAX = 100_000
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
# The longest a project may run (5 years), which also bounds its reporting periods.
PROJECT_MAX_DAYS = 5 * 366


def plausible_date(value: datetime.date) -> None:
    """A date between 2000 and 2100: 9999-12-31 once overflowed on approval."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if value is not None and not (DATE_MIN <= value <= DATE_MAX):
        raise ValidationError(_("日期应在 %(a)s 至 %(b)s 之间。") % {"a": DATE_MIN.year, "b": DATE_MAX.year},
                              code="implausible_date")
