"""The one API convention of ``helpers`` (CONTRIBUTING.md), checked on every public callable.

An analyst who learned one helper should be able to guess the next: column names are
keyword-only with the course's names as defaults, intervals take ``confidence_level`` and
bootstraps ``n_resamples`` (as SciPy), and randomness comes in through ``random_state``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import helpers
from helpers import constants

#: Names that the convention replaced; none may come back.
RETIRED = {"level", "confidence", "z", "n_boot", "n_bootstrap", "seed_value"}
#: Columns every transaction or customer table has: a helper taking one must default it. Columns
#: that only the caller can name (a segment, a profit estimate, an export id) are required.
STANDARD_COLUMNS = {
    "customer_col", "invoice_col", "date_col", "amount_col", "revenue_col",
    "stock_col", "item_col", "user_col", "quantity_col", "price_col", "category_col",
    "channel_col", "country_col", "description_col",
}
#: The column names the constants module defines: the only strings a ``*_col`` may default to.
COURSE_COLUMNS = {v for k, v in vars(constants).items() if k.isupper() and isinstance(v, str)}


def _public_callables():
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(helpers.__path__, "helpers.")
    ]
    seen = set()
    for module in modules:
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                targets = [(f"{module.__name__}.{name}", obj)]
            elif inspect.isclass(obj):
                targets = [
                    (f"{module.__name__}.{name}.{meth}", fn)
                    for meth, fn in vars(obj).items()
                    if inspect.isfunction(fn) and (not meth.startswith("_") or meth == "__init__")
                ]
            else:
                continue
            for qualname, fn in targets:
                if qualname not in seen:
                    seen.add(qualname)
                    yield qualname, inspect.signature(fn)


CALLABLES = sorted(_public_callables(), key=lambda item: item[0])


def test_the_check_sees_the_package():
    names = {name for name, _ in CALLABLES}
    assert {"helpers.rfm.rfm_table", "helpers.evaluation.lift_table",
            "helpers.clv.GammaGammaModel.clv", "helpers.simulator.retailer.make_retailer"} <= names
    assert len(CALLABLES) > 150


@pytest.mark.parametrize(("name", "signature"), CALLABLES, ids=[n for n, _ in CALLABLES])
def test_public_signature_follows_the_convention(name, signature):
    params = signature.parameters.values()
    retired = sorted(p.name for p in params if p.name in RETIRED)
    assert not retired, f"{name} still takes {retired}; use confidence_level / n_resamples"
    for p in params:
        if p.name.endswith("_col"):
            assert p.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: {p.name} is positional"
            if p.name in STANDARD_COLUMNS and not name.startswith("helpers.validation."):
                assert p.default is not inspect.Parameter.empty, f"{name}: {p.name} has no default"
            if isinstance(p.default, str):
                assert p.default in COURSE_COLUMNS, (
                    f"{name}: {p.name} defaults to {p.default!r}, which is not a name in "
                    "helpers.constants"
                )
        if p.name == "confidence_level":
            assert p.default == constants.CONFIDENCE_LEVEL, name
        if p.name == "n_resamples" and p.default is not inspect.Parameter.empty:
            assert p.default >= constants.MIN_BOOTSTRAP_RESAMPLES, name
        if p.name == "k" and p.default is not inspect.Parameter.empty:
            assert p.default == constants.TOP_K, f"{name}: k defaults to {p.default}"


def test_no_global_or_legacy_random_state_in_helpers():
    import pathlib
    import re

    root = pathlib.Path(helpers.__file__).parent
    legacy = re.compile(r"np\.random\.(RandomState|seed|rand|randn|randint|choice|normal|"
                        r"uniform|shuffle|permutation)\b|check_random_state")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if legacy.search(line)
    ]
    assert not offenders, f"use np.random.default_rng(random_state): {offenders}"
