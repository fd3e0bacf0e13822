"""What this app adds to the places app's pages (registered from apps.py)."""

from web import sections

from .models import SelfOrganization


def community_self_organizations(*, community, **kwargs) -> dict:
    return {"self_organizations": list(SelfOrganization.objects.filter(community=community).order_by("name"))}


def register() -> None:
    sections.register(page="community_detail", slot="main", template="organizations/_community_selforgs.html",
                      context=community_self_organizations)
