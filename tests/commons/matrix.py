"""The commons' rows of the permission matrix (tests/test_permission_matrix.py merges
them) and the objects they open: a courtyard of 高桥社区 with its organisation, a
member, an activity with a photo, and the community fund. Staff covering 高桥 read them
(三有一公开); only its community staff and admins keep them; everyone else gets 404."""

from decimal import Decimal

from django.utils import timezone

from tests import files
from tests.conftest import ROLES

VISIBLE = ("admin", "city_bureau", "district_bureau", "street", "community")


def row(*, visible, anonymous=302, **statuses):
    result = {role: 404 for role in ROLES}
    result.update({role: visible for role in VISIBLE})
    result.update(statuses)
    result["anonymous"] = anonymous
    return result


KEEP = dict(admin=200, community=200)

COMMONS_EXPECTED = {
    "commons:home": (None, {**{role: 200 for role in ROLES}, "anonymous": 302}),
    "commons:courtyard_detail": ("cy", row(visible=200)),
    "commons:courtyard_accounts": ("cy", row(visible=200)),
    "commons:body_edit": ("cy", row(visible=403, **KEEP)),
    "commons:member_add": ("cy", row(visible=403, **KEEP)),
    "commons:compact_adopt": ("cy", row(visible=403, **KEEP)),
    "commons:activity_add": ("cy", row(visible=403, **KEEP)),
    "commons:entry_add": ("cy", row(visible=403, **KEEP)),
    "commons:activity_photo": ("cy_activity", row(visible=200)),
    "commons:fund_detail": ("cy_fund", row(visible=200)),
    "commons:grant_add": ("cy_fund", row(visible=403, **KEEP)),
    "commons:donation_add": ("cy_community", row(visible=403, **KEEP)),
    "api:courtyard-list": (None, {**{role: 200 for role in ROLES}, "anonymous": 401}),
    "api:courtyard-detail": ("cy", row(visible=200, anonymous=401)),
    "api:community-fund-list": (None, {**{role: 200 for role in ROLES}, "anonymous": 401}),
    "api:community-fund-detail": ("cy_fund", row(visible=200, anonymous=401)),
    # The member leaves (302 back to the courtyard).
    "commons:member_leave": ("cy_member", row(visible=403, admin=302, community=302), "post"),
    # API writes, posted empty: keepers get the field errors (400), readers 403, others 404.
    "api:courtyard-body": ("cy", row(visible=403, admin=400, community=400, anonymous=401), "post"),
    "api:courtyard-members": ("cy", row(visible=403, admin=400, community=400, anonymous=401), "post"),
    "api:courtyard-compact": ("cy", row(visible=403, admin=400, community=400, anonymous=401), "post"),
    "api:courtyard-activities": ("cy", row(visible=403, admin=400, community=400, anonymous=401), "post"),
    "api:courtyard-entries": ("cy", row(visible=403, admin=400, community=400, anonymous=401), "post"),
    "api:courtyard-member-leave": ("cy_member_api", row(visible=403, admin=200, community=200, anonymous=401),
                                   "post"),
    "api:community-fund-grants": ("cy_fund", row(visible=403, admin=400, community=400, anonymous=401), "post"),
    # The community is in the body: whoever keeps some community's commons gets 400 for
    # an empty one, everyone else 403.
    "api:community-fund-donations": (None, {**{role: 403 for role in ROLES}, "admin": 400, "community": 400,
                                            "other_community": 400, "anonymous": 401}, "post"),
}


def commons_url_kwargs(*, cast, places) -> dict:
    from commons import services
    from tests.commons.conftest import build_commons

    world = build_commons(cast, places)
    staff, today = world.staff, timezone.localdate()
    services.body_save(actor=staff, courtyard=world.courtyard, name="铁门院落自治小组")
    member = services.member_add(actor=staff, courtyard=world.courtyard, name="李", role="member", joined_on=today)
    # The page and the API each make one member leave.
    other = services.member_add(actor=staff, courtyard=world.courtyard, name="王", role="member", joined_on=today)
    activity = services.activity_add(actor=staff, courtyard=world.courtyard, held_on=today, title="清洁日",
                                     participants=20, photo=files.jpeg())
    entry = services.donation_record(actor=staff, community=places.gaoqiao, donor=world.enterprise,
                                     amount=Decimal("100"), entry_on=today)
    return {
        "cy": {"pk": world.courtyard.pk},
        "cy_activity": {"pk": activity.pk},
        "cy_member": {"pk": member.pk},
        "cy_member_api": {"pk": world.courtyard.pk, "member_pk": other.pk},
        "cy_fund": {"pk": entry.fund_id},
        "cy_community": {"pk": places.gaoqiao.pk},
    }
