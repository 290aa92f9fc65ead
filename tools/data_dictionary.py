"""Regenerate the column tables of ``data/README.md`` from ``helpers.schema``.

Usage: ``python tools/data_dictionary.py`` to rewrite, ``--check`` to fail if out of date.
The tables sit between ``<!-- dictionary:start -->`` and ``<!-- dictionary:end -->``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from helpers.schema import CHANNEL_DESCRIPTIONS, DERIVED_DESCRIPTIONS, RAW_DESCRIPTIONS
from helpers.sources import CHANNEL_FILES, FILES

README = Path(__file__).resolve().parents[1] / "data" / "README.md"
START, END = "<!-- dictionary:start -->", "<!-- dictionary:end -->"
SOURCE_FILES = {
    "customers": f"`raw/{FILES['crm']}`, table `customers`",
    "products": f"`raw/{FILES['crm']}`, table `products`",
    "orders": f"`raw/{FILES['orders']}`",
    "web_events": f"`raw/{FILES['web_events']}` (nested JSON, flattened on reading)",
    "campaign": f"`raw/{FILES['campaign']}`",
}


def tables() -> str:
    parts = []
    for name, columns in RAW_DESCRIPTIONS.items():
        parts.append(f"### {name} ({SOURCE_FILES[name]})\n")
        parts.append("| column | meaning |\n|---|---|")
        parts += [f"| `{col}` | {text} |" for col, text in columns.items()]
        parts.append("")
    for name, columns in CHANNEL_DESCRIPTIONS.items():
        where = f"`raw/channels/seed<seed>/{CHANNEL_FILES[name]}`"
        parts.append(f"### {name} ({where}, notebook 10)\n")
        parts.append("| column | meaning |\n|---|---|")
        parts += [f"| `{col}` | {text} |" for col, text in columns.items()]
        parts.append("")
    parts.append("### Columns added by notebooks 01 and 02\n")
    for name, columns in DERIVED_DESCRIPTIONS.items():
        parts.append(f"**{name}**\n")
        parts.append("| column | meaning |\n|---|---|")
        parts += [f"| `{col}` | {text} |" for col, text in columns.items()]
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{tables()}{END}{tail}"
    if new == text:
        return 0
    if "--check" in argv:
        print("data/README.md is out of date: run python tools/data_dictionary.py")
        return 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
