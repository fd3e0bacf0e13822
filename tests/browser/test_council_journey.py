"""On a phone: the tenth resident co-signs → the party organisation accepts → a member
scans the meeting's QR code and the quorum is reached → a secret vote → the result is
published and the resident sees it at home. Members and the other signatures are set up
through the services; the key steps are driven in the browser."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.models import Meeting, Proposal, Vote
from tests.browser.conftest import new_context
from tests.conftest import PASSWORD
from tests.councils.conftest import check_in, world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_login(browser, live_server, username, password="test-pass-123", phone=True):
    options = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True} if phone else {}
    context = new_context(browser, **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/")
    return context, page


def test_residents_proposal_to_published_result_on_a_phone(browser, live_server, cast, world,  # noqa: F811
                                                           screenshots_dir):
    proposal = services.proposal_raise(actor=world.others[0].user, council=world.council, route="residents",
                                       title="3 号院增设充电棚", body="楼道充电有火灾隐患。")
    for resident in world.others[1:9]:
        services.proposal_cosign(actor=resident.user, proposal=proposal)

    # The tenth resident co-signs on their phone, from the resident home.
    resident_ctx, phone = phone_login(browser, live_server, world.others[9].user.username)
    phone.get_by_role("link", name=re.compile("3 号院增设充电棚")).first.click()
    assert "9 / 10" in phone.locator("#cosign-count").inner_text()
    phone.get_by_role("button", name="我要联名").click()
    assert "10 / 10" in phone.locator("#cosign-count").inner_text()
    assert phone.locator("#proposal-status").inner_text() == "党组织审查中"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The party organisation accepts it onto the agenda.
    staff_ctx, staff = phone_login(browser, live_server, "community", password=PASSWORD, phone=False)
    staff.goto(live_server.url + reverse("councils:proposal_detail", args=[proposal.pk]))
    staff.get_by_role("link", name="同意列为正式议题").click()
    staff.get_by_role("button", name="确认同意列为正式议题").click()
    assert staff.locator("#proposal-status").inner_text() == "已列为正式议题"

    # A meeting with 16 of 21 checked in; the 17th member scans the QR code on a phone.
    meeting = services.meeting_call(actor=cast["community"], council=world.council, title="第三季度议事会",
                                    starts_at=timezone.now(), location="社区活动室",
                                    proposals=[Proposal.objects.get(pk=proposal.pk)])
    services.meeting_open(actor=cast["community"], meeting=meeting)
    check_in(cast, meeting, world.members[1:17])
    member_ctx, member = phone_login(browser, live_server, world.members[0].user.username)
    member.goto(live_server.url + reverse("councils:meeting_scan", args=[meeting.pk, meeting.checkin_token]))
    member.get_by_role("button", name="确认签到").click()
    assert member.locator("#quorum-state").inner_text() == "已达法定人数"
    assert "17 / 21" in member.locator("#quorum").inner_text()

    # A secret vote: sixteen vote through the service, the phone member in the browser.
    vote = services.vote_prepare(actor=cast["community"], meeting=Meeting.objects.get(pk=meeting.pk),
                                 proposal=Proposal.objects.get(pk=proposal.pk))
    services.vote_open(actor=cast["community"], vote=vote)
    for n, resident in enumerate(world.members[1:17]):
        services.ballot_cast(actor=resident.user, vote=vote, choice="yes" if n < 11 else "no")
    member.goto(live_server.url + "/")
    member.get_by_role("link", name="3 号院增设充电棚").first.click()
    member.get_by_label("赞成").check()
    member.get_by_role("button", name="投票").click()
    assert member.get_by_text("您已投票。").is_visible()
    member.screenshot(path=f"{screenshots_dir}/council_vote_phone.png", full_page=True)

    # The chair's side closes the vote; the tally appears only now; the result is published.
    staff.goto(live_server.url + reverse("councils:vote_detail", args=[vote.pk]))
    assert staff.locator("#vote-result").count() == 0
    staff.get_by_role("link", name="结束投票并计票").click()
    staff.get_by_role("button", name="确认结束投票并计票").click()
    assert staff.locator("#vote-result").inner_text() == "通过"
    assert Vote.objects.get(pk=vote.pk).yes == 12
    staff.goto(live_server.url + reverse("councils:proposal_detail", args=[proposal.pk]))
    staff.get_by_role("link", name="公示表决结果").click()
    staff.get_by_role("button", name="确认公示表决结果").click()
    assert staff.locator("#proposal-status").inner_text() == "结果已公示"

    phone.goto(live_server.url + "/")
    assert phone.get_by_role("link", name=re.compile("3 号院增设充电棚 · 通过")).is_visible()
    phone.screenshot(path=f"{screenshots_dir}/resident_home_phone.png", full_page=True)
    for context in (resident_ctx, staff_ctx, member_ctx):
        context.close()
