"""档案归集, the ninth step: the year's cycle as one PDF — notice, opinion collection
with its turnout, discussion, decision and its publicity, hearing, items and spending,
supervision, evaluation. Staff request it (a row change, audited); a Celery task builds
it with WeasyPrint after the request commits; it leaves through the permission-checked
download (web.uploads.file_response)."""

import logging

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit

from . import access, selectors
from .models import YearFund

logger = logging.getLogger(__name__)
S = YearFund.Status
DOSSIER_STATES = (S.ARCHIVING, S.ARCHIVED)


def enqueue(fund_id: int) -> bool:
    try:
        current_app.tasks["publicfunds.tasks.build_dossier"].delay(fund_id)
    except Exception:  # broker unreachable: the request row stays, the sweep builds it later
        logger.warning("dossier %s: broker unreachable, left for the sweep", fund_id, exc_info=True)
        return False
    return True


@transaction.atomic
def dossier_request(*, actor, fund: YearFund) -> YearFund:
    fund = YearFund.objects.select_for_update().get(pk=fund.pk)
    if not access.can_keep(actor, fund.community_id):
        raise PermissionDenied(_("只有本社区工作人员可以生成档案。"))
    if fund.status not in DOSSIER_STATES:
        raise ValidationError(_("到“档案归集”环节才能生成档案 PDF。"))
    YearFund.objects.filter(pk=fund.pk).update(dossier_requested_at=timezone.now())
    fund.refresh_from_db()
    audit.record(actor=actor, obj=fund, action="public_fund.dossier_request")
    transaction.on_commit(lambda: enqueue(fund.pk))
    return fund


def dossier_context(fund: YearFund) -> dict:
    collections = [(c, selectors.turnout(c), selectors.tallies(c)) for c in fund.collections.order_by("opens_on")]
    return {
        "fund": fund, "collections": collections,
        "items": list(fund.items.select_related("project", "execution__proposal")),
        "spendings": list(fund.spendings.select_related("item").order_by("spent_on", "pk")),
        "built_at": timezone.localtime(),
    }


def dossier_build(*, fund_id: int) -> bool:
    """Render and store the PDF; nothing to do when no request is newer than the last build."""
    from weasyprint import HTML

    fund = YearFund.objects.select_related("community__street", "discussion_meeting", "rule").filter(
        pk=fund_id).first()
    if fund is None or fund.dossier_requested_at is None or (
            fund.dossier_built_at and fund.dossier_built_at >= fund.dossier_requested_at):
        return False
    pdf = HTML(string=render_to_string("publicfunds/dossier_pdf.html", dossier_context(fund))).write_pdf()
    old = fund.dossier.name
    fund.dossier.save(f"{fund.community.code}-{fund.year}-dossier.pdf", ContentFile(pdf), save=False)
    YearFund.objects.filter(pk=fund.pk).update(dossier=fund.dossier.name, dossier_built_at=timezone.now())
    if old and old != fund.dossier.name:
        fund.dossier.storage.delete(old)
    return True


def sweep_dossiers() -> int:
    pending = YearFund.objects.filter(dossier_requested_at__isnull=False).filter(
        Q(dossier_built_at__isnull=True) | Q(dossier_built_at__lt=F("dossier_requested_at")))
    return sum(1 for pk in pending.values_list("pk", flat=True)[:50] if dossier_build(fund_id=pk))
