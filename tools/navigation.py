"""Regenerate the navigation line of every notebook and the course map in the README.

Usage: ``python tools/navigation.py`` to rewrite, ``python tools/navigation.py --check`` to
exit with status 1 if anything is out of date (the tests run the check).

A notebook's navigation lives in two markdown cells tagged ``navigation``: the first and the
last cell. The README's map sits between ``<!-- course-map:start -->`` and
``<!-- course-map:end -->``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import LESSONS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
MAP_START, MAP_END = "<!-- course-map:start -->", "<!-- course-map:end -->"
TAG = "navigation"


def nav_line(index: int) -> str:
    """The previous | contents | next line of lesson ``index``."""
    parts = []
    if index > 0:
        prev = LESSONS[index - 1]
        parts.append(f"[← {prev.file[:2]} {prev.title}]({prev.file})")
    parts.append("[Contents](../README.md#course-map)")
    if index + 1 < len(LESSONS):
        nxt = LESSONS[index + 1]
        parts.append(f"[{nxt.file[:2]} {nxt.title} →]({nxt.file})")
    return " | ".join(parts)


def course_map() -> str:
    """The README's course map as a markdown table."""
    rows = ["| # | notebook | business question | methods | time |",
            "|---|---|---|---|---|"]
    for lesson in LESSONS:
        rows.append(
            f"| {lesson.file[:2]} | [{lesson.title}](notebooks/{lesson.file}) | "
            f"{lesson.question} | {lesson.methods} | {lesson.minutes} min"
            + (f" (+{lesson.optional_minutes} optional)" if lesson.optional_minutes else "")
            + " |"
        )
    return "\n".join(rows)


def updated_notebook(nb: nbformat.NotebookNode, line: str) -> bool:
    """Put ``line`` into the first and last navigation cells; return True if changed."""
    changed = False
    for position in (0, -1):
        cell = nb.cells[position]
        is_nav = cell.cell_type == "markdown" and TAG in cell.metadata.get("tags", [])
        if not is_nav:
            new = nbformat.v4.new_markdown_cell(line, metadata={"tags": [TAG]})
            if position == 0:
                nb.cells.insert(0, new)
            else:
                nb.cells.append(new)
            changed = True
        elif cell.source != line:
            cell.source = line
            changed = True
    return changed


def updated_readme(text: str) -> str:
    """README text with a fresh course map between the markers."""
    if MAP_START not in text or MAP_END not in text:
        raise SystemExit(f"README.md lacks the markers {MAP_START} and {MAP_END}")
    head, rest = text.split(MAP_START, 1)
    _, tail = rest.split(MAP_END, 1)
    return f"{head}{MAP_START}\n{course_map()}\n{MAP_END}{tail}"


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):  # print the usage; never act on a request for help
        print(__doc__)
        return 0
    check = "--check" in argv
    stale = []
    for index, lesson in enumerate(LESSONS):
        path = NOTEBOOKS / lesson.file
        if not path.exists():
            stale.append(f"{lesson.file} (missing)")
            continue
        nb = nbformat.read(path, as_version=4)
        if updated_notebook(nb, nav_line(index)):
            stale.append(lesson.file)
            if not check:
                nbformat.write(nb, path)
    listed = {lesson.file for lesson in LESSONS}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if path.name not in listed:
            stale.append(f"{path.name} (not in tools/course.py)")
    text = README.read_text(encoding="utf-8")
    new_text = updated_readme(text)
    if new_text != text:
        stale.append("README.md")
        if not check:
            README.write_text(new_text, encoding="utf-8")
    if stale:
        print(("out of date: " if check else "updated: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
