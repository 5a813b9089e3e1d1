"""One pytest item per Odoo test of the three addons.

scripts/test.sh runs the addons' tests with Odoo's own runner (the only one
that installs modules, runs at_install/post_install tests in order and serves
HttpCase/tours) through scripts/odoo_test_runner.py, which records each test's
outcome and every WARNING/ERROR log line in ERP_ODOO_RESULTS.  This module
turns that record into pytest results, so a failing Odoo test fails pytest.
"""

import json
import os
import re
from collections import defaultdict

import pytest

ADDONS = tuple(
    os.environ.get(
        "ERP_TEST_ADDONS", "erp_virtual_stock,erp_order_priority,erp_logistics"
    ).split(",")
)
# Odoo skips browser tests when a tool is missing; here that is a failure.
MISSING_TOOL = re.compile(r"chrom|websocket|executable|not installed", re.I)


def _load():
    path = os.environ.get("ERP_ODOO_RESULTS")
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


RESULTS = _load()


def _by_test():
    outcomes = defaultdict(list)
    for entry in (RESULTS or {}).get("tests", []):
        outcomes[entry["id"]].append(entry)
    return outcomes


OUTCOMES = _by_test()


def test_odoo_test_run_recorded():
    """Given scripts/test.sh, the Odoo run left a result file and exited 0."""
    assert RESULTS is not None, "no Odoo test results: run scripts/test.sh"
    assert (
        os.environ.get("ERP_ODOO_RC") == "0"
    ), f"odoo-bin exited with {os.environ.get('ERP_ODOO_RC')}"


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_has_tests(addon):
    """Every addon ran at least one test (Odoo silently runs none on a typo)."""
    ran = [tid for tid in OUTCOMES if f"odoo.addons.{addon}." in tid]
    assert ran, f"no test of {addon} ran"


def test_log_is_clean():
    """No WARNING or ERROR was logged outside the tests' own failure reports."""
    problems = [
        f"{p['level']} {p['logger']} (during {p['test'] or 'install'}): {p['message']}"
        for p in (RESULTS or {}).get("log", [])
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("test_id", sorted(OUTCOMES) or ["<none>"])
def test_odoo(test_id):
    entries = OUTCOMES.get(test_id)
    if not entries:
        pytest.fail("no Odoo test results")
    bad = [e for e in entries if e["outcome"] in ("failed", "error")]
    if bad:
        pytest.fail("\n".join(e["detail"] for e in bad), pytrace=False)
    skips = [e for e in entries if e["outcome"] == "skipped"]
    if skips and not any(e["outcome"] == "passed" for e in entries):
        reason = skips[0]["detail"]
        if MISSING_TOOL.search(reason):
            pytest.fail(f"skipped for a missing tool: {reason}", pytrace=False)
        pytest.skip(reason)
