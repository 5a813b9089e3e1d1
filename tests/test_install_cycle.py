"""Install, update and uninstall the addons on real databases: each alone
and together, with and without demo data; ``-u`` keeps data; uninstall
leaves nothing behind."""

import json
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
    problems = log_problems(result.stdout + result.stderr)
    assert not problems, problems


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


# One demo record of each addon
DEMO_XMLIDS = (
    "erp_virtual_stock.erp_stock_threshold_drawer_demo",
    "erp_order_priority.erp_order_priority_rule_vip_demo",
    "erp_logistics.erp_shipment_event_kuaidi100_3_demo",
)

DEMO_LOADED = """
for xmlid in {xmlids!r}:
    print("DEMO", xmlid, bool(env.ref(xmlid, raise_if_not_found=False)))
print("INSTALLED", sorted(env["ir.module.module"].search(
    [("name", "in", {names!r}), ("state", "=", "installed")]).mapped("name")))
"""


# Records of every addon, made the way a user makes them, and committed.
UPGRADE_DATA = """
import json
from odoo import Command
company = env.company
company.erp_priority_high_threshold = 35
company.erp_pod_closes_order = True
warehouse = env["stock.warehouse"].create({"name": "Upgrade WH", "code": "UPGW"})
warehouse.write({"virtual_stock_policy": "block", "virtual_incoming_days": 7})
product = env["product.product"].create(
    {"name": "Upgrade Widget", "is_storable": True, "list_price": 12})
env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 12)
threshold = env["erp.stock.threshold"].create({
    "name": "Upgrade: keep 10", "warehouse_id": warehouse.id,
    "product_id": product.id, "basis": "virtual_stock", "min_qty": 10,
    "target_qty": 20, "action": "notify",
})
entry = env["erp.virtual.stock"].create({
    "product_id": product.id, "warehouse_id": warehouse.id, "quantity": -5,
    "reason": "safety_buffer",
})
entry.action_activate()
priority_rule = env["erp.order.priority.rule"].create({
    "name": "Upgrade VIP", "criterion": "customer_tier", "customer_tier": "vip",
    "points": 45,
})
partner = env["res.partner"].create(
    {"name": "Upgrade Customer", "customer_tier": "vip"})
order = env["sale.order"].create({
    "partner_id": partner.id, "warehouse_id": warehouse.id,
    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
})
order.write({"priority_manual": "critical", "priority_manual_reason": "Upgrade test"})
order.action_confirm()
run = env["erp.allocation.run"].create({
    "warehouse_id": warehouse.id, "product_ids": [Command.set(product.ids)],
    "mode": "simulate",
})
run.action_run()
carrier = env["delivery.carrier"].create({
    "name": "Upgrade Courier", "delivery_type": "fixed",
    "product_id": env["product.product"].create(
        {"name": "Upgrade Shipping", "type": "service"}).id,
    "tracking_provider": "manual", "erp_notify_customer": False,
})
shipment = env["erp.shipment"].create({
    "partner_id": partner.id, "carrier_id": carrier.id, "tracking_number": "UPG123",
    "state": "shipped", "date_shipped": "2026-11-01 08:00:00",
})
env["erp.shipment.event"].create([
    {"shipment_id": shipment.id, "status": "in_transit",
     "event_time": "2026-11-02 09:00:00", "location": "Hub"},
    {"shipment_id": shipment.id, "status": "out_for_delivery",
     "event_time": "2026-11-03 07:30:00", "location": "Depot"},
])
env.cr.commit()
env.invalidate_all()
alert = env["erp.stock.alert"].search([("threshold_id", "=", threshold.id)])
ledger = env["erp.virtual.stock.ledger"].search(
    [("product_id", "=", product.id), ("warehouse_id", "=", warehouse.id)])
print("RECORDS", json.dumps({
    "erp.stock.threshold": threshold.ids, "erp.stock.alert": alert.ids,
    "erp.virtual.stock": entry.ids, "erp.virtual.stock.ledger": ledger.ids,
    "erp.order.priority.rule": priority_rule.ids, "sale.order": order.ids,
    "erp.allocation.run": run.ids, "erp.allocation.run.line": run.line_ids.ids,
    "erp.shipment": shipment.ids, "erp.shipment.event": shipment.event_ids.ids,
    "stock.warehouse": warehouse.ids, "res.company": company.ids,
}))
"""

# Every stored field of every record of the addons' models, and every stored
# field the addons add to Odoo's models, as JSON.
SNAPSHOT = """
import json
from collections import defaultdict
names = {names!r}
fields_by_model = defaultdict(set)
field_ids = env["ir.model.data"].search(
    [("module", "in", names), ("model", "=", "ir.model.fields")]).mapped("res_id")
for field in env["ir.model.fields"].browse(field_ids):
    fields_by_model[field.model].add(field.name)
for model in env["ir.model"].search([("model", "=like", "erp.%")]):
    fields_by_model[model.model].update(env[model.model]._fields)
snapshot = {{}}
for model, names_ in sorted(fields_by_model.items()):
    Model = env[model].with_context(active_test=False)
    # tables only: no mixin, wizard or SQL view
    if not Model._auto or Model._abstract or Model._transient:
        continue
    stored = sorted(
        name for name in names_
        if name in Model._fields and Model._fields[name].store
        and Model._fields[name].type != "binary"
    )
    if not stored:
        continue
    rows = Model.search([], order="id").read(stored, load=None)
    snapshot[model] = {{str(row["id"]): row for row in rows}}
print("SNAPSHOT", json.dumps(snapshot, default=str, sort_keys=True))
"""


def _tagged_line(output, tag):
    lines = [line for line in output.splitlines() if line.startswith(f"{tag} ")]
    assert len(lines) == 1, output[-3000:]
    return json.loads(lines[0][len(tag) + 1 :])


def _differences(before, after, limit=20):
    """Human-readable differences between two snapshots."""
    diffs = []
    for model in sorted(before.keys() | after.keys()):
        rows_before, rows_after = before.get(model, {}), after.get(model, {})
        for rec_id in sorted(rows_before.keys() | rows_after.keys(), key=int):
            row_before, row_after = rows_before.get(rec_id), rows_after.get(rec_id)
            if row_before is None or row_after is None:
                diffs.append(f"{model}({rec_id}): {row_before} -> {row_after}")
                continue
            for name in sorted(row_before.keys() | row_after.keys()):
                if row_before.get(name) != row_after.get(name):
                    diffs.append(
                        f"{model}({rec_id}).{name}: "
                        f"{row_before.get(name)!r} -> {row_after.get(name)!r}"
                    )
    return diffs[:limit]


def test_install_with_demo_then_update_keeps_data(make_db):
    """Given a database with Odoo's modules and their demo data, when each
    addon is installed alone in dependency order, then each loads its demo
    data without a warning; and when records of every addon exist (a manual
    entry and its ledger rows, a threshold rule and its alert, a priority rule,
    a priority override, an allocation run, a shipment with tracking events,
    warehouse and company settings) and the three addons are updated with
    ``-u``, then every stored value of the addons' models and of the fields
    they add to Odoo's models is unchanged and the update logs no warning."""
    db = make_db(os.environ["TEMPLATE_DB"])
    for name in ERP_ADDONS:
        _install(db, name)
    names = list(ERP_ADDONS)
    output = _shell(
        db,
        DEMO_LOADED.format(xmlids=DEMO_XMLIDS, names=names)
        + UPGRADE_DATA
        + SNAPSHOT.format(names=names),
    )
    assert not log_problems(output), log_problems(output)
    for xmlid in DEMO_XMLIDS:
        assert f"DEMO {xmlid} True" in output, output[-3000:]
    assert f"INSTALLED {sorted(names)!r}" in output, output[-3000:]
    records = _tagged_line(output, "RECORDS")
    before = _tagged_line(output, "SNAPSHOT")
    # every kind of record exists, and the snapshot holds it
    for model, ids in records.items():
        assert ids, f"no {model} record was created"
        for rec_id in ids:
            assert str(rec_id) in before[model], (model, rec_id)
    assert len(records["erp.virtual.stock.ledger"]) >= 2
    assert len(records["erp.shipment.event"]) == 2
    (order_id,) = records["sale.order"]
    assert before["sale.order"][str(order_id)]["priority_manual"] == "critical"
    assert before["sale.order"][str(order_id)]["priority_level"] == "critical"
    (alert_id,) = records["erp.stock.alert"]
    assert before["erp.stock.alert"][str(alert_id)]["state"] == "open"
    (warehouse_id,) = records["stock.warehouse"]
    row = before["stock.warehouse"][str(warehouse_id)]
    assert (row["virtual_stock_policy"], row["virtual_incoming_days"]) == ("block", 7)
    (company_id,) = records["res.company"]
    row = before["res.company"][str(company_id)]
    assert row["erp_priority_high_threshold"] == 35 and row["erp_pod_closes_order"]
    (shipment_id,) = records["erp.shipment"]
    assert before["erp.shipment"][str(shipment_id)]["state"] == "out_for_delivery"

    result = run_odoo(
        "-d", db, "-u", ",".join(ERP_ADDONS), "--stop-after-init", "--no-http"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    problems = log_problems(result.stdout + result.stderr)
    assert not problems, problems
    output = _shell(db, SNAPSHOT.format(names=names))
    assert not log_problems(output), log_problems(output)
    after = _tagged_line(output, "SNAPSHOT")
    assert not _differences(before, after), _differences(before, after)
    assert before == after


def test_install_together_without_demo(make_db):
    """Given a fresh database with only Odoo's modules and no demo data, when
    the three addons are installed together in one ``-i``, then all three are
    installed, none of their demo records is loaded and nothing logs a
    warning."""
    db = make_db(os.environ["TEMPLATE_NODEMO_DB"])
    _install(db, ",".join(ERP_ADDONS))
    output = _shell(db, DEMO_LOADED.format(xmlids=DEMO_XMLIDS, names=list(ERP_ADDONS)))
    assert not log_problems(output), log_problems(output)
    for xmlid in DEMO_XMLIDS:
        assert f"DEMO {xmlid} False" in output, output[-3000:]
    assert f"INSTALLED {sorted(ERP_ADDONS)!r}" in output, output[-3000:]


FORECAST_1_0 = """
import json
cr = env.cr
cr.execute("SELECT count(*) FROM erp_demand_forecast")
pairs = cr.fetchone()[0]
# erp_virtual_stock 1.0: every refresh inserted its rows (is_current), the
# older ones were the history; numeric figures; an index on the date, which
# was on every row (1.5 keeps it on the company)
cr.execute("ALTER TABLE erp_demand_forecast ADD COLUMN IF NOT EXISTS date date")
cr.execute("UPDATE erp_demand_forecast f SET date = c.erp_forecast_date"
           " FROM res_company c WHERE c.id = f.company_id")
cr.execute("ALTER TABLE erp_demand_forecast"
           " DROP CONSTRAINT erp_demand_forecast_product_warehouse_uniq")
cr.execute("ALTER TABLE erp_demand_forecast ADD COLUMN is_current boolean")
cr.execute("ALTER TABLE erp_demand_forecast ALTER COLUMN demand_rate TYPE numeric")
cr.execute("UPDATE erp_demand_forecast SET is_current = TRUE")
cr.execute(
    "INSERT INTO erp_demand_forecast (product_id, product_categ_id, warehouse_id,"
    " company_id, date, is_current, window_days, demand_qty, demand_rate)"
    " SELECT product_id, product_categ_id, warehouse_id, company_id, date - 10,"
    " FALSE, window_days, demand_qty, demand_rate * 2 FROM erp_demand_forecast"
)
cr.execute("CREATE INDEX erp_demand_forecast__date_index ON erp_demand_forecast (date)")
# 1.0 had neither the history table nor the accuracy view reading it
cr.execute("DROP VIEW erp_demand_forecast_accuracy_window")
cr.execute("DROP TABLE erp_demand_forecast_history")
cr.execute("UPDATE ir_module_module SET latest_version = '18.0.1.0.0'"
           " WHERE name = 'erp_virtual_stock'")
cr.execute("SELECT SUM(demand_rate) FROM erp_demand_forecast WHERE NOT is_current")
print("OLD", json.dumps([pairs, float(cr.fetchone()[0])]))
cr.commit()
"""

FORECAST_1_1 = """
import json
cr = env.cr
cr.execute("SELECT count(*), count(DISTINCT (product_id, warehouse_id))"
           " FROM erp_demand_forecast")
rows, pairs = cr.fetchone()
cr.execute("SELECT date, count(*), SUM(rate) FROM erp_demand_forecast_history"
           " GROUP BY date ORDER BY date")
history = [(str(d), n, float(s)) for d, n, s in cr.fetchall()]
cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'erp_demand_forecast'")
indexes = sorted(row[0] for row in cr.fetchall())
cr.execute("SELECT data_type FROM information_schema.columns"
           " WHERE table_name = 'erp_demand_forecast' AND column_name = 'demand_rate'")
print("NEW", json.dumps([rows, pairs, history, indexes, cr.fetchone()[0]]))
count = env["erp.demand.forecast"]._refresh_company(env.company)
print("REFRESH", json.dumps(count))
env.cr.rollback()
"""


def test_update_from_1_0_moves_the_forecast_history(make_db):
    """Given the forecast of erp_virtual_stock 1.0 (one row per refresh, the
    older ones kept as history, numeric figures, an index on the date), when
    the addon is updated, then the current forecast keeps one row per product
    and warehouse, the older rows become the history of their day (rates
    kept for the accuracy, one row per product and warehouse), the old
    index on the date is gone, a refresh works and the update logs no
    warning."""
    db = make_db()
    output = _shell(db, FORECAST_1_0)
    pairs, old_rates = _tagged_line(output, "OLD")
    assert pairs > 0, output[-2000:]
    result = run_odoo(
        "-d", db, "-u", "erp_virtual_stock", "--stop-after-init", "--no-http"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    problems = log_problems(result.stdout + result.stderr)
    assert not problems, problems
    output = _shell(db, FORECAST_1_1)
    rows, new_pairs, history, indexes, data_type = _tagged_line(output, "NEW")
    assert rows == new_pairs == pairs, output[-2000:]
    # the demo's past days, then the old rows (rates doubled) 10 days back
    old_days = [
        day for day in history if day[1] == pairs and abs(day[2] - old_rates) < 1e-6
    ]
    assert len(old_days) == 1, history
    assert "erp_demand_forecast__date_index" not in indexes, indexes
    assert "erp_demand_forecast_product_warehouse_uniq" in indexes, indexes
    assert data_type == "numeric"
    assert _tagged_line(output, "REFRESH") >= pairs


# Orders of a database without the addons: a quotation, a cancelled order,
# and confirmed orders whose deliveries are untouched, printed, picked, partly
# shipped (backorder open), shipped, cancelled, or that hold only a service
# (and a section line); committed.
LIVE_ORDERS = """
import json
from odoo import Command
warehouse = env["stock.warehouse"].search(
    [("company_id", "=", env.company.id)], limit=1)
partner = env["res.partner"].create({"name": "Live customer"})
goods = env["product.product"].create(
    {"name": "Live widget", "is_storable": True, "list_price": 5})
service = env["product.product"].create({"name": "Live service", "type": "service"})
env["stock.quant"]._update_available_quantity(goods, warehouse.lot_stock_id, 100)
def order(name, product=goods, qty=4, confirm=True, section=False):
    lines = [Command.create({"product_id": product.id, "product_uom_qty": qty})]
    if section:
        lines.insert(0, Command.create({"display_type": "line_section", "name": "S"}))
    so = env["sale.order"].create({"partner_id": partner.id, "client_order_ref": name,
        "warehouse_id": warehouse.id, "order_line": lines})
    if confirm:
        so.action_confirm()
    return so
def ship(so):
    picking = so.picking_ids
    picking.action_assign()
    picking.move_ids.quantity = 4
    picking.move_ids.picked = True
    picking.button_validate()
orders = {
    "quotation": order("quotation", confirm=False),
    "cancelled": order("cancelled"),
    "untouched": order("untouched", section=True),
    "printed": order("printed"),
    "picked": order("picked"),
    "partial": order("partial"),
    "shipped": order("shipped"),
    "delivery_cancelled": order("delivery_cancelled"),
    "service": order("service", product=service, section=True),
}
orders["cancelled"].with_context(disable_cancel_warning=True)._action_cancel()
orders["printed"].picking_ids.printed = True
orders["picked"].picking_ids.move_ids.picked = True
partial = orders["partial"].picking_ids
partial.action_assign()
partial.move_ids.quantity = 1
partial.move_ids.picked = True
wizard = partial.button_validate()
env[wizard["res_model"]].with_context(wizard["context"]).create({}).process()
ship(orders["shipped"])
orders["delivery_cancelled"].picking_ids.action_cancel()
env.cr.commit()
print("LIVE", json.dumps({
    name: [so.state, sorted(so.picking_ids.mapped("state"))]
    for name, so in orders.items()}))
"""

# The stored values the addons' fields hold on the existing orders and moves,
# then the same values computed again by the ORM.
STORED_VS_COMPUTED = """
import json
ORDER_FIELDS = ["priority_score", "priority_score_details", "priority_level",
                "fulfillment_state", "fulfillment_date_pending",
                "fulfillment_date_processing", "fulfillment_date_completed",
                "fulfillment_date_closed"]
def stored():
    env.flush_all()
    env.cr.execute(
        "SELECT client_order_ref, priority_score, priority_score_details,"
        " priority_level,"
        " fulfillment_state, fulfillment_date_pending IS NOT NULL,"
        " fulfillment_date_processing IS NOT NULL,"
        " fulfillment_date_completed IS NOT NULL, fulfillment_date_closed IS NOT NULL,"
        " (SELECT array_agg(rule_id ORDER BY rule_id)"
        "    FROM erp_order_priority_rule_sale_order_rel r WHERE r.order_id = o.id)"
        " FROM sale_order o WHERE client_order_ref IS NOT NULL ORDER BY id")
    orders = {row[0]: row[1:] for row in env.cr.fetchall()}
    env.cr.execute("SELECT count(*), sum(erp_priority_score) FROM stock_move")
    return {"orders": orders, "moves": env.cr.fetchone()}
before = stored()
orders = env["sale.order"].search([])
for name in ORDER_FIELDS + ["priority_rule_ids"]:
    env.add_to_compute(orders._fields[name], orders)
moves = env["stock.move"].search([])
env.add_to_compute(moves._fields["erp_priority_score"], moves)
after = stored()
print("STORED", json.dumps(before, default=str))
print("COMPUTED", json.dumps(after, default=str))
env.cr.rollback()
"""


def test_install_into_database_with_orders_fills_fields_set_based(make_db):
    """Given a database without the addons that holds orders in every state
    and deliveries untouched, printed, picked, partly shipped, shipped and
    cancelled, when the three addons are installed, then the ORM computes
    none of the fields the addons add to orders and moves record by record
    (they are filled set-based before the ORM creates them), and every order
    and move holds exactly what the ORM computes for it: priority score,
    score details, level and matched rules, fulfilment state and the date of
    the state reached, the moves' priority score."""
    db = make_db(os.environ["TEMPLATE_NODEMO_DB"])
    output = _shell(db, LIVE_ORDERS)
    assert not log_problems(output), log_problems(output)
    live = _tagged_line(output, "LIVE")
    assert live["quotation"] == ["draft", []]
    assert live["cancelled"] == ["cancel", ["cancel"]]
    assert live["partial"][0] == "sale" and len(live["partial"][1]) == 2
    assert "done" in live["partial"][1] and "cancel" not in live["partial"][1]
    assert live["shipped"] == ["sale", ["done"]]
    assert live["delivery_cancelled"] == ["sale", ["cancel"]]
    assert live["service"] == ["sale", []]

    result = run_odoo(
        "-d",
        db,
        "-i",
        ",".join(ERP_ADDONS),
        "--stop-after-init",
        "--no-http",
        "--log-level=info",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert not log_problems(log), log_problems(log)
    computed_at_install = [
        line
        for line in log.splitlines()
        if "Prepare computation of sale.order." in line
        or "Prepare computation of stock.move." in line
    ]
    assert not computed_at_install, computed_at_install

    output = _shell(db, STORED_VS_COMPUTED)
    assert not log_problems(output), log_problems(output)
    stored = _tagged_line(output, "STORED")
    computed = _tagged_line(output, "COMPUTED")
    assert stored == computed
    # no rule: score 0, no score details (the explanation is not stored)
    no_rule = ["0", "None", "normal"]
    expected = {
        "quotation": [None, False, False, False, False],
        "cancelled": [None, False, False, False, False],
        "untouched": ["pending", True, False, False, False],
        "printed": ["processing", False, True, False, False],
        "picked": ["processing", False, True, False, False],
        "partial": ["processing", False, True, False, False],
        "shipped": ["completed", False, False, True, False],
        "delivery_cancelled": ["pending", True, False, False, False],
        "service": ["completed", False, False, True, False],
    }
    for name, fulfillment in expected.items():
        row = stored["orders"][name]
        assert [str(value) for value in row[:3]] == no_rule, (name, row)
        assert row[3:8] == fulfillment, (name, row)
        assert row[8] is None, (name, row)
    count, score = stored["moves"]
    assert count > 0 and score == 0
