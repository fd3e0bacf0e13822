from django.db.models import QuerySet

from .access import organizations_for_user
from .models import Membership, Organization


def organization_list(*, user) -> QuerySet[Organization]:
    return organizations_for_user(user).select_related("region").order_by("name", "pk")


def member_list(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("-position", "user__username")
