"""Seeding for the benchmark: bulk-insert a city- or province-scale dataset from the
real Chengdu divisions (province: synthesised communities under the real streets, named
合成…, official name 合成数据). On PostgreSQL the biggest tables (activities, scores) go
in with COPY."""

import csv
import dataclasses
import datetime
import io
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
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
    communities: int = 0  # total wanted; beyond the real 3,000-odd they are synthesised

    def times(self, factor: float) -> "Scale":
        """The same shape at `factor` times the size (a province bench at a smaller factor)."""
        return dataclasses.replace(self, **{f.name: max(1, round(getattr(self, f.name) * factor))
                                            for f in dataclasses.fields(self)
                                            if f.name not in ("rounds", "reports_per_project")})


SCALES = {
    "province": Scale(6000, 5, 90000, 60000, 4, 800000, 40000, 200000, 80000, communities=30000),
    "city": Scale(600, 5, 6000, 4000, 6, 80000, 4000, 20000, 8000),
    "small": Scale(60, 2, 600, 400, 6, 8000, 400, 2000, 800),
    "tiny": Scale(6, 1, 12, 8, 3, 40, 4, 20, 10),
}
SYNTHETIC = "合成数据（基准测试）"
PASSWORD = "bench-pass-2026"
BATCH = 5000


def _bulk(model, objects, batch=BATCH):
    return model.objects.bulk_create(objects, batch_size=batch)


def _copy_sql(model, fields: list[str]) -> str:
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    return f"""COPY "{model._meta.db_table}" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"""


def _copy_text(model, fields: list[str], chunks, rows_per_chunk: int = 1) -> int:
    """PostgreSQL: COPY CSV text (each chunk one or more complete lines) in rounds of
    about 100,000 rows."""
    sql, count, buffer, pending = _copy_sql(model, fields), 0, io.StringIO(), 0
    with connection.cursor() as cursor:
        for chunk in chunks:
            buffer.write(chunk)
            pending += rows_per_chunk
            if pending >= 100000:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                count, buffer, pending = count + pending, io.StringIO(), 0
        if pending:
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
            count += pending
    return count


def _csv_lines(rows):
    """Each row as one CSV line; None becomes \\N (NULL), an empty string stays empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _insert(model, fields: list[str], rows) -> int:
    """Insert plain rows (tuples in `fields` order) without building model objects:
    COPY on PostgreSQL (psycopg2 copy_expert, 100,000 rows a round), bulk_create in
    batches elsewhere. For the big tables whose ids nobody needs back."""
    if connection.vendor == "postgresql":
        return _copy_text(model, fields, _csv_lines(rows))
    attnames = [model._meta.get_field(name).attname for name in fields]
    count, batch = 0, []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


def _set_project_totals() -> None:
    """Each project's running totals (kept by progress acceptance in the site) from its
    accepted activities, in one UPDATE … FROM (PostgreSQL, SQLite ≥ 3.33)."""
    project, activity, report = (m._meta.db_table for m in (Project, Activity, ProgressReport))
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE "{project}" SET activities_count = s.n, direct_participations = s.d,
                   indirect_beneficiaries = s.i, volunteers = s.v
            FROM (SELECT r.project_id AS pid, COUNT(*) AS n, SUM(a.direct_participations) AS d,
                         SUM(a.indirect_beneficiaries) AS i, SUM(a.volunteers) AS v
                  FROM "{activity}" a JOIN "{report}" r ON a.report_id = r.id
                  WHERE r.status = %s GROUP BY r.project_id) AS s
            WHERE "{project}".id = s.pid""", ["accepted"])


def _synthesise_communities(total: int, rng: random.Random) -> None:
    """Communities beyond the real ones, spread over the real streets, named 合成… and
    marked 合成数据 in their official name."""
    have = Community.objects.count()
    if total <= have:
        return
    streets = list(Region.objects.filter(level=Region.Level.STREET).order_by("code"))
    per_street = -(-(total - have) // len(streets))
    _bulk(Community, [
        Community(code=f"{street.code}{500 + k:03d}", name=f"合成{street.name[:4]}{k:03d}社区",
                  official_name=SYNTHETIC, street=street, kind=rng.choice(["urban", "rural", "converted"]),
                  population=rng.randint(2000, 30000))
        for street in streets for k in range(per_street)][: total - have])


def seed(scale: Scale, rng: random.Random | None = None) -> dict:
    """Bulk-insert the dataset. Rows are written directly (not through services) for
    speed; the figures stay consistent with what the services would have produced
    (project running totals equal the sums of accepted activities, etc.)."""
    rng = rng or random.Random(2016)
    timings = {}
    started = time.perf_counter()
    load_divisions()
    _synthesise_communities(scale.communities, rng)
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
        community_of = {p.pk: p.community_id for p in projects}

        def activity_rows():
            for i in range(scale.activities):
                report = accepted[i % len(accepted)]
                direct, indirect, volunteers = rng.randint(10, 300), rng.randint(50, 1000), rng.randint(0, 20)
                yield (report.pk, report.period_start + datetime.timedelta(days=i % 25), f"活动{i}",
                       "courtyard_meeting", community_of[report.project_id], "", direct, indirect, volunteers)

        _insert(Activity, ["report", "held_on", "title", "kind", "community", "place", "direct_participations",
                           "indirect_beneficiaries", "volunteers"], activity_rows())
        _fill_participation_rollup()
        _set_project_totals()
        timings["progress"] = time.perf_counter() - started
        indicators = list(Indicator.objects.filter(category__rubric=rubric).select_related("category"))
        factors = [Decimal(f) for f in ("0.5", "0.6", "0.7", "0.8", "0.9", "1")]
        # Six possible factors: the 53 scores of each, its sheet total and its category
        # thirds are computed once, not per sheet; each sheet draws its factor up front,
        # so evaluations and sheets go in with their totals (no bulk_update afterwards).
        scored = {f: [(i, (i.max_score * f).quantize(Decimal("0.01"))) for i in indicators] for f in factors}
        sheet_total = {f: sum((v for _i, v in values), Decimal("0")) for f, values in scored.items()}
        thirds: dict[Decimal, dict[str, Decimal]] = {}
        for f, values in scored.items():
            for indicator, value in values:
                code = indicator.category.code
                thirds.setdefault(f, {})[code] = thirds.get(f, {}).get(code, Decimal("0")) + value / 3
        evaluators = [users["evaluator"], users["evaluator2"], users["evaluator3"]]
        choices = [rng.choice(factors) for _ in range(scale.evaluations * len(evaluators))]
        from assessments.services import grade_for

        def evaluation(i):
            drawn = choices[i * len(evaluators):(i + 1) * len(evaluators)]
            total = sum((sheet_total[f] / 3 for f in drawn), Decimal("0")).quantize(Decimal("0.01"))
            categories = {code: str(sum((thirds[f][code] for f in drawn), Decimal("0")).quantize(Decimal("0.01")))
                          for code in thirds[drawn[0]]}
            return Evaluation(project=projects[i % len(projects)], rubric=rubric, stage="midterm", status="published",
                              scheduled_on=datetime.date(2024, 6, 1), published_at=now, total=total,
                              grade=grade_for(total, rubric.grade_bands), category_scores=categories)

        evaluations = _bulk(Evaluation, [evaluation(i) for i in range(scale.evaluations)])
        sheets = _bulk(EvaluatorSheet, [
            EvaluatorSheet(evaluation=e, evaluator=u, status="submitted", submitted_at=now,
                           total=sheet_total[choices[i * len(evaluators) + k]])
            for i, e in enumerate(evaluations) for k, u in enumerate(evaluators)])
        score_fields = ["sheet", "indicator", "score", "evidence", "comment"]
        if connection.vendor == "postgresql":
            tails = {f: [f",{i.pk},{v},,\n" for i, v in values] for f, values in scored.items()}
            _copy_text(Score, score_fields, ("".join([f"{sheet.pk}{tail}" for tail in tails[f]])
                                             for sheet, f in zip(sheets, choices, strict=True)),
                       rows_per_chunk=len(indicators))
        else:
            _insert(Score, score_fields, ((sheet.pk, i.pk, v, "", "") for sheet, f in zip(sheets, choices, strict=True)
                                          for i, v in scored[f]))
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


def _fill_participation_rollup() -> None:
    """The roll-up progress acceptance keeps, computed once for the seeded activities."""
    from django.db.models import Count, F, Sum
    from django.db.models.functions import TruncMonth

    from projects.models import ParticipationRollup

    rows = (Activity.objects.filter(report__status="accepted")
            .annotate(month=TruncMonth("held_on"), district_id=F("report__project__community__street__parent_id"))
            .order_by().values("district_id", "month")
            .annotate(n=Count("id"), direct=Sum("direct_participations"), indirect=Sum("indirect_beneficiaries"),
                      volunteers_sum=Sum("volunteers")))
    _bulk(ParticipationRollup, [
        ParticipationRollup(district_id=row["district_id"], month=row["month"], activities=row["n"],
                            direct_participations=row["direct"] or 0, indirect_beneficiaries=row["indirect"] or 0,
                            volunteers=row["volunteers_sum"] or 0) for row in rows])


def _users(city, districts, communities) -> dict[str, User]:
    users = {}
    for name in ("city_bureau", "street", "community", "agency", "evaluator", "evaluator2", "evaluator3"):
        users[name] = User.objects.create_user(username=f"bench_{name}", password=PASSWORD, real_name=name)
    users["admin"] = User.objects.create_superuser(username="bench_admin", password=PASSWORD, real_name="admin")
    street = communities[0].street
    _bulk(RoleAssignment, [
        RoleAssignment(user=users["city_bureau"], role=Role.BUREAU, region=city),
        RoleAssignment(user=users["street"], role=Role.STREET, region=street),
        RoleAssignment(user=users["community"], role=Role.COMMUNITY, community=communities[0]),
        *[RoleAssignment(user=users[n], role=Role.EVALUATOR) for n in ("evaluator", "evaluator2", "evaluator3")],
    ])
    return users


