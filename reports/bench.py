"""City-scale benchmark: bulk-seed a realistic dataset, then measure pages, API lists
and reports. Run with `make bench` (or `manage.py bench --scale city|small`); it always
works in its own database, never in the one `make run` uses."""

import datetime
import json
import random
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from assessments.demo import load_default_rubric
from assessments.models import Evaluation, EvaluatorSheet, Indicator, Score
from organizations.models import Membership, Organization, SelfOrganization, SelfOrganizationStageChange
from organizations.uscc import check_character
from places.demo import load_divisions
from places.models import Community, Region
from projects.demo import load_default_review_form
from projects.models import (
    Activity,
    Application,
    BudgetLine,
    FundingRound,
    ProgressReport,
    Project,
    Rectification,
    Tranche,
    TrancheRule,
)

from . import selectors
from .builders import BUILDERS


@dataclass(frozen=True)
class Scale:
    agencies: int
    rounds: int
    applications: int
    approved: int
    reports_per_project: int
    activities: int
    evaluations: int
    rectifications: int
    selforgs: int


SCALES = {
    "city": Scale(600, 5, 6000, 4000, 6, 80000, 4000, 20000, 8000),
    "small": Scale(60, 2, 600, 400, 6, 8000, 400, 2000, 800),
    "tiny": Scale(6, 1, 12, 8, 3, 40, 4, 20, 10),
}
PASSWORD = "bench-pass-2026"
BATCH = 5000


def _bulk(model, objects, batch=BATCH):
    return model.objects.bulk_create(objects, batch_size=batch)


def seed(scale: Scale, rng: random.Random | None = None) -> dict:
    """Bulk-insert the dataset. Rows are written directly (not through services) for
    speed; the figures stay consistent with what the services would have produced
    (project running totals equal the sums of accepted activities, etc.)."""
    rng = rng or random.Random(2016)
    timings = {}
    started = time.perf_counter()
    load_divisions()
    form, rubric = load_default_review_form(), load_default_rubric()
    city = Region.objects.get(level=Region.Level.CITY)
    districts = list(Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"))
    communities = list(Community.objects.filter(merged_into__isnull=True).select_related("street"))
    timings["divisions"] = time.perf_counter() - started

    with transaction.atomic():
        users = _users(city, districts, communities)
        organizations = _bulk(Organization, [
            Organization(name=f"基准社工服务中心{i:04d}", kind="social_work_agency", region=rng.choice(districts),
                         credit_code=(body := f"5251{i:013d}") + check_character(body))
            for i in range(scale.agencies)])
        _bulk(Membership, [Membership(user=users["agency"], organization=organizations[0], position="leader")])
        now = timezone.now()
        rounds = _bulk(FundingRound, [
            FundingRound(name=f"基准轮次{i + 1}", year=2016 + i, funder=city, total_budget=Decimal("500000000"),
                         per_project_cap=Decimal("100000"), per_community_cap=Decimal("300000"),
                         opens_at=now - datetime.timedelta(days=400), closes_at=now + datetime.timedelta(days=30),
                         review_form=form) for i in range(scale.rounds)])
        _bulk(TrancheRule, [TrancheRule(round=r, order=o, percent=p, trigger=t) for r in rounds
                            for o, p, t in ((1, 50, "agreement"), (2, 30, "midterm"), (3, 20, "final"))])
        statuses = ["submitted", "in_review", "rejected", "returned", "withdrawn"]
        applications = _bulk(Application, [
            Application(round=rounds[i % len(rounds)], organization=organizations[i % len(organizations)],
                        community=communities[(i * 7) % len(communities)], title=f"基准项目{i:05d}",
                        status="approved" if i < scale.approved else statuses[i % len(statuses)],
                        summary="基准数据", leverage_point=rng.choice(["services", "public_space", "culture"]),
                        dim_people=True, dim_culture=i % 2 == 0, dim_place=i % 3 == 0,
                        requested_amount=Decimal("90000"), submitted_at=now,
                        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31))
            for i in range(scale.applications)])
        _bulk(BudgetLine, [BudgetLine(application=a, category=c, description=c, amount=Decimal(v))
                           for a in applications for c, v in (("activities", "60000"), ("personnel", "30000"))])
        timings["applications"] = time.perf_counter() - started
        approved = [a for a in applications if a.status == "approved"]
        projects = _bulk(Project, [
            Project(application=a, round_id=a.round_id, organization_id=a.organization_id, community_id=a.community_id,
                    title=a.title, approved_amount=Decimal("90000"), disbursed_amount=Decimal("45000"),
                    agreement_signed_on=datetime.date(2024, 1, 1), starts_on=a.starts_on, ends_on=a.ends_on,
                    status="active") for a in approved])
        _bulk(Tranche, [Tranche(project=p, order=o, trigger=t, percent=pc, amount=Decimal(v)) for p in projects
                        for o, t, pc, v in ((1, "agreement", 50, "45000"), (2, "midterm", 30, "27000"),
                                            (3, "final", 20, "18000"))])
        reports = _bulk(ProgressReport, [
            ProgressReport(project=p, number=n + 1, period_start=datetime.date(2024, 1 + n * 2, 1),
                           period_end=datetime.date(2024, 2 + n * 2, 28), due_on=datetime.date(2024, 3 + n * 2, 10)
                           if n < 5 else datetime.date(2025, 1, 10),
                           status="accepted" if n < scale.reports_per_project - 1 else "draft",
                           submitted_at=now if n < scale.reports_per_project - 1 else None, progress="基准")
            for p in projects for n in range(scale.reports_per_project)])
        accepted = [r for r in reports if r.status == "accepted"]
        totals: dict[int, list[int]] = {}
        activities = []
        for i in range(scale.activities):
            report = accepted[i % len(accepted)]
            direct, indirect, volunteers = rng.randint(10, 300), rng.randint(50, 1000), rng.randint(0, 20)
            activities.append(
                Activity(
                    report=report,
                    held_on=report.period_start + datetime.timedelta(days=i % 25),
                    title=f"活动{i}",
                    kind="courtyard_meeting",
                    community_id=report.project.community_id,
                    direct_participations=direct,
                    indirect_beneficiaries=indirect,
                    volunteers=volunteers,
                )
            )
            figures = totals.setdefault(report.project_id, [0, 0, 0, 0])
            figures[0] += 1
            figures[1] += direct
            figures[2] += indirect
            figures[3] += volunteers
        _bulk(Activity, activities)
        for project in projects:
            n, direct, indirect, volunteers = totals.get(project.pk, [0, 0, 0, 0])
            project.activities_count, project.direct_participations = n, direct
            project.indirect_beneficiaries, project.volunteers = indirect, volunteers
        Project.objects.bulk_update(projects, ["activities_count", "direct_participations", "indirect_beneficiaries",
                                               "volunteers"], batch_size=BATCH)
        timings["progress"] = time.perf_counter() - started
        indicators = list(Indicator.objects.filter(category__rubric=rubric).select_related("category"))
        evaluators = [users["evaluator"], users["evaluator2"], users["evaluator3"]]
        evaluations = _bulk(Evaluation, [
            Evaluation(project=projects[i % len(projects)], rubric=rubric, stage="midterm", status="published",
                       scheduled_on=datetime.date(2024, 6, 1), published_at=now, total=Decimal("0"))
            for i in range(scale.evaluations)])
        sheets = _bulk(EvaluatorSheet, [EvaluatorSheet(evaluation=e, evaluator=u, status="submitted",
                                                       total=Decimal("0"), submitted_at=now)
                                        for e in evaluations for u in evaluators])
        by_category: dict[int, dict[str, Decimal]] = {}
        sums: dict[int, Decimal] = {}
        score_rows = []
        for sheet in sheets:
            factor = Decimal(rng.choice(["0.5", "0.6", "0.7", "0.8", "0.9", "1"]))
            sheet_total = Decimal("0")
            for indicator in indicators:
                value = (indicator.max_score * factor).quantize(Decimal("0.01"))
                score_rows.append(Score(sheet=sheet, indicator=indicator, score=value))
                sheet_total += value
                category = by_category.setdefault(sheet.evaluation_id, {})
                category[indicator.category.code] = category.get(indicator.category.code, Decimal("0")) + value / 3
            sheet.total = sheet_total
            sums[sheet.evaluation_id] = sums.get(sheet.evaluation_id, Decimal("0")) + sheet_total / 3
            if len(score_rows) >= 50000:
                _bulk(Score, score_rows)
                score_rows = []
        _bulk(Score, score_rows)
        EvaluatorSheet.objects.bulk_update(sheets, ["total"], batch_size=BATCH)
        from assessments.services import grade_for

        for evaluation in evaluations:
            evaluation.total = sums[evaluation.pk].quantize(Decimal("0.01"))
            evaluation.grade = grade_for(evaluation.total, rubric.grade_bands)
            evaluation.category_scores = {
                k: str(v.quantize(Decimal("0.01"))) for k, v in by_category[evaluation.pk].items()
            }
        Evaluation.objects.bulk_update(evaluations, ["total", "grade", "category_scores"], batch_size=BATCH)
        timings["evaluations"] = time.perf_counter() - started
        _bulk(Rectification, [
            Rectification(community_id=p.community_id, project=p, source="supervision", owner="project",
                          description="基准整改", due_on=datetime.date(2024, 6, 1), raised_by=users["city_bureau"],
                          raised_on=datetime.date(2024, 5, 1), status="fixed" if i % 5 else "open")
            for i, p in enumerate(projects[i % len(projects)] for i in range(scale.rectifications))])
        selforg_objects = _bulk(SelfOrganization, [
            SelfOrganization(community=communities[i % len(communities)], name=f"自组织{i:05d}", category="mutual_aid",
                             stage=rng.choice(SelfOrganization.STAGE_ORDER), members=rng.randint(5, 60))
            for i in range(scale.selforgs)])
        _bulk(SelfOrganizationStageChange, [
            SelfOrganizationStageChange(self_organization=s, changed_on=datetime.date(2024, 1, 1), to_stage=s.stage,
                                        members=s.members) for s in selforg_objects])
        # One draft sheet for the scoring page, and a review round with sheets for the queue.
        open_evaluation = Evaluation.objects.create(project=projects[0], rubric=rubric, stage="final",
                                                    scheduled_on=datetime.date(2025, 12, 1))
        draft = EvaluatorSheet.objects.create(evaluation=open_evaluation, evaluator=users["evaluator"])
        _bulk(Score, [Score(sheet=draft, indicator=i) for i in indicators])
    timings["total"] = time.perf_counter() - started
    return {"timings": timings, "round": rounds[0], "application": applications[0], "project": projects[0],
            "evaluation": evaluations[0], "draft_sheet": draft, "users": users}


def _users(city, districts, communities) -> dict[str, User]:
    users = {}
    for name in ("city_bureau", "street", "community", "agency", "evaluator", "evaluator2", "evaluator3"):
        users[name] = User.objects.create_user(username=f"bench_{name}", password=PASSWORD, real_name=name)
    street = communities[0].street
    _bulk(RoleAssignment, [
        RoleAssignment(user=users["city_bureau"], role=Role.BUREAU, region=city),
        RoleAssignment(user=users["street"], role=Role.STREET, region=street),
        RoleAssignment(user=users["community"], role=Role.COMMUNITY, community=communities[0]),
        *[RoleAssignment(user=users[n], role=Role.EVALUATOR) for n in ("evaluator", "evaluator2", "evaluator3")],
    ])
    return users


# --- measuring ---------------------------------------------------------------------

PAGE_TARGET_MS = 150


class Statements:
    """Records every statement run on the connection (independent of DEBUG's query log,
    which keeps only the last 9,000)."""

    def __init__(self):
        self.executed: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.executed.append((sql, params))
        return execute(sql, params, many, context)

    def __len__(self):
        return len(self.executed)


def measure_pages(data: dict, repeat: int = 20) -> list[dict]:
    users = data["users"]
    pages = [
        ("评审工作台 review queue", "city_bureau", reverse("projects:review_queue", args=[data["round"].pk])),
        ("申报书 application page", "city_bureau", reverse("projects:application_detail",
                                                        args=[data["application"].pk])),
        ("项目 project page", "city_bureau", reverse("projects:project_detail", args=[data["project"].pk])),
        ("进度报告列表 progress list", "city_bureau", reverse("projects:progress_list")),
        ("评分页 scoring page (53)", "evaluator", reverse("assessments:sheet", args=[data["draft_sheet"].pk])),
        ("评估汇总 consolidated", "city_bureau", reverse("assessments:evaluation_detail",
                                                     args=[data["evaluation"].pk])),
        ("工作台 dashboard (city)", "city_bureau", reverse("home")),
        ("工作台 dashboard (street)", "street", reverse("home")),
        ("社区名录 community list", "city_bureau", reverse("places:community_list")),
        ("API applications", "city_bureau", "/api/applications/"),
        ("API projects", "city_bureau", "/api/projects/"),
        ("API progress reports", "city_bureau", "/api/progress-reports/"),
        ("API communities", "city_bureau", "/api/communities/"),
    ]
    results = []
    for label, role, url in pages:
        client = Client()
        client.force_login(users[role])
        client.get(url)  # warm caches (scope, templates)
        statements = Statements()
        with connection.execute_wrapper(statements):
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results.append({"page": label, "role": role, "queries": len(statements),
                        "median_ms": round(statistics.median(times), 1),
                        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                        "target_ms": PAGE_TARGET_MS})
    return results


def _sql_floor(statements: "Statements") -> float:
    """Run the report's own SQL again, bare: the time the database needs for the
    figures, without Python building rows or files — the report's floor."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements.executed:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure_reports() -> list[dict]:
    import io

    city = Region.objects.get(level=Region.Level.CITY)
    filters = selectors.Filters(region=city)
    builders = {"funding": selectors.funding_report, "progress": selectors.progress_report,
                "evaluation": selectors.evaluation_report}
    results = []
    for kind, build in builders.items():
        statements = Statements()
        with connection.execute_wrapper(statements):
            build(filters)
        floor = min(_sql_floor(statements) for _ in range(3))
        for fmt in ("xlsx", "pdf"):
            # Time first, then memory in a second run: tracemalloc slows Python several-fold.
            started = time.perf_counter()
            data = build(filters)
            BUILDERS[fmt](data, io.BytesIO())
            elapsed = (time.perf_counter() - started) * 1000
            tracemalloc.start()
            BUILDERS[fmt](build(filters), io.BytesIO())
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results.append({"report": kind, "format": fmt, "ms": round(elapsed, 1), "queries": len(statements),
                            "peak_mb": round(peak / 1024 / 1024, 1), "floor_ms": round(floor, 1),
                            "ratio": round(elapsed / floor, 1) if floor else None,
                            "target_ms": 5000 if fmt == "xlsx" else 15000})
    return results


def write_results(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def bench_path() -> Path:
    return Path(settings.VAR_DIR) / "bench.json"
