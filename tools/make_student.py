"""Write learner copies of the notebooks with the worked solutions removed.

Usage: ``python tools/make_student.py`` (``make student``) writes ``student/NN_*.ipynb``;
``--check`` exits with status 1 if the committed copies are out of step with the notebooks.

The notebooks in ``notebooks/`` are the single source. Every cell tagged ``solution`` is
replaced, in the learner copy, by a prompt cell (tagged ``exercise``) without output: a code
cell (the worked solution) by an empty code prompt, a markdown cell (the written answer) by a
line inviting the learner to write their own. Every other cell is copied unchanged, so the two
versions cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STUDENT = ROOT / "student"
PROMPT = (
    "# Your answer here.\n"
    "# The worked solution is in the same place in notebooks/{name}."
)
ANSWER_PROMPT = (
    "*Your conclusion here, in a few sentences: what do the numbers say, and what would you "
    "do?* (The worked answer is in the same place in `notebooks/{name}`.)"
)


def student_version(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose solution cells (code and written answers) become empty prompts."""
    copy = nbformat.from_dict(nb)
    for index, cell in enumerate(copy.cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            prompt = nbformat.v4.new_code_cell(
                PROMPT.format(name=name), metadata={"tags": ["exercise"]}
            )
        else:
            prompt = nbformat.v4.new_markdown_cell(
                ANSWER_PROMPT.format(name=name), metadata={"tags": ["exercise"]}
            )
        prompt.id = cell.id  # stable ids keep the learner copy byte-for-byte reproducible
        copy.cells[index] = prompt
    return copy


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):  # print the usage; never act on a request for help
        print(__doc__)
        return 0
    check = "--check" in argv
    STUDENT.mkdir(exist_ok=True)
    expected = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        expected[path.name] = nbformat.writes(student_version(nb, path.name)) + "\n"
    stale = []
    for name, text in expected.items():
        target = STUDENT / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(name)
            if not check:
                target.write_text(text, encoding="utf-8")
    for extra in sorted(STUDENT.glob("*.ipynb")):
        if extra.name not in expected:
            stale.append(f"{extra.name} (no source notebook)")
            if not check:
                extra.unlink()
    if stale:
        print(("out of step: " if check else "written: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
