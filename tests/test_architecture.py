"""The imports of ``helpers`` flow one way, and every module has its place.

Every module of ``helpers`` belongs to one class of the table below; a module may import only
modules of the classes its class is allowed to use:

=============  =====================================================  =========================
class          what                                                   may import
=============  =====================================================  =========================
foundation     constants, validation, schema, versions                foundation
simulator      the simulated retailer (``helpers.simulator``)         foundation, simulator
analysis       course topics: cleaning, features, models, metrics,    foundation, analysis
               evaluation, plotting...
data           data access: raw sources, stages, real datasets        everything
=============  =====================================================  =========================

So models and metrics never import the simulator or the data layer, the simulator imports no
analysis module, and there are no import cycles. Imports are read with :mod:`ast`: top-level
and function-local ones, absolute and relative, ``importlib.import_module`` with a literal name.
A new module fails :func:`test_every_module_has_a_class` until it is placed in the table.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

from helpers.constants import REPO_ROOT

PACKAGE = "helpers"

#: Which class each module belongs to. ``name.*`` stands for every module inside package ``name``.
CLASSES: dict[str, tuple[str, ...]] = {
    "foundation": ("helpers", "helpers.constants", "helpers.validation", "helpers.schema",
                   "helpers.versions"),
    "simulator": ("helpers.simulator", "helpers.simulator.*"),
    "analysis": (
        "helpers.acquisition", "helpers.attribution", "helpers.attribution.*",
        "helpers.campaigns", "helpers.charts", "helpers.charts.*", "helpers.scale",
        "helpers.scale.*", "helpers.churn", "helpers.cleaning", "helpers.clv",
        "helpers.clv_summary", "helpers.collect", "helpers.evaluation", "helpers.features",
        "helpers.forecast", "helpers.grading", "helpers.labels", "helpers.metrics",
        "helpers.mmm", "helpers.mmm.*", "helpers.personas", "helpers.plotting",
        "helpers.privacy", "helpers.profiling", "helpers.recommend", "helpers.reduction",
        "helpers.rfm", "helpers.segmentation", "helpers.splits", "helpers.targeting",
        "helpers.uplift",
    ),
    "data": ("helpers.data", "helpers.sources", "helpers.cdnow", "helpers.online_retail"),
}

#: The classes each class may import from.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "foundation": frozenset({"foundation"}),
    "simulator": frozenset({"foundation", "simulator"}),
    "analysis": frozenset({"foundation", "analysis"}),
    "data": frozenset({"foundation", "simulator", "analysis", "data"}),
}


# --- the checker --------------------------------------------------------------------------------
def module_name(path: Path, root: Path) -> str:
    """Dotted module name of a ``.py`` file under ``root`` (the folder holding the package)."""
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every dotted name that ``module``'s code imports, wherever the import statement sits.

    ``from X import y`` yields both ``X`` and ``X.y`` (``y`` may be a submodule); relative
    imports are resolved against the module's package.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            yield target
            for alias in node.names:
                yield f"{target}.{alias.name}"
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and (getattr(node.func, "attr", None) == "import_module"
                   or getattr(node.func, "id", None) in ("import_module", "__import__"))):
            yield node.args[0].value


def import_graph(root: Path, package: str = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports (directly, anywhere in its code)."""
    files = {module_name(path, root): path for path in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = imported_names(tree, module, path.name == "__init__.py")
        graph[module] = {name for name in names if name in files and name != module}
    return graph


def class_of(module: str, classes: Mapping[str, Iterable[str]]) -> str | None:
    """The class whose table entry names ``module`` (exactly, or as ``package.*``)."""
    for kind, entries in classes.items():
        for entry in entries:
            if module == entry or (entry.endswith(".*") and module.startswith(entry[:-1])):
                return kind
    return None


def unclassified(graph: Mapping[str, set[str]], classes: Mapping[str, Iterable[str]]
                 ) -> list[str]:
    """Modules that no entry of the table places."""
    return sorted(module for module in graph if class_of(module, classes) is None)


def stale_entries(graph: Mapping[str, set[str]], classes: Mapping[str, Iterable[str]]
                  ) -> list[str]:
    """Exact entries of the table that name no existing module."""
    return sorted(entry for entries in classes.values() for entry in entries
                  if not entry.endswith(".*") and entry not in graph)


def wrong_direction(
    graph: Mapping[str, set[str]],
    classes: Mapping[str, Iterable[str]],
    may_import: Mapping[str, frozenset[str]],
) -> list[str]:
    """Every import that goes against the allowed direction, as readable sentences."""
    problems = []
    for module, targets in sorted(graph.items()):
        kind = class_of(module, classes)
        for target in sorted(targets):
            target_kind = class_of(target, classes)
            if kind is None or target_kind is None:
                continue  # reported by unclassified()
            if target_kind not in may_import[kind]:
                problems.append(f"{module} ({kind}) imports {target} ({target_kind})")
    return problems


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle as a path ``[a, b, ..., a]``, or None if the graph has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


# --- the checks on helpers ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(REPO_ROOT)


def test_every_module_has_a_class(graph):
    missing = unclassified(graph, CLASSES)
    assert not missing, f"place these modules in CLASSES of {__name__}: {missing}"
    stale = stale_entries(graph, CLASSES)
    assert not stale, f"CLASSES names modules that do not exist: {stale}"


def test_imports_flow_one_way(graph):
    problems = wrong_direction(graph, CLASSES, MAY_IMPORT)
    assert not problems, "imports against the architecture:\n" + "\n".join(problems)


def test_no_import_cycles(graph):
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_graph_sees_what_it_should(graph):
    """The reader finds relative, package-level and function-local imports."""
    assert "helpers.constants" in graph["helpers.validation"]
    assert "helpers.simulator.retailer" in graph["helpers.simulator"]  # from .retailer import
    assert "helpers.schema" in graph["helpers.simulator.retailer"]  # from ..schema import
    assert {"helpers.simulator", "helpers.sources"} <= graph["helpers.data"]
    assert "helpers.cdnow" in graph["helpers.data"]  # imported inside load_cdnow


# --- the checker itself can fail ---------------------------------------------------------------
def _graph_of(sources: dict[str, str], tmp_path: Path) -> dict[str, set[str]]:
    for name, text in sources.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return import_graph(tmp_path, "pkg")


def test_checker_reads_every_kind_of_import(tmp_path):
    graph = _graph_of(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": "",
            "pkg/model.py": "def fit():\n    from .sim import core\n",
            "pkg/sim/__init__.py": "from .core import make\n",
            "pkg/sim/core.py": "from .. import base\nimport pkg.model\n",
            "pkg/loader.py": "import importlib\nimportlib.import_module('pkg.base')\n",
        },
        tmp_path,
    )
    assert graph["pkg.model"] == {"pkg.sim", "pkg.sim.core"}
    assert graph["pkg.sim"] == {"pkg.sim.core"}
    assert graph["pkg.sim.core"] == {"pkg", "pkg.base", "pkg.model"}
    assert graph["pkg.loader"] == {"pkg.base"}


def test_checker_finds_a_cycle_and_its_path(tmp_path):
    graph = _graph_of(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from . import b\n",
            "pkg/b.py": "def late():\n    from .c import x\n",  # hidden in a function
            "pkg/c.py": "from .a import y\n",
        },
        tmp_path,
    )
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
    graph["pkg.c"] = set()
    assert find_cycle(graph) is None


def test_checker_finds_a_wrong_direction(tmp_path):
    graph = _graph_of(
        {
            "pkg/__init__.py": "",
            "pkg/constants.py": "",
            "pkg/rfm.py": "from .constants import K\n",
            "pkg/churn.py": "import pkg.sim.story\n",
            "pkg/sim/__init__.py": "",
            "pkg/sim/story.py": "from ..rfm import score\nfrom ..constants import K\n",
            "pkg/data.py": "from .sim import story\nfrom . import rfm\n",
            "pkg/new_topic.py": "",
        },
        tmp_path,
    )
    classes = {
        "foundation": ("pkg", "pkg.constants"),
        "simulator": ("pkg.sim", "pkg.sim.*"),
        "analysis": ("pkg.rfm", "pkg.churn", "pkg.gone"),
        "data": ("pkg.data",),
    }
    assert wrong_direction(graph, classes, MAY_IMPORT) == [
        "pkg.churn (analysis) imports pkg.sim.story (simulator)",
        "pkg.sim.story (simulator) imports pkg.rfm (analysis)",
    ]
    assert unclassified(graph, classes) == ["pkg.new_topic"]
    assert stale_entries(graph, classes) == ["pkg.gone"]
