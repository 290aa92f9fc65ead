"""The course tools: learner copies stay in step, the environment check, the data dictionary."""

from __future__ import annotations

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
            assert learner.outputs == [] and "Your answer here" in learner.source
            assert original.source.strip() not in learner.source
        else:
            assert learner == original


def test_environment_check_passes_here():
    result = run_tool("tools/check_environment.py")
    assert result.returncode == 0, result.stdout
    assert "All set" in result.stdout


def test_data_dictionary_is_up_to_date():
    result = run_tool("tools/data_dictionary.py", "--check")
    assert result.returncode == 0, result.stdout
