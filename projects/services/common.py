"""Helpers the funding and progress services share. Both build on this module; it
imports neither, so the two service modules do not import each other."""

from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from organizations.models import Membership

from ..models import Application, FundingRound


def yuan(amount: Decimal) -> str:
    return _("%(amount)s 元") % {"amount": f"{amount:,.2f}"}


def round_managers(funding_round: FundingRound) -> list[User]:
    """Bureau staff of the round's funder: they screen and decide."""
    assignments = RoleAssignment.objects.filter(role=Role.BUREAU, region_id=funding_round.funder_id)
    return [a.user for a in assignments.select_related("user")]


def applicant_staff(application: Application) -> list[User]:
    return [
        m.user for m in Membership.objects.filter(organization_id=application.organization_id).select_related("user")
    ]
