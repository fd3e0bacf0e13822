"""The state machines of this app, declared once: applications, review sheets, projects,
progress reports and rectification items. Services fire them; pages and the API ask
`allowed()` for their buttons and `actions`.

application: draft → submitted → (形式审查) in_review | returned → (结论) approved |
rejected | returned → submitted …; the applicant may withdraw before a decision.
project: agreement (待签协议) → active (执行中) → closed (结项) | terminated (终止).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.engine import Machine, Transition, nobody, register

from . import access
from .models import Application, ProgressReport, Project, Rectification, ReviewSheet

A = Application.Status
P = Project.Status
R = ProgressReport.Status
X = Rectification.Status


def _applicant(user, application) -> bool:
    return access.is_applicant(user, application)


def _funder(user, obj) -> bool:
    funding_round = obj.round if hasattr(obj, "round") else obj.project.round
    return access.can_manage_round(user, funding_round)


def _funder_of_report(user, report) -> bool:
    return access.can_manage_round(user, report.project.round)


def _agency_of_report(user, report) -> bool:
    return access.is_project_agency(user, report.project)


APPLICANT = _("只有申报机构的工作人员可以操作申报书。")
FUNDER = _("只有本轮资助方的民政局工作人员可以办理。")

application_machine = register(Machine(
    name="application", model=Application, states=A, initial=A.DRAFT, verbose_name=_("申报书"), transitions=[
        Transition("submit", frozenset({A.DRAFT, A.RETURNED}), A.SUBMITTED, _("提交申报"), _applicant, APPLICANT),
        Transition("withdraw", frozenset({A.DRAFT, A.SUBMITTED, A.RETURNED, A.IN_REVIEW}), A.WITHDRAWN,
                   _("撤回申报"), _applicant, APPLICANT, confirm=_("撤回后本申报书不再参加本轮评审。确定撤回吗？"),
                   style="danger"),
        Transition("screen_pass", frozenset({A.SUBMITTED}), A.IN_REVIEW, _("形式审查通过"), _funder, FUNDER),
        Transition("screen_return", frozenset({A.SUBMITTED}), A.RETURNED, _("形式审查退回"), _funder, FUNDER,
                   reason_required=True, style="secondary"),
        Transition("approve", frozenset({A.IN_REVIEW}), A.APPROVED, _("立项"), _funder, FUNDER,
                   confirm=_("立项后将生成项目和拨付批次。确定立项吗？")),
        Transition("reject", frozenset({A.IN_REVIEW}), A.REJECTED, _("不予立项"), _funder, FUNDER,
                   reason_required=True, confirm=_("确定不予立项吗？"), style="danger"),
        Transition("return", frozenset({A.IN_REVIEW}), A.RETURNED, _("退回修改"), _funder, FUNDER,
                   reason_required=True, style="secondary"),
    ]))


def _own_sheet(user, sheet) -> bool:
    return sheet.reviewer_id == getattr(user, "pk", None)


def _sheet_in_review(sheet, user, context):
    if sheet.application.status != A.IN_REVIEW:
        return _("申报书已不在评审阶段。")
    return None


review_sheet_machine = register(Machine(
    name="review_sheet", model=ReviewSheet, states=ReviewSheet.Status, initial=ReviewSheet.Status.ASSIGNED,
    verbose_name=_("评审表"), transitions=[
        Transition("submit", frozenset({ReviewSheet.Status.ASSIGNED}), ReviewSheet.Status.SUBMITTED, _("提交评审表"),
                   _own_sheet, _("只能提交分配给自己的评审表。"), guards=(_sheet_in_review,),
                   confirm=_("提交后不能再修改评分。确定提交吗？")),
    ]))


def _reports_all_accepted(project, user, context):
    open_reports = project.progress_reports.exclude(status=R.ACCEPTED).filter(
        period_start__lte=timezone.localdate()).count()
    if open_reports:
        return _("还有 %(n)s 期进度报告未审核通过，不能结项。") % {"n": open_reports}
    return None


def _agreement_date_given(project, user, context):
    if not context.get("signed_on"):
        return _("请填写协议签订日期。")
    return None


def _budget_fits(project, user, context):
    # Approving less than requested sends the project to a budget adjustment first: the
    # agreement is signed on budget lines that add up to the approved amount.
    total = sum((line.amount for line in project.application.budget_lines.all()), 0)
    if total != project.approved_amount:
        return _("预算合计 %(t)s 元与立项金额 %(a)s 元不一致：请执行机构先调整预算，再登记协议。") % {
            "t": f"{total:,.2f}", "a": f"{project.approved_amount:,.2f}"}
    return None


project_machine = register(Machine(
    name="project", model=Project, states=P, initial=P.AGREEMENT, verbose_name=_("立项项目"), transitions=[
        Transition("sign_agreement", frozenset({P.AGREEMENT}), P.ACTIVE, _("登记协议"), _funder,
                   _("只有本轮资助方的民政局工作人员可以登记协议。"), guards=(_budget_fits, _agreement_date_given)),
        Transition("close", frozenset({P.ACTIVE}), P.CLOSED, _("结项"), _funder,
                   _("只有本轮资助方的民政局工作人员可以结项。"), guards=(_reports_all_accepted,),
                   confirm=_("结项后项目不再填报进度、不再拨付。确定结项吗？")),
        Transition("reopen", frozenset({P.CLOSED}), P.ACTIVE, _("撤销结项"), _funder,
                   _("只有本轮资助方的民政局工作人员可以撤销结项。"), reason_required=True, style="secondary"),
        # Fired by the evaluation's termination decision (a 不合格 result), never by a button.
        Transition("terminate", frozenset({P.AGREEMENT, P.ACTIVE}), P.TERMINATED, _("终止项目"), nobody,
                   style="danger"),
    ]))


def _period_started(report, user, context):
    if report.period_start > timezone.localdate():
        return _("本期尚未开始，不能提交。")
    return None


def _progress_written(report, user, context):
    if not report.progress.strip():
        return _("请先填写本期目标进展。")
    return None


def _project_running(report, user, context):
    if report.project.status != P.ACTIVE:
        return _("项目状态为“%(s)s”，不能撤销已通过的进度报告。") % {"s": report.project.get_status_display()}
    return None


REPORT_FUNDER = _("只有本轮资助方的民政局工作人员可以审核进度报告。")

progress_report_machine = register(Machine(
    name="progress", model=ProgressReport, states=R, initial=R.DRAFT, verbose_name=_("进度报告"), transitions=[
        Transition("submit", frozenset({R.DRAFT, R.RETURNED}), R.SUBMITTED, _("提交报告"), _agency_of_report,
                   _("只有执行机构的工作人员可以填报。"), guards=(_period_started, _progress_written)),
        Transition("accept", frozenset({R.SUBMITTED}), R.ACCEPTED, _("审核通过"), _funder_of_report,
                   REPORT_FUNDER, confirm=_("通过后本期数据计入项目累计。确定通过吗？")),
        Transition("return", frozenset({R.SUBMITTED}), R.RETURNED, _("退回修改"), _funder_of_report, REPORT_FUNDER,
                   reason_required=True, style="secondary"),
        # The correction of a mistaken acceptance: the report goes back to the agency and
        # its figures leave the project's totals (progress_reopen).
        Transition("reopen", frozenset({R.ACCEPTED}), R.RETURNED, _("撤销通过"), _funder_of_report, REPORT_FUNDER,
                   guards=(_project_running,), reason_required=True, style="danger",
                   confirm=_("撤销后本期数据从项目累计中扣除，报告退回执行机构修改。确定撤销吗？")),
    ]))


def _verifier(user, item) -> bool:
    return access.can_verify_rectification(user, item)


VERIFIER = _("只有提出人或属地民政局工作人员可以核验整改。")

rectification_machine = register(Machine(
    name="rectification", model=Rectification, states=X, initial=X.OPEN, verbose_name=_("整改事项"),
    transitions=[
        Transition("verify_fixed", frozenset({X.OPEN}), X.FIXED, _("核验：已整改"), _verifier, VERIFIER),
        Transition("verify_not_fixed", frozenset({X.OPEN}), X.NOT_FIXED, _("核验：未整改"), _verifier, VERIFIER,
                   style="secondary"),
        Transition("reopen", frozenset({X.FIXED, X.NOT_FIXED}), X.OPEN, _("重新整改"), _verifier, VERIFIER,
                   reason_required=True, style="secondary"),
    ]))
