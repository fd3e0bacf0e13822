"""A funded project's life: signing the agreement, adjusting the budget, closing,
reopening or terminating it, and paying (or reversing) its tranches."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit

from .. import access, gates
from ..models import (
    ApplicationRevision,
    BudgetLine,
    Disbursement,
    Project,
    Tranche,
)
from ..revisions import snapshot
from ..workflows import project_machine
from .applications import BUDGET_LINE_FIELDS
from .common import yuan
from .progress import progress_schedule


@transaction.atomic
def agreement_sign(*, project: Project, actor: User, signed_on: datetime.date) -> Project:
    project = Project.objects.select_related("round").get(pk=project.pk)
    if project.agreement_signed_on:
        raise ValidationError(_("协议已于 %(d)s 登记。") % {"d": project.agreement_signed_on})
    project = project_machine.fire(project, "sign_agreement", actor=actor, context={"signed_on": signed_on},
                                   updates={"agreement_signed_on": signed_on},
                                   data={"signed_on": signed_on.isoformat() if signed_on else None})
    _schedule_reports(project)
    return project


def needs_budget_adjustment(project: Project) -> bool:
    """Approved for less than the budget lines add up to, and not yet signed."""
    if project.status != Project.Status.AGREEMENT:
        return False
    total = project.application.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return total != project.approved_amount


@transaction.atomic
def budget_adjust(*, project: Project, actor: User, budget_lines: list[dict]) -> Project:
    """预算调整: before the agreement, the agency fits its budget lines to the approved
    amount. The submitted budget stays in the application's revisions; the adjusted one
    becomes a new revision, so both can be read and compared."""
    project = Project.objects.select_for_update().select_related("application").get(pk=project.pk)
    if not access.is_project_agency(actor, project):
        raise PermissionDenied(_("只有执行机构的工作人员可以调整预算。"))
    if project.status != Project.Status.AGREEMENT:
        raise ValidationError(_("协议已登记，预算不能再调整。"))
    lines = [BudgetLine(application=project.application, order=i,
                        **{k: line.get(k) for k in BUDGET_LINE_FIELDS if line.get(k) is not None})
             for i, line in enumerate(budget_lines)]
    for line in lines:
        line.full_clean(exclude=["application"])
    total = sum((line.amount for line in lines), Decimal("0"))
    if total != project.approved_amount:
        raise ValidationError(_("调整后的预算合计 %(t)s，须等于立项金额 %(a)s。") % {
            "t": yuan(total), "a": yuan(project.approved_amount)})
    application = project.application
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(lines)
    number = application.revisions.count() + 1
    ApplicationRevision.objects.create(application=application, number=number, content=snapshot(application),
                                       created_by=actor)
    audit.record(actor=actor, obj=project, action="project.budget_adjust",
                 data={"total": str(total), "revision": number})
    return project


@transaction.atomic
def project_close(*, project: Project, actor: User, reason: str = "") -> Project:
    """结项: every started period accepted; no more filing or payments after it."""
    return project_machine.fire(project, "close", actor=actor, reason=reason)


@transaction.atomic
def project_reopen(*, project: Project, actor: User, reason: str) -> Project:
    return project_machine.fire(project, "reopen", actor=actor, reason=reason)


@transaction.atomic
def project_terminate(*, project: Project, actor: User, reason: str) -> Project:
    """Only the evaluation's termination decision calls this (the transition has no button)."""
    return project_machine.fire(project, "terminate", actor=actor, reason=reason, system=True)


def _schedule_reports(project: Project) -> None:
    # The reporting periods run from the agreement.
    progress_schedule(project=project)


@transaction.atomic
def disbursement_record(*, project: Project, tranche: Tranche, amount: Decimal, paid_on: datetime.date,
                        voucher_number: str, actor: User) -> Disbursement:
    """Record a payment against a tranche. The project row is locked, so the running
    total can never pass the approved amount; the same voucher submitted twice pays
    once (the second call returns the first record)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not access.can_manage_round(actor, project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以登记拨付。"))
    voucher_number = voucher_number.strip()
    if not voucher_number:
        raise ValidationError({"voucher_number": _("请填写凭证号。")})
    existing = project.disbursements.filter(voucher_number=voucher_number).first()
    if existing:
        if existing.amount == amount and existing.tranche_id == tranche.pk:
            return existing
        raise ValidationError({"voucher_number": _("凭证号 %(v)s 已登记过一笔 %(a)s 的拨付。") % {
            "v": voucher_number, "a": yuan(existing.amount)}})
    if tranche.project_id != project.pk:
        raise ValidationError({"tranche": _("拨付批次不属于该项目。")})
    # A closed project (结项) still receives what is due to it, the final tranche above all.
    if project.status not in (Project.Status.ACTIVE, Project.Status.CLOSED):
        raise ValidationError(_("项目状态为“%(s)s”，不能再拨付。") % {"s": project.get_status_display()})
    if not project.agreement_signed_on:
        raise ValidationError(_("尚未登记协议签订，不能拨付。"))
    gate = gates.refusal(project, tranche)
    if gate:
        raise ValidationError({"tranche": gate})
    if amount <= 0:
        raise ValidationError({"amount": _("拨付金额须大于 0。")})
    paid_in_tranche = tranche.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if paid_in_tranche + amount > tranche.amount:
        raise ValidationError({"amount": _("超出本批次金额：本批次 %(t)s，已拨 %(p)s，本次 %(a)s。") % {
            "t": yuan(tranche.amount), "p": yuan(paid_in_tranche), "a": yuan(amount)}})
    if project.disbursed_amount + amount > project.approved_amount:
        raise ValidationError({"amount": _("超出立项金额：立项 %(t)s，已拨 %(p)s，本次 %(a)s。") % {
            "t": yuan(project.approved_amount), "p": yuan(project.disbursed_amount), "a": yuan(amount)}})
    try:
        with transaction.atomic():
            disbursement = Disbursement.objects.create(project=project, tranche=tranche, amount=amount,
                                                       paid_on=paid_on, voucher_number=voucher_number,
                                                       recorded_by=actor)
    except IntegrityError:
        return project.disbursements.get(voucher_number=voucher_number)
    Project.objects.filter(pk=project.pk).update(disbursed_amount=project.disbursed_amount + amount)
    Tranche.objects.filter(pk=tranche.pk).update(paid_amount=F("paid_amount") + amount)
    audit.record(actor=actor, obj=project, action="project.disburse",
                 data={"amount": str(amount), "voucher": voucher_number, "tranche": tranche.order})
    return disbursement


@transaction.atomic
def disbursement_reverse(*, disbursement: Disbursement, actor: User, reason: str) -> Disbursement:
    """Cancel a mistaken payment with a reversal entry (the negative amount, same
    tranche, voucher "<original>-冲销"); the project's disbursed total goes down in the
    same transaction. The payment row itself is never edited; a payment is reversed once
    (the OneToOne on `reverses` is the guard)."""
    project = Project.objects.select_for_update().get(pk=disbursement.project_id)
    if not access.can_manage_round(actor, project.round):
        raise PermissionDenied(_("只有本轮资助方的民政局工作人员可以冲销拨付。"))
    disbursement = Disbursement.objects.select_related("tranche").get(pk=disbursement.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲销原因。")})
    if disbursement.is_reversal:
        raise ValidationError(_("冲销记录本身不能再冲销。"))
    if Disbursement.objects.filter(reverses=disbursement).exists():
        raise ValidationError(_("这笔拨付已经冲销过。"))
    try:
        with transaction.atomic():
            reversal = Disbursement.objects.create(
                project=project, tranche=disbursement.tranche, amount=-disbursement.amount,
                paid_on=timezone.localdate(), voucher_number=f"{disbursement.voucher_number}-冲销"[:50],
                recorded_by=actor, reverses=disbursement, reason=reason)
    except IntegrityError:
        raise ValidationError(_("这笔拨付已经冲销过。")) from None
    Project.objects.filter(pk=project.pk).update(disbursed_amount=F("disbursed_amount") - disbursement.amount)
    Tranche.objects.filter(pk=disbursement.tranche_id).update(paid_amount=F("paid_amount") - disbursement.amount)
    audit.record(actor=actor, obj=project, action="project.disbursement_reverse", reason=reason,
                 data={"amount": str(disbursement.amount), "voucher": disbursement.voucher_number,
                       "tranche": disbursement.tranche.order})
    return reversal
