"""Check that this machine can run the course: a one-step check for workshop attendees.

Usage: ``make check`` (or ``python tools/check_environment.py``). Prints one line per check,
``OK`` or ``MISSING``/``WRONG`` with what to do, and exits with status 1 if anything fails.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "jupyterlab",
            "ipykernel", "nbval", "lifetimes")


def lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, ver = line.split("==", 1)
            pins[name.strip().lower()] = ver.strip()
    return pins


def check_scale(report) -> None:
    """Notebook 11's optional engines: a note when the extra is absent, a problem when PySpark
    is installed but no Java 17/21 runtime is there to run it."""
    try:
        from helpers.scale import JAVA_HELP, SUPPORTED_JAVA, java_version
    except Exception as error:  # noqa: BLE001 - reported, the other checks go on
        report(False, f"helpers.scale: {error}", "run `make lab` from the repository folder")
        return
    for name in ("duckdb", "pyspark"):
        try:
            print(f"OK       {name} {version(name)} (scale extra, notebook 11)")
        except PackageNotFoundError:
            print(f"note     {name} not installed: optional, for notebook 11 (`make scale`)")
    java = java_version()
    supported = " or ".join(str(v) for v in SUPPORTED_JAVA)
    if java in SUPPORTED_JAVA:
        report(True, f"Java {java} (Spark, notebook 11)")
        return
    found = "no Java runtime found" if java is None else f"Java {java} found"
    what = f"{found}; Spark (notebook 11) needs Java {supported}"
    if importlib.util.find_spec("pyspark") is None:
        print(f"note     {what}: optional, only with the scale extra; to get it: {JAVA_HELP}")
    else:
        report(False, what, JAVA_HELP)


def main() -> int:
    failures = 0

    def report(ok: bool, what: str, fix: str = "") -> None:
        nonlocal failures
        failures += not ok
        print(f"{'OK     ' if ok else 'PROBLEM'}  {what}" + ("" if ok else f"  ->  {fix}"))

    report((3, 11) <= sys.version_info[:2] <= (3, 13), f"Python {sys.version.split()[0]}",
           "install Python 3.11 (3.12 and 3.13 also work) and run `make lab` again")
    if sys.version_info[:2] != (3, 11):
        print("note     the stored outputs were made with Python 3.11: on this version the "
              "last digits of a few numbers may differ")
    pins = lock()
    for name in PACKAGES:
        try:
            installed = version(name)
        except PackageNotFoundError:
            report(False, f"{name} not installed", "run `make lab` (it installs everything)")
            continue
        pinned = pins.get(name.lower())
        report(installed == pinned, f"{name} {installed}",
               f"pinned {pinned}: delete .venv and run `make lab`")
    try:
        importlib.import_module("helpers")
        from helpers.simulator import make_retailer

        shop = make_retailer(n_customers=100, seed=1)
        report(len(shop.customers) > 100, "helpers import and the simulator runs")
    except Exception as error:  # noqa: BLE001 - any failure here is the attendee's answer
        report(False, f"helpers: {error}", "run `make lab` from the repository folder")
    check_scale(report)
    data_dir = Path(os.environ.get("PM_DATA_DIR", ROOT / "data"))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir):
            pass
        report(True, f"data folder {data_dir.name}/ is writable")
    except OSError as error:
        report(False, f"data folder not writable ({error})",
               "set PM_DATA_DIR to a writable folder")
    print("All set: run `make lab`." if not failures else f"{failures} problem(s) found.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
