"""Demo evaluations of the 高桥社区 night-market project: a published mid-term
evaluation by three evaluators with feedback and the agency's answers, and a second
evaluation still being scored."""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from projects.models import Project

from . import services
from .models import Evaluation, EvaluatorSheet, FeedbackPoint


def load_default_rubric():
    path = Path(settings.BASE_DIR) / "data" / "rubric_default.json"
    return services.rubric_load(data=json.loads(path.read_text(encoding="utf-8")))


def _score(sheet: EvaluatorSheet, factor: Decimal, *, submit: bool) -> None:
    scores = {}
    for n, row in enumerate(sheet.scores.select_related("indicator")):
        wobble = Decimal("0.05") if n % 3 == 0 else Decimal("0")
        value = (row.indicator.max_score * (factor - wobble)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        scores[row.indicator_id] = {"score": value, "evidence": "查阅活动台账与照片", "comment": ""}
    services.sheet_save(sheet=sheet, actor=sheet.evaluator, scores=scores)
    if submit:
        services.sheet_submit(sheet=sheet, actor=sheet.evaluator)


def seed(users: dict[str, User]) -> None:
    load_default_rubric()
    project = Project.objects.filter(title="活力夜经济 治理新动能").first()
    if project is None or project.evaluations.exists():
        return
    bureau, agency = users["city_bureau"], users["rongxiang"]
    evaluators = [users["evaluator"], users["evaluator2"], users["evaluator3"]]
    today = timezone.localdate()

    midterm = services.evaluation_create(
        project=project,
        actor=bureau,
        stage=Evaluation.Stage.MIDTERM,
        scheduled_on=today - datetime.timedelta(days=150),
        place="高桥社区党群服务中心",
        evaluators=evaluators,
        lead_evaluator=users["evaluator"],
    )
    self_sheet = services.self_assessment_start(evaluation=midterm, actor=agency)
    _score(self_sheet, Decimal("0.92"), submit=True)
    for sheet, factor in zip(
        midterm.sheets.filter(kind="evaluator").order_by("pk"), ("0.9", "0.86", "0.82"), strict=False
    ):
        _score(sheet, Decimal(factor), submit=True)
    services.evaluation_close_scoring(evaluation=midterm, actor=users["evaluator"])
    services.feedback_add(evaluation=midterm, actor=users["evaluator"], kind=FeedbackPoint.Kind.STRENGTH,
                          text="以夜市为支点，商户与居民共同议事，居民参与面广。")
    problem = services.feedback_add(evaluation=midterm, actor=users["evaluator"], kind=FeedbackPoint.Kind.PROBLEM,
                                    text="财务公开不及时，居民不清楚项目资金用途。")
    suggestion = services.feedback_add(evaluation=midterm, actor=bureau, kind=FeedbackPoint.Kind.SUGGESTION,
                                       text="推动夜市自治小组建立摊位费入社区基金的机制，增强可持续性。")
    services.feedback_answer(point=problem, actor=agency, answer="已在社区公开栏按季度公示资金使用，下周起执行。")
    services.feedback_answer(point=suggestion, actor=agency, answer="已与自治小组讨论，拟每摊每月 20 元入社区基金。")
    services.feedback_rectification(point=problem, actor=bureau, due_on=today - datetime.timedelta(days=100))
    services.evaluation_publish(evaluation=midterm, actor=bureau,
                                feedback="项目需求扎实、居民参与充分，财务公开需加强；中期评估等级良好，建议继续资助。")

    special = services.evaluation_create(project=project, actor=bureau, stage=Evaluation.Stage.OTHER,
                                         scheduled_on=today, place="高桥社区夜市广场", evaluators=evaluators,
                                         lead_evaluator=users["evaluator"])
    sheets = list(special.sheets.order_by("pk"))
    _score(sheets[0], Decimal("0.88"), submit=True)
    _score(sheets[1], Decimal("0.8"), submit=False)
