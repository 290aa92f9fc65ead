"""Every notebook follows the course conventions (nbval checks the outputs themselves)."""

from __future__ import annotations

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
    assert 2 <= len(solutions) <= 4, f"{path.name}: {len(solutions)} solution cells"
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
