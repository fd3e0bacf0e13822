"""The layout, checked: apps import only apps below them, and no modules inside an app
import each other in a circle. Imports inside functions count too (a lazy import is
still a dependency; it was how circles were hidden). Tests and migrations are exempt.

The order is the one in settings.INSTALLED_APPS; a new app goes into LAYERS too."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first: an app may import the apps before it, never one after it.
LAYERS = [
    "idempotency",
    "web",
    "operations",
    "audit",
    "notifications",
    "workflow",
    "accounts",
    "places",
    "archive",
    "residents",
    "organizations",
    "commons",
    "projects",
    "assessments",
    "councils",
    "timebank",
    "publicfunds",
    "programme",
    "reports",
    "shequ",
]


def _files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(module: str) -> bool:
    return (ROOT / module.replace(".", "/") / "__init__.py").exists()


def _exists(module: str) -> bool:
    return _is_package(module) or (ROOT / (module.replace(".", "/") + ".py")).exists()


def _imports(path: Path) -> set[str]:
    """Every module this file imports, anywhere in it, as absolute dotted names."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from pkg import submodule` depends on the submodule itself.
            submodules = [f"{target}.{a.name}" for a in node.names if _exists(f"{target}.{a.name}")]
            if submodules and len(submodules) == len(node.names):
                found.update(submodules)
            else:
                found.add(target)
                found.update(submodules)
    return found


def _graph():
    graph = {}
    for app in LAYERS:
        for path in _files(app):
            graph[_module_name(path)] = _imports(path)
    return graph


def test_every_local_app_has_a_layer():
    local = [app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()]
    assert sorted(set(local)) == sorted(LAYERS), "add the new app to LAYERS in its place"
    assert [app for app in local if app in LAYERS] == LAYERS, "INSTALLED_APPS lists our apps lowest first"


def test_apps_import_only_apps_below_them():
    rank = {app: i for i, app in enumerate(LAYERS)}
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if target.split(".")[0] in rank and rank[target.split(".")[0]] > rank[module.split(".")[0]]
    )
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_no_import_cycles_inside_an_app():
    graph = _graph()
    within = {m: {t for t in targets if t.split(".")[0] == m.split(".")[0] and t != m} for m, targets in graph.items()}
    assert _cycles(within) == []


def test_the_checker_sees_lazy_imports_and_cycles():
    # The checker itself: a circle through a function-level import is found.
    assert _cycles({"a.x": {"a.y"}, "a.y": {"a.x"}}) == [["a.x", "a.y"]]
    tree = ast.parse("def f():\n    from projects import services\n")
    assert any(isinstance(n, ast.ImportFrom) for n in ast.walk(tree))


HTML_TAG = re.compile(r"<(span|div|option|svg|a|p|table|tr|td|li|ul|script|style)[\s>]")


def test_html_lives_in_templates():
    """Markup in Python strings escapes nothing by default and hides from translators:
    pages, fragments and SVG charts are templates."""
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("tests/", ".venv/", "var/")) or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and HTML_TAG.search(node.value):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


MAX_MODULE_LINES = 400
# Temporary: the lead splits these two; remove them from the list when that lands.


def test_no_module_over_400_lines():
    """A module a newcomer can read in one sitting: split a long one into cohesive,
    domain-named modules instead of letting it grow."""
    long = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("tests/", ".venv/", "var/")) or "/migrations/" in relative:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long.append(f"{relative}: {lines}")
    assert long == []
