"""Who files for a contest applicant: the members (with an account) of the applying
residents' self-organisation, or the registered residents of the applying courtyard.
projects.access asks this for contest applications (organisation-less ones)."""

from django.db.models import Q

from residents.access import resident_profile


def contest_applicant_q(user, prefix: str = "") -> Q:
    """Applications (reached through `prefix`) the user files for as a group member or resident."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(**{f"{prefix}self_organization__member_accounts": user})
    profile = resident_profile(user)
    if profile is not None and profile.courtyard_id:
        q |= Q(**{f"{prefix}courtyard_id": profile.courtyard_id})
    return q


def is_contest_applicant(user, application) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if application.self_organization_id:
        return application.self_organization.member_accounts.filter(pk=user.pk).exists()
    if application.courtyard_id:
        profile = resident_profile(user)
        return profile is not None and profile.courtyard_id == application.courtyard_id
    return False
