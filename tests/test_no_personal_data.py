"""No raw e-mail, phone or name reaches data/interim, data/processed or a notebook output."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from helpers import constants, data

NOTEBOOKS = sorted((constants.REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def personal_values(shop) -> dict[str, set[str]]:
    people = shop.customers
    return {
        "email": set(people["email"]) | set(people["email"].str.lower()),
        "phone": set(people["phone"].dropna()),
        "name": set(people["first_name"] + " " + people["last_name"]),
    }


def output_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text") or mime.endswith("json"):
                    parts.append(str(value))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_outputs_hold_no_personal_data(path, personal_values):
    text = output_text(path)
    for kind, values in personal_values.items():
        leaked = [v for v in values if v in text]
        assert not leaked, f"{path.name} shows {kind} values, e.g. {leaked[:2]}"


def test_stored_tables_hold_no_personal_data(personal_values):
    data.ensure_processed()
    everything = set().union(*personal_values.values())
    for folder in (constants.INTERIM_DIR, constants.PROCESSED_DIR):
        for path in sorted(folder.glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                assert not set(header) & set(constants.PII_COLUMNS), path.name
                for row in reader:
                    hit = everything.intersection(row)
                    assert not hit, f"{path.name} holds personal data: {sorted(hit)[:2]}"
