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


def test_supported_pythons_agree_everywhere():
    """pyproject, the Makefile, CI and the README name the same versions, 3.11 to 3.13."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "(3, 11) <= sys.version_info[:2] <= (3, 13)" in makefile
    assert "python3.11 python3.12 python3.13" in makefile  # 3.11 first: the reference
    assert "find_python 13" in (REPO_ROOT / ".ci" / "run").read_text()
    assert "3.11, 3.12 and 3.13" in (REPO_ROOT / "README.md").read_text()
    assert conda_pins()["python"] == "3.11"  # the lock's reference version
