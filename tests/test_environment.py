"""The three descriptions of the environment agree: pyproject ranges, lock file, conda file."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement

from helpers.constants import REPO_ROOT
from helpers.versions import pinned_versions


def conda_pins() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s+- ([A-Za-z0-9_.\-]+)=([0-9][^\s#]*)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def declared_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    return [Requirement(r) for r in declared]


def test_lock_satisfies_pyproject_ranges():
    locked = pinned_versions()
    for requirement in declared_requirements():
        name = requirement.name.lower()
        assert name in locked, f"{name} is declared but not locked"
        assert locked[name] in requirement.specifier, (
            f"{name}=={locked[name]} is outside {requirement.specifier}")


def test_conda_file_lists_the_same_packages_at_the_same_versions():
    conda = conda_pins()
    locked = pinned_versions()
    declared = {r.name.lower() for r in declared_requirements()}
    assert conda.pop("python") == "3.11"
    assert set(conda) == declared, set(conda) ^ declared
    for name, version in conda.items():
        assert locked[name] == version, f"{name}: conda {version}, lock {locked[name]}"
