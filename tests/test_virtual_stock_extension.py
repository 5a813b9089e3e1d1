"""The extension point of the virtual stock engine: a sub-module (the test
addon under tests/addons) adds a component by overriding
``product.product._erp_virtual_stock_components`` with super(); its own
Odoo tests check that the fields, search, map, thresholds and order lines
count it."""

import os

from conftest import PROJECT_DIR, log_problems, run_odoo

TEST_ADDON = "erp_virtual_stock_component_demo"


def test_sub_module_adds_a_component(make_db):
    """Given a database with the addons, when the test sub-module is
    installed with its tests, then they all pass and nothing logs a
    warning."""
    db = make_db()
    addons_path = ",".join(
        [os.environ["ODOO_ADDONS_PATH"], str(PROJECT_DIR / "tests" / "addons")]
    )
    result = run_odoo(
        "-d",
        db,
        "--addons-path",
        addons_path,
        "-i",
        TEST_ADDON,
        "--test-enable",
        "--test-tags",
        f"/{TEST_ADDON}",
        "--stop-after-init",
        "--no-http",
    )
    output = result.stdout + result.stderr
    # a failed test makes odoo-bin exit non-zero and logs an ERROR
    assert result.returncode == 0, output[-3000:]
    assert not log_problems(output), log_problems(output)
    assert output.count("Starting TestSubModuleComponent.") == 6, output[-3000:]
