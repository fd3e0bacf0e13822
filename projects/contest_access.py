"""Who sees and runs community contests (built on projects.access and places.access).

- A contest (a FundingRound of kind "contest") is seen by the staff covering its
  community and by the community's registered residents; outside that, 404.
- Its community's own staff (and admins) run it: create, screen, decide; the same
  staff keep the community's review committees.
- Its results (winners and amounts, never individual scores or reviewers) are public:
  no login needed.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from places.access import scope_for
from residents.access import community_life_q, resident_profile
from web.access import get_in_scope

from . import access
from .models import Application, CommitteeMember, FundingRound, ReviewCommittee

CONTEST = FundingRound.Kind.CONTEST


def contests_for_user(user) -> QuerySet[FundingRound]:
    q = community_life_q(user, "")
    if q is None:
        return FundingRound.objects.none()
    return FundingRound.objects.filter(q, kind=CONTEST)


def get_contest_for_user(user, pk) -> FundingRound:
    return get_in_scope(contests_for_user(user).select_related("community__street", "committee", "review_form"),
                        pk, _("未找到该微创投大赛，或不在您的范围内。"))


def get_contest_for_management(user, pk) -> FundingRound:
    contest = get_contest_for_user(user, pk)
    if not access.can_manage_round(user, contest):
        raise PermissionDenied(_("只有本社区工作人员可以管理本次大赛。"))
    return contest


def get_contest_for_public(pk) -> FundingRound:
    """The results page: any contest, for anyone."""
    return get_in_scope(FundingRound.objects.filter(kind=CONTEST).select_related("community__street", "committee"),
                        pk, _("未找到该微创投大赛。"))


def can_run_in(user, community_id: int) -> bool:
    scope = scope_for(user)
    return scope.is_admin or community_id in scope.community_ids


def get_contest_for_applying(user, pk) -> FundingRound:
    contest = get_contest_for_user(user, pk)
    profile = resident_profile(user)
    if (profile is None or profile.community_id != contest.community_id) and not \
            contest.community.self_organizations.filter(member_accounts=user).exists():
        raise PermissionDenied(_("只有本社区的居民可以申报。"))
    return contest


def contest_applications_for_user(user) -> QuerySet[Application]:
    return access.applications_for_user(user).filter(round__kind=CONTEST)


def get_contest_application_for_user(user, pk) -> Application:
    return get_in_scope(
        contest_applications_for_user(user).select_related("round__community", "community", "courtyard",
                                                           "self_organization", "contest_grant"),
        pk, _("未找到该微创投申报，或不在您的范围内。"))


def get_contest_application_for_management(user, pk) -> Application:
    application = get_contest_application_for_user(user, pk)
    if not access.can_manage_round(user, application.round):
        raise PermissionDenied(_("只有本社区工作人员可以审查和作出结论。"))
    return application


def committees_for_user(user) -> QuerySet[ReviewCommittee]:
    q = community_life_q(user, "")
    if q is None:
        return ReviewCommittee.objects.none()
    return ReviewCommittee.objects.filter(q)


def get_committee_for_user(user, pk) -> ReviewCommittee:
    return get_in_scope(committees_for_user(user).select_related("community"), pk,
                        _("未找到该评审会，或不在您的范围内。"))


def get_committee_for_management(user, pk) -> ReviewCommittee:
    committee = get_committee_for_user(user, pk)
    if not can_run_in(user, committee.community_id):
        raise PermissionDenied(_("只有本社区工作人员可以管理评审会。"))
    return committee


def get_member_for_management(user, committee: ReviewCommittee, pk) -> CommitteeMember:
    return get_in_scope(committee.members.select_related("user"), pk, _("未找到该成员。"))
