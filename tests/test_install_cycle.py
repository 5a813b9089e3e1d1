"""Each addon installs alone, uninstalls cleanly and installs again."""

import os

from conftest import ERP_ADDONS, log_problems, run_odoo

UNINSTALL = """
for name in {names!r}:
    env["ir.module.module"].search([("name", "=", name)]).button_immediate_uninstall()
    env.cr.commit()
    env = env(context=dict(env.context))
    print("STATE", name, env["ir.module.module"].search([("name", "=", name)]).state)
"""

LEFTOVERS = """
names = {names!r}
xmlids = env["ir.model.data"].search_count([("module", "in", names)])
models = env["ir.model"].search_count([("model", "=like", "erp.%")])
env.cr.execute(
    "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'erp_%%'"
)
tables = env.cr.fetchone()[0]
print("LEFTOVERS", xmlids, models, tables)
"""


SMOKE = """
from odoo import Command
product = env["product.product"].create({"name": "Smoke", "is_storable": True})
partner = env["res.partner"].create({"name": "Smoke partner"})
warehouse = env["stock.warehouse"].search([], limit=1)
purchase = env["purchase.order"].create({
    "partner_id": partner.id,
    "order_line": [Command.create({"product_id": product.id, "product_qty": 5})],
})
purchase.button_confirm()
receipt = purchase.picking_ids
receipt.move_ids.quantity = 5
receipt.move_ids.picked = True
receipt.button_validate()
order = env["sale.order"].create({
    "partner_id": partner.id, "warehouse_id": warehouse.id,
    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
})
order.action_confirm()
delivery = order.picking_ids
delivery.action_assign()
delivery.move_ids.quantity = 3
delivery.move_ids.picked = True
delivery.button_validate()
print("SMOKE", receipt.state, delivery.state, product.qty_available,
      order.order_line.qty_delivered)
env.cr.rollback()
"""


def _shell(db, script):
    result = run_odoo("-d", db, "--no-http", subcommand="shell", stdin=script)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def _install(db, name):
    result = run_odoo("-d", db, "-i", name, "--stop-after-init", "--no-http")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not log_problems(result.stdout + result.stderr)


def test_install_uninstall_reinstall(make_db):
    """Given a database with only Odoo's modules and no demo data, when each
    addon is installed alone (in dependency order), all are uninstalled and
    installed again, then no step logs a warning or an error and nothing is
    left behind.  (Installing with demo data is what every other test does.)"""
    db = make_db(os.environ["TEMPLATE_NODEMO_DB"])
    for name in ERP_ADDONS:
        _install(db, name)
    output = _shell(
        db,
        UNINSTALL.format(names=list(reversed(ERP_ADDONS)))
        + LEFTOVERS.format(names=list(ERP_ADDONS)),
    )
    for name in ERP_ADDONS:
        assert f"STATE {name} uninstalled" in output, output[-3000:]
    assert not log_problems(output), log_problems(output)
    assert "LEFTOVERS 0 0 0" in output, output[-3000:]
    output = _shell(db, SMOKE)
    assert "SMOKE done done 2.0 3.0" in output, output[-3000:]
    assert not log_problems(output), log_problems(output)
    _install(db, ERP_ADDONS[-1])
