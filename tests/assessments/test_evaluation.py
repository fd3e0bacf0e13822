import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Evaluation, EvaluatorSheet, Indicator, Rubric
from projects.models import Project, Rectification
from tests.assessments.fixtures import full, ratio, score_all

pytestmark = pytest.mark.django_db
S = Evaluation.Status


# --- the rubric ------------------------------------------------------------------


def test_default_rubric_has_6_categories_53_indicators_100_points(rubric):
    categories = list(rubric.categories.prefetch_related("indicators"))
    assert len(categories) == 6
    assert sum(c.indicators.count() for c in categories) == 53
    assert sum(i.max_score for c in categories for i in c.indicators.all()) == Decimal("100")
    assert [(c.name, c.weight, c.indicators.count()) for c in categories] == [
        ("项目设计与需求回应", 15, 8), ("项目执行与过程管理", 20, 10), ("财务管理与资金使用", 15, 8),
        ("项目产出", 15, 8), ("居民参与与社区能力", 20, 11), ("成效与可持续", 15, 8)]
    assert rubric.name == "默认评估框架（非官方，可按本地评估体系修改）"
    assert all(len(i.levels) == 4 for i in Indicator.objects.filter(category__rubric=rubric))


def test_loading_the_same_file_twice_keeps_one_version(rubric):
    from assessments.demo import load_default_rubric

    assert load_default_rubric().pk == rubric.pk
    assert Rubric.objects.count() == 1


def test_a_rubric_in_use_is_not_edited_in_place(evaluation, rubric):
    """A changed file becomes version 2; the evaluation keeps version 1, unchanged."""
    import json
    from pathlib import Path

    from django.conf import settings

    data = json.loads((Path(settings.BASE_DIR) / "data" / "rubric_default.json").read_text(encoding="utf-8"))
    data["categories"][0]["indicators"][0]["name"] = "需求调研方法（修订）"
    second = services.rubric_load(data=data)
    assert second.version == 2 and second.status == Rubric.Status.ACTIVE
    rubric.refresh_from_db()
    assert rubric.status == Rubric.Status.RETIRED
    evaluation.refresh_from_db()
    assert evaluation.rubric == rubric
    assert evaluation.rubric.categories.first().indicators.first().name == "需求调研方法"


def test_admin_refuses_to_edit_a_rubric_in_use(evaluation, rubric, cast, client_for):
    response = client_for("admin").post(reverse("admin:assessments_rubric_change", args=[rubric.pk]),
                                        {"name": "改名", "version": 1, "status": "active"})
    assert response.status_code == 403
    assert Rubric.objects.get(pk=rubric.pk).name != "改名"


def test_inconsistent_rubric_is_refused():
    data = {"name": "坏体系", "categories": [{"code": "a", "name": "甲", "weight": 10,
                                             "indicators": [{"code": "A1", "name": "x", "max_score": 4}]}]}
    with pytest.raises(ValidationError, match="不符"):
        services.rubric_load(data=data)


# --- evaluations and scoring ------------------------------------------------------


def test_evaluation_pins_the_active_rubric_and_creates_blank_sheets(evaluation, rubric):
    assert evaluation.rubric == rubric and evaluation.status == S.SCORING
    sheets = list(evaluation.sheets.all())
    assert len(sheets) == 3
    assert all(s.scores.count() == 53 for s in sheets)


def test_nobody_from_the_agency_evaluates(project, cast, rubric, evaluators, organizations):
    from organizations import services as org_services

    org_services.membership_add(organization=organizations["rongxiang"], user=evaluators[1], actor=cast["admin"])
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(project=project, actor=cast["city_bureau"], stage="midterm",
                                   scheduled_on=datetime.date(2016, 9, 1), evaluators=evaluators)
    assert "利益回避" in " ".join(exc.value.message_dict["evaluators"])
    assert not Evaluation.objects.exists()


def test_only_the_funder_arranges_evaluations(project, cast, rubric, evaluators):
    with pytest.raises(PermissionDenied):
        services.evaluation_create(project=project, actor=cast["district_bureau"], stage="midterm",
                                   scheduled_on=datetime.date(2016, 9, 1), evaluators=evaluators)


def test_scores_outside_0_to_max_are_refused(evaluation):
    sheet = evaluation.sheets.first()
    row = sheet.scores.select_related("indicator").first()
    for bad in (Decimal("-0.1"), row.indicator.max_score + Decimal("0.1")):
        with pytest.raises(ValidationError) as exc:
            services.sheet_save(sheet=sheet, actor=sheet.evaluator, scores={row.indicator_id: {"score": bad}})
        assert f"score_{row.indicator_id}" in exc.value.message_dict
    services.sheet_save(sheet=sheet, actor=sheet.evaluator,
                        scores={row.indicator_id: {"score": row.indicator.max_score}})


def test_sheet_is_locked_after_submission(evaluation):
    sheet = score_all(evaluation.sheets.first(), full)
    assert sheet.status == EvaluatorSheet.Status.SUBMITTED and sheet.total == Decimal("100.00")
    row = sheet.scores.first()
    with pytest.raises(ValidationError, match="已提交"):
        services.sheet_save(sheet=sheet, actor=sheet.evaluator, scores={row.indicator_id: {"score": Decimal("0")}})


def test_incomplete_sheet_names_missing_indicators(evaluation):
    sheet = evaluation.sheets.first()
    with pytest.raises(ValidationError, match="53 项指标未打分"):
        services.sheet_submit(sheet=sheet, actor=sheet.evaluator)


def test_an_evaluator_writes_only_their_own_sheet(evaluation, evaluators):
    with pytest.raises(PermissionDenied):
        services.sheet_save(sheet=evaluation.sheets.get(evaluator=evaluators[0]), actor=evaluators[1], scores={})


def test_independence_in_pages_and_api(evaluation, evaluators, client_for, cast):
    mine = evaluation.sheets.get(evaluator=evaluators[0])
    theirs = score_all(evaluation.sheets.get(evaluator=evaluators[1]), ratio("0.5"))
    client = client_for("evaluator")
    assert client.get(f"/api/evaluation-sheets/{theirs.pk}/").status_code == 404
    assert [s["id"] for s in client.get("/api/evaluation-sheets/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/evaluations/{evaluation.pk}/results/").status_code == 403
    page = client.get(reverse("assessments:evaluation_detail", args=[evaluation.pk]))
    assert page.context["result"] is None and "50.00" not in page.content.decode()
    assert client.get(reverse("assessments:sheet", args=[theirs.pk])).status_code == 404
    score_all(mine, ratio("0.9"))
    assert client.get(f"/api/evaluation-sheets/{theirs.pk}/").status_code == 200
    page = client.get(reverse("assessments:evaluation_detail", args=[evaluation.pk]))
    assert page.context["show_columns"] and len(page.context["result"]["submitted"]) == 2


# --- consolidation and grades -------------------------------------------------------


def totals(evaluation):
    return services.consolidate(evaluation)


def test_aggregation_means_spread_subtotals_total(evaluation, evaluators):
    a, b, c = [evaluation.sheets.get(evaluator=e) for e in evaluators]
    score_all(a, full)                      # 100
    score_all(b, ratio("0.8"))              # 80
    score_all(c, ratio("0.6"))              # 60
    result = totals(evaluation)
    assert result["complete"] and result["total"] == Decimal("80.00") and result["grade"] == "good"
    first = result["categories"][0]
    assert first["subtotal"] == Decimal("12.00")  # 15 × 0.8
    row = first["rows"][0]  # max 2: scores 2, 1.6, 1.2 → mean 1.6, spread 0.8
    assert (row["mean"], row["spread"], row["flag"]) == (Decimal("1.60"), Decimal("0.8"), False)
    assert result["flagged"] == 0


def test_spread_above_the_threshold_is_flagged(evaluation, evaluators):
    a, b, c = [evaluation.sheets.get(evaluator=e) for e in evaluators]
    score_all(a, full)
    score_all(b, full)
    score_all(c, lambda i: i.max_score if i.code != "B1" else Decimal("0.5"))  # B1: 2,2,0.5 → spread 1.5
    result = totals(evaluation)
    flagged = [r["indicator"].code for cat in result["categories"] for r in cat["rows"] if r["flag"]]
    assert flagged == ["B1"]


@pytest.mark.parametrize("total,grade", [
    (Decimal("100"), "excellent"), (Decimal("90"), "excellent"), (Decimal("89.99"), "good"),
    (Decimal("80"), "good"), (Decimal("79.99"), "pass"), (Decimal("60"), "pass"), (Decimal("59.99"), "fail"),
    (Decimal("0"), "fail"),
])
def test_grade_boundaries(rubric, total, grade):
    assert services.grade_for(total, rubric.grade_bands) == grade


def test_grade_boundaries_through_real_scores(evaluation, evaluators):
    """Three evaluators all giving exactly 90 points make 优秀; one indicator 0.01 lower
    on every sheet makes 89.99, 良好."""
    def ninety(indicator):
        return indicator.max_score * Decimal("0.9")

    sheets = [evaluation.sheets.get(evaluator=e) for e in evaluators]
    for sheet in sheets:
        score_all(sheet, ninety, submit=False)
    for sheet in sheets:
        services.sheet_submit(sheet=sheet, actor=sheet.evaluator)
    assert (totals(evaluation)["total"], totals(evaluation)["grade"]) == (Decimal("90.00"), "excellent")


def test_89_99_is_good(project, cast, rubric, evaluators):
    evaluation = services.evaluation_create(project=project, actor=cast["city_bureau"], stage="final",
                                            scheduled_on=datetime.date(2016, 12, 1), evaluators=evaluators[:1])
    sheet = evaluation.sheets.get()
    score_all(sheet, lambda i: i.max_score * Decimal("0.9") - (Decimal("0.01") if i.code == "A1" else 0))
    assert (totals(evaluation)["total"], totals(evaluation)["grade"]) == (Decimal("89.99"), "good")


def test_self_assessment_is_shown_apart_and_not_counted(evaluation, cast, evaluators):
    own = services.self_assessment_start(evaluation=evaluation, actor=cast["agency"])
    score_all(own, full)
    for e in evaluators:
        score_all(evaluation.sheets.get(evaluator=e, kind="evaluator"), ratio("0.5"))
    assert totals(evaluation)["total"] == Decimal("50.00")
    with pytest.raises(PermissionDenied):
        services.self_assessment_start(evaluation=evaluation, actor=cast["other_agency"])


# --- feedback, publication, decision ------------------------------------------------


def close(evaluation, evaluators, value="0.5"):
    for e in evaluators:
        score_all(evaluation.sheets.get(evaluator=e), ratio(value))
    return services.evaluation_close_scoring(evaluation=evaluation, actor=evaluators[0])


def test_scoring_closes_only_when_all_sheets_are_in(evaluation, evaluators):
    score_all(evaluation.sheets.get(evaluator=evaluators[0]), full)
    with pytest.raises(ValidationError, match="未提交"):
        services.evaluation_close_scoring(evaluation=evaluation, actor=evaluators[0])


def test_feedback_answers_publication_and_scope(evaluation, evaluators, cast, client_for):
    evaluation = close(evaluation, evaluators, "0.8")
    assert (evaluation.status, evaluation.total, evaluation.grade) == (S.FEEDBACK, Decimal("80.00"), "good")
    url = reverse("assessments:evaluation_detail", args=[evaluation.pk])
    # Before publication: the agency takes part; street and community staff do not see it yet.
    assert client_for("agency").get(url).status_code == 200
    assert client_for("street").get(url).status_code == 404
    problem = services.feedback_add(evaluation=evaluation, actor=evaluators[0], kind="problem", text="财务公开不及时")
    with pytest.raises(PermissionDenied):
        services.feedback_add(evaluation=evaluation, actor=evaluators[1], kind="problem", text="x")
    with pytest.raises(ValidationError, match="尚未回应"):
        services.evaluation_publish(evaluation=evaluation, actor=cast["city_bureau"], feedback="综合反馈")
    with pytest.raises(PermissionDenied):
        services.feedback_answer(point=problem, actor=cast["other_agency"], answer="x")
    services.feedback_answer(point=problem, actor=cast["agency"], answer="已按季度公示")
    item = services.feedback_rectification(point=problem, actor=cast["city_bureau"], due_on=datetime.date(2016, 10, 1))
    assert (item.source, item.project_id) == (Rectification.Source.EVALUATION, evaluation.project_id)
    services.evaluation_publish(evaluation=evaluation, actor=cast["city_bureau"], feedback="总体良好")
    for role in ("street", "community", "district_bureau", "agency"):
        assert client_for(role).get(url).status_code == 200, role
    for role in ("other_community", "other_district_bureau", "other_agency", "outsider"):
        assert client_for(role).get(url).status_code == 404, role
    with pytest.raises(ValidationError):
        services.feedback_answer(point=problem, actor=cast["agency"], answer="改")


def test_fail_flags_termination_and_is_shown_to_a_later_round(evaluation, evaluators, cast, build, client_for,
                                                              places):
    evaluation = close(evaluation, evaluators, "0.5")
    assert evaluation.grade == "fail"
    services.evaluation_publish(evaluation=evaluation, actor=cast["city_bureau"], feedback="不合格")
    evaluation.refresh_from_db()
    assert evaluation.needs_termination_decision
    with pytest.raises(ValidationError):
        services.termination_decide(evaluation=evaluation, actor=cast["city_bureau"], decision="terminate", reason="")
    services.termination_decide(evaluation=evaluation, actor=cast["city_bureau"], decision="terminate",
                                reason="中期评估不合格，按淘汰机制终止")
    assert Project.objects.get(pk=evaluation.project_id).status == Project.Status.TERMINATED
    assert not Evaluation.objects.get(pk=evaluation.pk).needs_termination_decision
    later = build("submitted", community=places.nanqiao, title="再次申报")
    page = client_for("city_bureau").get(reverse("projects:application_detail", args=[later.pk]))
    assert page.context["earlier_failures"] == ["活力夜经济"]
    assert "评估不合格" in page.content.decode()


def test_decision_only_for_a_published_fail(evaluation, evaluators, cast):
    evaluation = close(evaluation, evaluators, "0.85")
    with pytest.raises(ValidationError):
        services.termination_decide(evaluation=evaluation, actor=cast["city_bureau"], decision="terminate",
                                    reason="x")


# --- pages -----------------------------------------------------------------------


def test_scoring_page_keeps_typed_values_on_error_and_autosaves(evaluation, evaluators, client_for):
    sheet = evaluation.sheets.get(evaluator=evaluators[0])
    rows = list(sheet.scores.select_related("indicator").order_by("indicator__category__order", "indicator__order"))
    client = client_for("evaluator")
    url = reverse("assessments:sheet", args=[sheet.pk])
    data = {f"score_{r.indicator_id}": "1" for r in rows}
    data[f"score_{rows[0].indicator_id}"] = "9"
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'value="9"' in response.content.decode()
    assert sheet.scores.filter(score__isnull=False).count() == 0  # nothing half-saved
    autosave = reverse("assessments:sheet_autosave", args=[sheet.pk])
    response = client.post(autosave, {f"score_{rows[1].indicator_id}": "1.5",
                                      f"comment_{rows[1].indicator_id}": "台账齐全"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已保存" in response.content.decode()
    saved = sheet.scores.get(indicator_id=rows[1].indicator_id)
    assert (saved.score, saved.comment) == (Decimal("1.5"), "台账齐全")
    response = client.post(autosave, {f"score_{rows[1].indicator_id}": "5"})
    assert response.status_code == 422


def test_scoring_page_query_count_does_not_depend_on_53_indicators(evaluation, evaluators, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sheet = evaluation.sheets.get(evaluator=evaluators[0])
    client = client_for("evaluator")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("assessments:sheet", args=[sheet.pk])).status_code == 200
    # user, sheet, its 53 scores with indicators and categories in one query, role scope, unread
    # count — and the session, unless it is read from Redis (REDIS_URL set)
    page = [q for q in ctx.captured_queries if "django_session" not in q["sql"]]
    assert len(page) == 5


def test_evaluation_pages_query_counts_at_two_sizes(project, cast, rubric, evaluators, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("city_bureau")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def one(n):
        evaluation = services.evaluation_create(project=project, actor=cast["city_bureau"], stage="other",
                                                scheduled_on=datetime.date(2016, 9, n), evaluators=evaluators[:n])
        for sheet in evaluation.sheets.all():
            score_all(sheet, ratio("0.7"))
        return evaluation

    small_evaluation = one(1)
    urls = [reverse("assessments:evaluation_list"), "/api/evaluations/",
            reverse("assessments:evaluation_detail", args=[small_evaluation.pk])]
    small = [count(u) for u in urls]
    big = one(3)
    one(2)
    urls[2] = reverse("assessments:evaluation_detail", args=[big.pk])
    assert [count(u) for u in urls] == small


def test_api_flow(evaluation, evaluators, cast, client_for):
    sheet = evaluation.sheets.get(evaluator=evaluators[0])
    rows = list(sheet.scores.select_related("indicator"))
    client = client_for("evaluator")
    payload = {"scores": [{"indicator": r.indicator_id, "score": str(r.indicator.max_score)} for r in rows]}
    assert client.patch(f"/api/evaluation-sheets/{sheet.pk}/", payload,
                        content_type="application/json").status_code == 200
    assert client.post(f"/api/evaluation-sheets/{sheet.pk}/submit/").json()["total"] == "100.00"
    results = client.get(f"/api/evaluations/{evaluation.pk}/results/").json()
    assert results["complete"] is False and len(results["categories"]) == 6
    assert client_for("agency").get(f"/api/evaluations/{evaluation.pk}/results/").status_code == 403
    assert client_for("street").get(f"/api/evaluations/{evaluation.pk}/").status_code == 404
    rubric = client_for("agency").get(f"/api/rubrics/{evaluation.rubric_id}/").json()
    assert sum(len(c["indicators"]) for c in rubric["categories"]) == 53


