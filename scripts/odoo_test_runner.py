"""Run ``odoo-bin`` and record the outcome of every Odoo test in a JSON file.

Odoo's own runner only logs its results; this wrapper records each test's
outcome (passed, failed, error, skipped) plus every WARNING/ERROR logged
outside a test failure, so that pytest (tests/test_odoo_addons.py) can report
one item per Odoo test and fail on a dirty log, as OCA's checklog-odoo does.

Usage: python scripts/odoo_test_runner.py RESULTS.json ODOO_SRC odoo-bin args...

With ``ERP_TESTS_AFTER_LOAD=1`` (the Odoo-suites gate, scripts/odoo_suites.sh)
no test runs while the registry loads: the at_install tests of the selected
modules run after it, with every installed addon loaded, followed by the
post_install tests.  That is how Odoo's own suites meet the three addons on
a database where they are already installed.
"""

import atexit
import json
import logging
import os
import sys

RESULTS_PATH, ODOO_SRC = sys.argv[1], sys.argv[2]
sys.argv = [f"{ODOO_SRC}/odoo-bin", *sys.argv[3:]]
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
from odoo.tests import loader as odoo_loader  # noqa: E402
from odoo.tests import result as odoo_result  # noqa: E402

RESULTS = {"tests": [], "log": []}
STATE = {"current": None, "reporting": False}


def _test_id(test):
    return test.id() if hasattr(test, "id") else str(test)


def _record(test, outcome, detail=""):
    RESULTS["tests"].append(
        {"id": _test_id(test), "outcome": outcome, "detail": detail}
    )


OdooTestResult = odoo_result.OdooTestResult
_orig = {
    name: getattr(OdooTestResult, name)
    for name in (
        "startTest",
        "stopTest",
        "addError",
        "addFailure",
        "addSkip",
        "addSuccess",
    )
}


def _start(self, test):
    STATE["current"] = _test_id(test)
    return _orig["startTest"](self, test)


def _stop(self, test):
    STATE["current"] = None
    return _orig["stopTest"](self, test)


def _failure_recorder(outcome, name):
    def _add(self, test, err):
        _record(test, outcome, self._exc_info_to_string(err, test))
        STATE["reporting"] = True
        try:
            return _orig[name](self, test, err)
        finally:
            STATE["reporting"] = False

    return _add


def _skip(self, test, reason):
    _record(test, "skipped", str(reason))
    return _orig["addSkip"](self, test, reason)


def _success(self, test):
    _record(test, "passed")
    return _orig["addSuccess"](self, test)


OdooTestResult.startTest = _start
OdooTestResult.stopTest = _stop
OdooTestResult.addError = _failure_recorder("error", "addError")
OdooTestResult.addFailure = _failure_recorder("failed", "addFailure")
OdooTestResult.addSkip = _skip
OdooTestResult.addSuccess = _success


class _LogCollector(logging.Handler):
    """Collect WARNING and ERROR records that are not a test's own report."""

    def emit(self, record):
        if STATE["reporting"] or record.name.startswith("odoo.tests.result"):
            return
        if record.levelno < logging.WARNING:
            return
        RESULTS["log"].append(
            {
                "test": STATE["current"],
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage()[:4000],
            }
        )


def _dump():
    with open(RESULTS_PATH, "w", encoding="utf-8") as stream:
        json.dump(RESULTS, stream, indent=1)


def _tests_after_load():
    """at_install tests run with the post_install ones, on the full registry."""
    make_suite = odoo_loader.make_suite

    def _make_suite(module_names, position="at_install"):
        if position == "at_install":
            return make_suite([], position)
        at_install = make_suite(module_names, "at_install")
        post_install = make_suite(module_names, "post_install")
        return type(post_install)([*at_install, *post_install])

    odoo_loader.make_suite = _make_suite


if os.environ.get("ERP_TESTS_AFTER_LOAD") == "1":
    _tests_after_load()

atexit.register(_dump)
logging.getLogger().addHandler(_LogCollector(level=logging.WARNING))

if __name__ == "__main__":
    odoo.cli.main()
