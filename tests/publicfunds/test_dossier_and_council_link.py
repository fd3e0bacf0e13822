"""档案归集 as a PDF built after commit, and items linked to the council's decisions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from publicfunds import dossier, services
from publicfunds.models import YearFund

from .conftest import _eager_celery, advance_to_implementing, make_meeting  # noqa: F401


def make_execution(meeting, staff, community=None):
    """A council decision's execution item (built directly: councils' own rules are tested in tests/councils)."""
    from councils.models import ExecutionItem, Proposal

    proposal = Proposal.objects.create(council=meeting.council, title="加装充电棚", body="3 号院", route="party",
                                       proposer=staff)
    return ExecutionItem.objects.create(proposal=proposal, description="施工", owner="居委会",
                                        due_on=datetime.date(2030, 1, 1), created_by=staff)


def test_item_links_to_a_council_execution_of_its_own_community(fund_world, collecting, places, cast):
    meeting = make_meeting(places.gaoqiao, fund_world.staff)
    fund = advance_to_implementing(fund_world, collecting, meeting)
    execution = make_execution(meeting, fund_world.staff)
    item = services.item_add(actor=fund_world.staff, fund=fund, title="充电棚", use="facilities",
                             budget=Decimal("1000"), execution=execution)
    assert item.execution == execution and list(execution.fund_items.all()) == [item]
    other = make_execution(make_meeting(places.nanqiao, fund_world.staff), fund_world.staff)
    with pytest.raises(ValidationError) as exc:
        services.item_add(actor=fund_world.staff, fund=fund, title="别处", use="other", budget=Decimal("1"),
                          execution=other)
    assert "execution" in exc.value.error_dict


def _to_archiving(world, collecting, places):
    staff = world.staff
    fund = advance_to_implementing(world, collecting, make_meeting(places.gaoqiao, staff))
    item = services.item_add(actor=staff, fund=fund, title="充电棚", use="facilities", budget=Decimal("3000"))
    services.spend(actor=staff, item=item, amount=Decimal("1200"), voucher="V-1", spent_on=timezone.localdate(),
                   purpose="材料")
    fund = services.fund_step(actor=staff, fund=fund, name="supervise")
    fund = services.evidence_save(actor=staff, fund=fund, supervision_record="监督委员会查验票据")
    fund = services.fund_step(actor=staff, fund=fund, name="evaluate")
    fund = services.evidence_save(actor=staff, fund=fund, evaluation="居民满意")
    return services.fund_step(actor=staff, fund=fund, name="archive")


def test_dossier_is_refused_before_the_ninth_step(fund_world, cast):
    with pytest.raises(ValidationError, match="档案归集"):
        dossier.dossier_request(actor=fund_world.staff, fund=fund_world.fund)
    with pytest.raises(PermissionDenied):
        dossier.dossier_request(actor=cast["street"], fund=fund_world.fund)


def test_dossier_pdf_is_built_after_commit_and_served_checked(fund_world, collecting, places, cast, client,
                                                             _eager_celery, settings, tmp_path,
                                                             django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    fund = _to_archiving(fund_world, collecting, places)
    client.force_login(fund_world.staff)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("publicfunds:dossier_request", args=[fund.pk]))
    assert response.status_code == 302 and len(queued) == 1
    fund = YearFund.objects.get(pk=fund.pk)
    assert fund.dossier and fund.dossier_built_at >= fund.dossier_requested_at
    download = client.get(reverse("publicfunds:dossier_download", args=[fund.pk]))
    body = b"".join(download.streaming_content)
    assert download.status_code == 200 and body.startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    # Idempotent: a second build with no new request does nothing.
    assert dossier.dossier_build(fund_id=fund.pk) is False
    client.force_login(cast["other_community"])
    assert client.get(reverse("publicfunds:dossier_download", args=[fund.pk])).status_code == 404


def test_dossier_context_holds_the_whole_cycle(fund_world, collecting, places):
    fund = _to_archiving(fund_world, collecting, places)
    context = dossier.dossier_context(fund)
    html = render_to_string("publicfunds/dossier_pdf.html", context)
    for text in ("征集意见", "纪要", "方案", "听证", "充电棚", "V-1", "监督委员会查验票据", "居民满意", "参与"):
        assert text in html, text
