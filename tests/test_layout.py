"""The code's layers, checked from its imports: who may import whom, no cycles, no oversized modules.

Read straight from the source with :mod:`ast` (imports inside functions count too), so a new import
that crosses a layer fails here before a reader has to find it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kernels", "imaging", "web")

# Each layer and the layers it may import. The engine's vocabulary (errors, options, limits) is shared.
VOCABULARY = {"kernels.errors", "kernels.options", "kernels.limits"}
ENGINE = VOCABULARY | {"kernels.engine", "kernels.library", "kernels.teaching", "kernels.exports"}
ALLOWED = {
    "kernels.errors": set(),
    "kernels.options": set(),
    "kernels.limits": set(),
    "kernels.engine": VOCABULARY,
    "kernels.library": VOCABULARY,
    "kernels.teaching": VOCABULARY | {"kernels.engine", "kernels.library"},
    "kernels.exports": VOCABULARY | {"kernels.engine", "kernels.library", "kernels.teaching"},
    "imaging": VOCABULARY,
    "web.query": ENGINE | {"imaging"},
    "web.present": ENGINE | {"web.query"},
    "web.services": ENGINE | {"imaging", "web.query"},
    "web.page": ENGINE | {"imaging", "web.query", "web.present", "web.services"},
    "web.routes": ENGINE | {"imaging", "web.query", "web.present", "web.services", "web.page"},
}
# What a layer may not touch: the engine is pure NumPy and knows nothing of the web or disks; reading the request
# and presenting numbers are plain functions of their arguments, so they never reach for Flask's request.
FORBIDDEN = {
    "kernels": {"flask", "werkzeug", "PIL", "redis", "jinja2", "web", "imaging", "app"},
    "imaging": {"flask", "werkzeug", "jinja2", "web", "app"},
    "web.query": {"flask", "werkzeug", "app"},
    "web.present": {"flask", "werkzeug", "app"},
}
# Modules allowed past 400 lines, with the reason.
LONG_MODULES: dict[str, str] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of the import nodes under ``if TYPE_CHECKING:``: names for annotations, never imported at run time."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return skipped


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports at run time (inside functions too), resolved to a project module where it
    names one."""
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                names.add(child if child in MODULES else node.module)
    return names


IMPORTS = {name: _imports(path) for name, path in MODULES.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] in ("kernels", "web") and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def test_each_layer_imports_only_the_layers_beneath_it():
    crossings = []
    for module, imported in IMPORTS.items():
        own = _layer(module)
        for name in imported:
            if name.split(".")[0] not in PACKAGES:
                continue
            other = _layer(name)
            if other != own and other not in ALLOWED[own]:
                crossings.append(f"{module} imports {name}")
    assert crossings == []


def test_the_engine_and_the_pictures_stay_away_from_the_web():
    found = []
    for module, imported in IMPORTS.items():
        banned = FORBIDDEN.get(_layer(module), FORBIDDEN.get(module.split(".")[0], set()))
        found += [f"{module} imports {name}" for name in imported if name.split(".")[0] in banned]
    assert found == []


def test_no_import_cycle():
    graph = {module: {name for name in imported if name in MODULES} for module, imported in IMPORTS.items()}
    # A package's __init__ importing its own modules is how a door works, not a cycle.
    for module in graph:
        graph[module] = {name for name in graph[module] if not name.startswith(module + ".")}
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for name in sorted(graph[module]):
            if state.get(name) == 1:
                cycles.append(" → ".join([*trail[trail.index(name) :], name]))
            elif name not in state:
                visit(name, [*trail, name])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_module_over_400_lines_without_a_reason():
    sources = [*MODULES.values(), *(ROOT / "static").glob("*.js"), *(ROOT / "bench").glob("*.py")]
    sources += (ROOT / "tests").rglob("*.py")
    long = {}
    for path in sources:
        count = len(path.read_text(encoding="utf-8").splitlines())
        name = str(path.relative_to(ROOT))
        if count > 400 and name not in LONG_MODULES:
            long[name] = count
    assert long == {}


def test_the_architecture_page_has_a_line_for_every_module():
    listed, section = set(), None
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## `([^`]+)`", line)
        if heading:
            section = heading[1]
            continue
        row = re.match(r"\| `([^`]+\.py)` \|", line)
        if row and section:
            listed.add(row[1] if "/" in row[1] else section + row[1])
    modules = {str(path.relative_to(ROOT)) for path in MODULES.values()} - {"web/__init__.py"}
    assert (modules - listed, listed - modules) == (set(), set())


def test_the_web_half_and_imaging_enter_the_engine_by_its_door():
    # kernels.engine and its cost model; the other modules of kernels/engine are its own parts.
    door = {"kernels.engine", "kernels.engine.cost"}
    past = {
        (module, name)
        for module, imported in IMPORTS.items()
        if module.split(".")[0] in ("web", "imaging")
        for name in imported
        if name.startswith("kernels.engine.") and name not in door
    }
    assert past == set()
