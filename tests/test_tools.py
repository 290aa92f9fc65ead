"""The course tools: learner copies stay in step, the environment check, the data dictionary."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest

from helpers.constants import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tools"))
from make_student import student_version  # noqa: E402

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO_ROOT, capture_output=True,
                          text=True)


def test_learner_copies_are_in_step():
    result = run_tool("tools/make_student.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_learner_copy_removes_only_solutions(path):
    nb = nbformat.read(path, as_version=4)
    copy = student_version(nb, path.name)
    assert len(copy.cells) == len(nb.cells)
    for original, learner in zip(nb.cells, copy.cells, strict=True):
        if "solution" in original.metadata.get("tags", []):
            assert learner.metadata["tags"] == ["exercise"]
            assert learner.cell_type == original.cell_type
            assert "Your answer here" in learner.source or "Your conclusion here" in learner.source
            assert original.source.strip() not in learner.source
            if learner.cell_type == "code":
                assert learner.outputs == []
        else:
            assert learner == original


def _sentences(text: str) -> list[str]:
    """The sentences of a markdown text that are long enough to identify an answer."""
    flat = re.sub(r"\s+", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.!?:])\s", flat) if len(s.strip()) >= 40]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_learner_copy_holds_no_answer(path):
    """Neither the solution code nor any sentence of a written answer survives in student/."""
    nb = nbformat.read(path, as_version=4)
    learner = nbformat.read(REPO_ROOT / "student" / path.name, as_version=4)
    learner_text = re.sub(r"\s+", " ", " ".join(c.source for c in learner.cells))
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    # A line the lesson itself shows (outside the solutions) is no leak when the copy shows it.
    lesson = re.sub(r"\s+", " ", " ".join(
        c.source for c in nb.cells if "solution" not in c.metadata.get("tags", [])))
    answers = [c for c in solutions if c.cell_type == "markdown"]
    assert answers, f"{path.name}: no written answer is tagged 'solution'"
    for cell in solutions:
        if cell.cell_type == "code":
            code_lines = [line.strip() for line in cell.source.splitlines()
                          if len(line.strip()) >= 25]
            leaked = [line for line in code_lines if line in learner_text and line not in lesson]
        else:
            leaked = [s for s in _sentences(cell.source) if s in learner_text]
        assert not leaked, f"{path.name}: the learner copy still shows {leaked[0]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_answer_is_tagged(path):
    """The cell right after a solution is never an untagged written answer."""
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells[:-1]):
        following = cells[index + 1]
        if "solution" in cell.metadata.get("tags", []) and following.cell_type == "markdown":
            first = following.source.lstrip()
            tags = following.metadata.get("tags", [])
            assert ("solution" in tags or "navigation" in tags
                    or first.startswith(("**Exercise", "#"))), (
                f"{path.name}: the text after solution cell {index} is an untagged answer")


def test_environment_check_passes_here():
    result = run_tool("tools/check_environment.py")
    assert result.returncode == 0, result.stdout
    assert "All set" in result.stdout


def test_data_dictionary_is_up_to_date():
    result = run_tool("tools/data_dictionary.py", "--check")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("tool", ["navigation", "run_with_parameters", "export_figures",
                                  "make_student"])
def test_help_prints_the_usage_and_touches_nothing(tool):
    watched = sorted((REPO_ROOT / "notebooks").glob("*.ipynb")) + [REPO_ROOT / "README.md"]
    before = {path: path.read_bytes() for path in watched}
    result = run_tool(f"tools/{tool}.py", "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert {path: path.read_bytes() for path in watched} == before
