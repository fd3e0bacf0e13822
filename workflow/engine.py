"""The one workflow engine: every stateful model declares its machine once, and every
state change goes through `Machine.fire`.

A machine is data — states with Chinese labels, transitions with their source states,
target, who may fire them (a role-and-scope predicate from the access layer), guards
that return the Chinese reason when they refuse, and side effects. `fire` does the
rest the same way for every model: re-read the row under lock, check state → who →
guards, move the state with a conditional UPDATE (so two clicks or two clerks never
move it twice), write the audit row, run the side effects — all in the caller's
transaction. `allowed(obj, user)` answers which transitions a user may fire now; pages
draw their buttons from it and the API lists it as `actions`, so no page offers what
the service would refuse.

A small engine of our own rather than django-fsm-2 or viewflow: we need the guards to
return Chinese reasons (not booleans), the permission to be our access layer's
role-and-scope predicates, the audit row and notifications in the same transaction,
and a declaration the tests can walk; the libraries give decorators on model methods
that would put business logic on the models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from audit import services as audit
from audit.registry import register_default_actions

Who = Callable[[Any, models.Model], bool]
Guard = Callable[[models.Model, Any, dict], "str | None"]
Effect = Callable[[models.Model, Any, dict], None]


def anyone(user, obj) -> bool:
    return True


def nobody(user, obj) -> bool:
    """For transitions only the system fires (a beat task, another service)."""
    return False


@dataclass(frozen=True)
class Transition:
    name: str  # stable ASCII identifier: "submit", "accept" …
    sources: frozenset[str]
    target: str
    label: str  # the button, in Chinese
    who: Who = nobody
    refusal: str = ""  # the Chinese reason when `who` says no
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    confirm: str = ""  # shown before an irreversible step; empty = no confirmation
    reason_required: bool = False
    style: str = "primary"  # primary / danger / secondary — how the button looks


@dataclass
class Machine:
    """One declared state machine for one model's status field."""

    name: str  # audit prefix: "application", "progress_report" …
    model: type[models.Model]
    states: type[models.TextChoices]
    initial: str
    transitions: list[Transition] = field(default_factory=list)
    field_name: str = "status"
    verbose_name: str = ""

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}
        if len(self.by_name) != len(self.transitions):
            raise ValueError(f"{self.name}: duplicate transition names")
        known = set(self.states.values)
        for t in self.transitions:
            if not t.sources <= known or t.target not in known:
                raise ValueError(f"{self.name}.{t.name}: unknown state")

    # --- reading ------------------------------------------------------------------

    def state_of(self, obj) -> str:
        return getattr(obj, self.field_name)

    def state_label(self, state: str) -> str:
        return str(self.states(state).label)

    def refusal(self, obj, user, transition: Transition, context: dict | None = None) -> str | None:
        """The Chinese reason `user` may not fire `transition` on `obj` now, or None."""
        if not transition.who(user, obj):
            return transition.refusal or _("您没有权限%(a)s。") % {"a": transition.label}
        state = self.state_of(obj)
        if state not in transition.sources:
            return self._wrong_state(state, transition)
        for guard in transition.guards:
            reason = guard(obj, user, context or {})
            if reason:
                return str(reason)
        return None

    def _wrong_state(self, state: str, transition: Transition) -> str:
        return _("当前状态为“%(s)s”，不能%(a)s。") % {"s": self.state_label(state), "a": transition.label}

    def allowed(self, obj, user) -> list[Transition]:
        """The transitions `user` may fire on `obj` now, in declaration order."""
        return [t for t in self.transitions if self.refusal(obj, user, t) is None]

    # --- moving -------------------------------------------------------------------

    def fire(self, obj, name: str, *, actor, reason: str = "", updates: dict | None = None,
             context: dict | None = None, data: dict | None = None, system: bool = False):
        """Fire transition `name` on `obj` as `actor`; returns the fresh object.

        Refusals are `ValidationError` (wrong state, a guard) or `PermissionDenied`
        (who), each with the Chinese reason; nothing is changed then. `system=True` is
        for a step another service (or a beat task) takes as a consequence of one the
        actor was allowed: the who-check is the caller's, state and guards still hold."""
        transition = self.by_name[name]
        context = dict(context or {})
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            # Who first: someone who may not act learns nothing about the state.
            if not system and not transition.who(actor, locked):
                raise PermissionDenied(transition.refusal or _("您没有权限%(a)s。") % {"a": transition.label})
            state = self.state_of(locked)
            if state not in transition.sources:
                raise ValidationError(self._wrong_state(state, transition))
            for guard in transition.guards:
                refused = guard(locked, actor, context)
                if refused:
                    raise ValidationError(str(refused))
            if transition.reason_required and not (reason or "").strip():
                raise ValidationError({"reason": _("请填写理由。")})
            changed = self.model._default_manager.filter(**{"pk": locked.pk, self.field_name: state}).update(
                **{self.field_name: transition.target, **(updates or {})})
            if changed != 1:  # only possible without a real row lock (SQLite): someone else moved it
                raise ValidationError(_("该记录刚刚已被处理，请刷新页面查看最新状态。"))
            locked.refresh_from_db()
            # Callers often go on with the instance they passed in: keep it in step.
            for name_ in (self.field_name, *(updates or {})):
                setattr(obj, name_, getattr(locked, name_))
            audit.record(actor=actor, obj=locked, action=f"{self.name}.{transition.name}", from_state=state,
                              to_state=transition.target, reason=reason or "", data=data)
            for effect in transition.effects:
                effect(locked, actor, context)
        return locked


# --- the registry of machines: the tests walk it, the template tag and API read it ----

_machines: dict[str, Machine] = {}


def register(machine: Machine) -> Machine:
    label = machine.model._meta.label_lower
    if label in _machines and _machines[label] is not machine:
        raise ValueError(f"a machine for {label} is already registered")
    _machines[label] = machine
    register_default_actions({f"{machine.name}.{t.name}": t.label for t in machine.transitions})
    return machine


def machine_for(obj_or_model) -> Machine:
    return _machines[obj_or_model._meta.label_lower]


def machines() -> Iterable[Machine]:
    return list(_machines.values())


def reachable_states(machine: Machine) -> set[str]:
    seen, frontier = {machine.initial}, [machine.initial]
    while frontier:
        state = frontier.pop()
        for t in machine.transitions:
            if state in t.sources and t.target not in seen:
                seen.add(t.target)
                frontier.append(t.target)
    return seen


def actions_for(obj, user) -> list[dict]:
    """What the API lists as `actions` and pages draw as buttons."""
    machine = machine_for(obj)
    return [{"name": t.name, "label": str(t.label), "confirm": str(t.confirm), "reason_required": t.reason_required,
             "style": t.style} for t in machine.allowed(obj, user)]
