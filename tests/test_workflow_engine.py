"""Tests generated from the machine declarations, not hand-listed: every machine's
states are reachable from its initial state; every transition is tried from every
state — refused outside its sources with nothing changed, taken (or refused by a guard
with its reason) inside them, with an audit row; and no code outside the engine writes
a status field."""

import ast
import pathlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from workflow.engine import machines, reachable_states

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Seeding the province-scale benchmark writes rows in bulk, states included: it is a
# data generator, not a workflow.
# The e-mail outbox's status is delivery bookkeeping moved only by its delivery code
# (conditional updates), not a workflow object: no person acts on it, and
# `notifications` sits below the engine in the layout.
EXEMPT = {"workflow/engine.py", "reports/bench.py", "notifications/outbox.py"}
WRITE_CALLS = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}


def test_every_stateful_model_has_a_machine():
    declared = {m.model._meta.label_lower for m in machines()}
    assert {"projects.application", "projects.project", "projects.progressreport", "projects.rectification",
            "projects.reviewsheet", "assessments.evaluation", "assessments.evaluatorsheet", "assessments.rubric",
            "reports.report"} <= declared


@pytest.mark.parametrize("machine", machines(), ids=lambda m: m.name)
def test_every_state_is_reachable_and_labelled(machine):
    assert reachable_states(machine) == set(machine.states.values), "unreachable states"
    for transition in machine.transitions:
        assert transition.label and not str(transition.label).isascii(), "labels are Chinese"
        assert transition.name.isascii() and transition.name.isidentifier()


def _state_field_writes(path: pathlib.Path, fields: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in fields:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} assigns .{target.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITE_CALLS:
            for keyword in node.keywords:
                if keyword.arg in fields:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}({keyword.arg}=…)")
    return found


def test_no_code_outside_the_engine_writes_a_status():
    fields = {m.field_name for m in machines()}
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("tests/", ".venv/", "var/")) or "/migrations/" in relative or relative in EXEMPT:
            continue
        offenders += _state_field_writes(path, fields)
    assert offenders == []


@pytest.fixture
def one_of_each(cast, places, django_capture_on_commit_callbacks):
    """The demo has an object of every machine's model; a report job is requested."""
    from accounts.models import User
    from places.models import Region
    from reports import services as report_services
    from shequ.demo import seed_demo

    seed_demo()
    with django_capture_on_commit_callbacks(execute=False):
        report_services.report_request(actor=User.objects.get(username="city_bureau"), kind="funding",
                                       format="csv", region=Region.objects.get(code="510100"))


@pytest.mark.parametrize("machine", machines(), ids=lambda m: m.name)
def test_every_transition_from_every_state(machine, one_of_each):
    obj = machine.model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {machine.name} to try"
    manager = machine.model._default_manager
    for transition in machine.transitions:
        for state in machine.states.values:
            manager.filter(pk=obj.pk).update(**{machine.field_name: state})
            obj.refresh_from_db()
            audits = AuditEvent.objects.count()
            if state not in transition.sources:
                with pytest.raises(ValidationError) as refused:
                    machine.fire(obj, transition.name, actor=None, system=True, reason="测试")
                assert "当前状态" in str(refused.value)
                obj.refresh_from_db()
                assert machine.state_of(obj) == state and AuditEvent.objects.count() == audits
                continue
            try:
                with transaction.atomic():
                    moved = machine.fire(obj, transition.name, actor=None, system=True, reason="测试",
                                         context={"signed_on": "2026-01-01"})
            except ValidationError as guard:  # a guard may refuse — with its reason, not the state's
                assert "当前状态" not in str(guard)
                continue
            assert machine.state_of(moved) == transition.target
            event = AuditEvent.objects.latest("id")
            assert (event.action, event.from_state, event.to_state) == (
                f"{machine.name}.{transition.name}", state, transition.target)
