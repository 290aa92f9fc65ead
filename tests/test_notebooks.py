"""Every notebook follows the course conventions (nbval checks the outputs themselves)."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys

import nbformat
import pytest

from helpers.constants import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ADDRESS = re.compile(r"at 0x[0-9a-f]{6,}")


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


def test_navigation_and_course_map_are_up_to_date():
    result = subprocess.run([sys.executable, "tools/navigation.py", "--check"], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_structure(path):
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    assert "navigation" in tags(cells[0]) and "navigation" in tags(cells[-1])
    assert cells[1].cell_type == "markdown" and cells[1].source.startswith(f"# {path.name[:2]}")
    intro = cells[1].source
    for part in ("Business question", "You will learn", "Time:", "Prerequisites"):
        assert part in intro, f"{path.name}: introduction lacks '{part}'"
    assert sum("parameters" in tags(c) for c in cells) == 1
    headings = [line for c in cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    assert "## Exercises" in headings and "## Summary" in headings
    solutions = [c for c in cells if "solution" in tags(c) and c.cell_type == "code"]
    # two to four exercises; a worked solution may take two short cells rather than one long one
    assert 2 <= len(solutions) <= 8, f"{path.name}: {len(solutions)} solution cells"
    assert all(c.source.strip() for c in cells if "solution" in tags(c))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    # executed top to bottom in one fresh kernel
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}: error output"
            if output.output_type == "stream":
                assert output.name == "stdout", f"{path.name}: stderr output {output.text[:80]}"
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert not ADDRESS.search(text), f"{path.name}: memory address in output"
            assert "Warning" not in text or "environment differs" in text, (
                f"{path.name}: warning in output: {text[:120]}")


def code_cell_lengths(path) -> list[int]:
    """Lines of each code cell, comments included (the count of issue 12)."""
    nb = nbformat.read(path, as_version=4)
    return [len(c.source.rstrip().splitlines()) for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_code_cell_does_one_thing(path):
    """No code cell over 20 lines: longer blocks belong in helpers as named functions."""
    lengths = code_cell_lengths(path)
    too_long = [i for i, n in enumerate(lengths, start=1) if n > 20]
    assert not too_long, f"{path.name}: code cells {too_long} are over 20 lines"


def test_few_cells_are_over_twelve_lines():
    """At most 5% of the course's code cells (setup cells included) run over 12 lines."""
    lengths = [n for path in NOTEBOOKS for n in code_cell_lengths(path)]
    over = sum(n > 12 for n in lengths)
    assert over <= 0.05 * len(lengths), f"{over} of {len(lengths)} code cells over 12 lines"


def is_module(name: str) -> bool:
    """Whether ``name`` is an importable module (``helpers.rfm``), not a name inside one."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent is a module, not a package
        return False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_imports_modules_not_names(path):
    """The setup cell imports helpers modules (``from helpers import rfm``), not their names."""
    nb = nbformat.read(path, as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code").source
    names = [f"{node.module}.{alias.name}" for node in ast.walk(ast.parse(setup))
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers")
             for alias in node.names
             if not is_module(f"{node.module}.{alias.name}")]
    assert not names, f"{path.name}: setup imports names, not modules: {names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_core_ends_with_exercises_and_summary_then_optional_depth(path):
    """A teacher stops at the summary: exercises, then the summary, then "Going further"."""
    nb = nbformat.read(path, as_version=4)
    headings = [line[3:] for c in nb.cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("## ")]
    tail = ["Going further" if h.startswith("Going further") else h for h in headings
            if h in ("Exercises", "Summary") or h.startswith("Going further")]
    assert tail in (["Exercises", "Summary"], ["Exercises", "Summary", "Going further"]), tail


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stated_time_agrees_with_the_course_map(path):
    """The title cell's time (core, then the optional section) is the README course map's."""
    sys.path.insert(0, str(REPO_ROOT / "tools"))
    from course import LESSONS

    lesson = next(lesson for lesson in LESSONS if lesson.file == path.name)
    intro = nbformat.read(path, as_version=4).cells[1].source
    stated = f"**Time:** about {lesson.minutes} minutes"
    if lesson.optional_minutes:
        stated += f" (the optional section adds about {lesson.optional_minutes})"
    assert stated + "." in intro, f"{path.name}: the title cell does not say '{stated}.'"
    has_optional = any(c.cell_type == "markdown" and c.source.startswith("## Going further")
                       for c in nbformat.read(path, as_version=4).cells)
    assert has_optional == bool(lesson.optional_minutes), path.name
