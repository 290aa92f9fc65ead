"""Check that the running environment is the pinned one (so stored outputs reproduce)."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .constants import REPO_ROOT

KEY_PACKAGES: tuple[str, ...] = ("numpy", "pandas", "scipy", "scikit-learn", "matplotlib")
LOCK_FILE: Path = REPO_ROOT / "requirements-lock.txt"


def pinned_versions(lock_file: Path = LOCK_FILE) -> dict[str, str]:
    """Package -> version from the lock file's ``name==version`` lines."""
    pins = {}
    for line in Path(lock_file).read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, ver = line.split("==", 1)
            pins[name.strip().lower()] = ver.strip()
    return pins


def check_versions(packages: tuple[str, ...] = KEY_PACKAGES) -> bool:
    """Print one line saying whether the key packages match the lock file.

    Returns True when they all match. A mismatch is reported, not raised: the notebook still
    runs, but its numbers may differ in the last digits from the stored outputs.
    """
    pins = pinned_versions() if LOCK_FILE.exists() else {}
    found, mismatched = [], []
    for name in packages:
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        found.append(f"{name} {installed}")
        if pins.get(name) not in (None, installed):
            mismatched.append(f"{name} {installed} (pinned {pins[name]})")
    python = f"Python {sys.version_info.major}.{sys.version_info.minor}"
    if mismatched or sys.version_info[:2] != (3, 11):
        print(f"Warning: environment differs from the pinned one: {python}; "
              + ", ".join(mismatched) + ". Outputs may differ slightly; run `make lab`.")
        return False
    print(f"Environment OK: {python}, " + ", ".join(found))
    return True
