"""Odoo's own suites as a regression gate for the three addons.

scripts/odoo_suites.sh runs every test of Odoo's sale, purchase, sale_stock,
purchase_stock, stock_delivery and stock on a database where the addons are
installed, and records each outcome in ERP_SUITES_RESULTS.  A test that fails
there fails this gate unless odoo_suites_vanilla_failures.txt lists it with
the reason it also fails on vanilla Odoo (same database template, same
loader, without the addons).
"""

import json
import os
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest

SUITES = tuple(
    os.environ.get(
        "ERP_SUITES", "sale,purchase,sale_stock,purchase_stock,stock_delivery,stock"
    ).split(",")
)
KNOWN_FILE = Path(__file__).with_name("odoo_suites_vanilla_failures.txt")
# Odoo skips browser tests when a tool is missing; here that is a failure.
MISSING_TOOL = re.compile(r"chrom|websocket|executable", re.I)


def _known_failures():
    """{test id: reason} of the tests that fail on vanilla Odoo here."""
    known = {}
    for raw in KNOWN_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        test_id, _sep, reason = line.partition(" | ")
        known[test_id.strip()] = reason.strip()
    return known


# How long pytest waits for the gate running beside it (scripts/test.sh).
WAIT_SECONDS = int(os.environ.get("ERP_SUITES_WAIT", "3600"))


def _wait_for_gate():
    """scripts/test.sh runs the gate beside pytest and writes ERP_SUITES_DONE
    when it ends; these tests are collected last (conftest) and wait for it."""
    done = os.environ.get("ERP_SUITES_DONE")
    if not done:
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while not os.path.exists(done):
        if time.monotonic() > deadline:
            pytest.fail(f"Odoo suites gate still running after {WAIT_SECONDS} s")
        time.sleep(5)


def _results():
    path = os.environ.get("ERP_SUITES_RESULTS")
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


KNOWN = _known_failures()


def _suite_of(test_id):
    match = re.match(r"odoo\.addons\.([a-z_]+)\.", test_id)
    return match and match.group(1)


def _outcomes_by_suite(results):
    by_suite = defaultdict(lambda: defaultdict(list))
    for entry in (results or {}).get("tests", []):
        by_suite[_suite_of(entry["id"])][entry["id"]].append(entry)
    return by_suite


@pytest.fixture(scope="module")
def results():
    _wait_for_gate()
    return _results()


@pytest.fixture(scope="module")
def by_suite(results):
    return _outcomes_by_suite(results)


def test_known_failures_have_reasons():
    """Every test listed as failing on vanilla Odoo says why."""
    missing = [test_id for test_id, reason in KNOWN.items() if not reason]
    assert not missing, f"no reason given for {missing}"


GATE_OFF = os.environ.get("ERP_ODOO_SUITES") == "0"
skip_if_off = pytest.mark.skipif(
    GATE_OFF, reason="Odoo suites gate not run (ERP_ODOO_SUITES=0)"
)


@skip_if_off
def test_gate_ran(results):
    """The gate left a record: run it with scripts/test.sh (or odoo_suites.sh)."""
    assert results is not None, "no Odoo suites results: run scripts/test.sh"


@skip_if_off
@pytest.mark.parametrize("suite", SUITES)
def test_suite_green_with_addons(suite, by_suite):
    """Given the addons installed, every test of Odoo's suite passes, or fails
    on vanilla Odoo too (listed with its reason)."""
    tests = by_suite.get(suite)
    assert tests, f"no test of Odoo's {suite} ran"
    regressions = []
    for test_id, entries in sorted(tests.items()):
        failed = [e for e in entries if e["outcome"] in ("failed", "error")]
        skipped = [e for e in entries if e["outcome"] == "skipped"]
        if failed and test_id not in KNOWN:
            regressions.append(f"{test_id}\n{failed[0]['detail'][-3000:]}")
        elif skipped and MISSING_TOOL.search(skipped[0]["detail"]):
            regressions.append(f"{test_id} skipped: {skipped[0]['detail']}")
    assert not regressions, (
        f"{len(regressions)} test(s) of Odoo's {suite} fail with the addons:\n\n"
        + "\n\n".join(regressions)
    )
