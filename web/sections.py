"""Sections that higher apps add to a lower app's pages. The project page shows the
project's evaluations, but evaluations belong to `assessments`, above `projects`: so
`assessments` registers a section from its `AppConfig.ready()` and the page renders
whatever is registered, without naming the higher app.

    sections.register(page="project_detail", slot="main", template="assessments/_project_evaluations.html",
                      context=project_evaluations)

Pages and the keyword arguments their context functions get: "community_detail"
(community), "project_detail" (project), "application_detail" (application, user).
Slots are places in the page's template ("actions", "main", "alerts"). A context
function returns names added to the page's context; a `timeline` entry there is merged
into the page's timeline instead.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    page: str
    slot: str
    template: str
    context: Callable[..., dict] | None = None
    order: int = 100


_sections: list[Section] = []


def register(*, page: str, slot: str, template: str, context: Callable[..., dict] | None = None,
             order: int = 100) -> Section:
    section = Section(page=page, slot=slot, template=template, context=context, order=order)
    if section not in _sections:
        _sections.append(section)
    return section


def sections_for(page: str) -> list[Section]:
    return sorted((s for s in _sections if s.page == page), key=lambda s: s.order)


def build(page: str, **kwargs) -> dict:
    """The page's `sections` ({slot: [template, …]}), the names the sections' context
    functions add, and the `timeline` events they contribute."""
    slots: dict[str, list[str]] = {}
    context: dict = {}
    timeline: list[dict] = []
    for section in sections_for(page):
        slots.setdefault(section.slot, []).append(section.template)
        if section.context is not None:
            extra = dict(section.context(**kwargs))
            timeline.extend(extra.pop("timeline", []))
            context.update(extra)
    return {"sections": slots, "section_timeline": timeline, **context}
