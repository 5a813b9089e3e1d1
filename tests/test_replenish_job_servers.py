"""Two Odoo servers running crons on one database replenish each alert once.

Two real servers (threaded, two cron threads each) share a copy of the test
database. Salesmen confirm orders on both at once; each confirmation raises
its alerts at once, marks them pending replenishment and triggers the
replenishment job, which the four cron threads of the two servers compete
for. Meanwhile buyers click Replenish on the same alerts through both
servers. In the end every alert is replenished, by exactly one purchase
order line of exactly its refill quantity (a second replenishment would add
a line or merge into it and double it).
"""

import time
from concurrent.futures import ThreadPoolExecutor

import scenario
from conftest import OdooServer, RpcError

PRODUCTS = 40
LINES_PER_ORDER = 5
MIN_QTY, TARGET_QTY = 10, 30


def _setup(rpc):
    warehouse = scenario.make_warehouse(rpc)
    vendor = scenario.make_partner(rpc, "Job Vendor " + scenario.uid())
    categ = rpc.execute(
        "product.category", "create", {"name": "Job Category " + scenario.uid()}
    )
    products = rpc.execute(
        "product.product",
        "create",
        [
            {
                "name": f"Job Product {index} {scenario.uid()}",
                "type": "consu",
                "is_storable": True,
                "categ_id": categ,
                "seller_ids": [(0, 0, {"partner_id": vendor, "price": 5})],
            }
            for index in range(PRODUCTS)
        ],
    )
    rpc.execute(
        "erp.stock.threshold",
        "create",
        {
            "name": "Job rule " + scenario.uid(),
            "warehouse_id": warehouse,
            "product_categ_id": categ,
            "basis": "virtual_stock",
            "min_qty": MIN_QTY,
            "target_qty": TARGET_QTY,
            "action": "purchase",
        },
    )
    customer = scenario.make_partner(rpc)
    orders = [
        scenario.make_order(
            rpc,
            customer,
            warehouse,
            [(product, 1) for product in products[start : start + LINES_PER_ORDER]],
        )
        for start in range(0, PRODUCTS, LINES_PER_ORDER)
    ]
    return warehouse, vendor, products, orders


def _alerts(rpc, warehouse, fields):
    return rpc.execute(
        "erp.stock.alert",
        "search_read",
        [("warehouse_id", "=", warehouse)],
        fields=fields,
    )


def _wait_until_replenished(rpc, warehouse, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        pending = rpc.execute(
            "erp.stock.alert",
            "search_count",
            [("warehouse_id", "=", warehouse), ("replenish_state", "=", "pending")],
        )
        if not pending:
            return
        time.sleep(2)
    raise AssertionError(f"{pending} alerts still pending after {timeout}s")


def test_two_servers_replenish_each_alert_once(make_db):
    db = make_db()
    servers = [OdooServer(db, workers=0, cron_threads=2) for _i in range(2)]
    try:
        admin = servers[0].rpc()
        warehouse, vendor, products, orders = _setup(admin)
        clients = [servers[index % 2].rpc() for index in range(len(orders))]

        def confirm(args):
            client, order = args
            client.execute("sale.order", "action_confirm", [order])

        with ThreadPoolExecutor(max_workers=len(orders)) as executor:
            list(executor.map(confirm, zip(clients, orders, strict=True)))

        alerts = _alerts(admin, warehouse, ["product_id", "refill_qty"])
        assert len(alerts) == PRODUCTS, alerts

        # buyers click Replenish on every other alert, through both servers,
        # while the cron threads run the job
        def click(args):
            client, alert = args
            try:
                client.execute("erp.stock.alert", "action_replenish", [alert["id"]])
            except RpcError as error:
                return error.message
            return "replenished"

        buyers = [servers[index % 2].rpc() for index in range(4)]
        with ThreadPoolExecutor(max_workers=len(buyers)) as executor:
            outcomes = list(
                executor.map(
                    click,
                    [
                        (buyers[index % 4], alert)
                        for index, alert in enumerate(alerts)
                        if index % 2
                    ],
                )
            )
        unexpected = [
            outcome
            for outcome in outcomes
            if outcome != "replenished" and "replenished right now" not in outcome
        ]
        assert not unexpected, unexpected

        _wait_until_replenished(admin, warehouse)
        alerts = _alerts(
            admin,
            warehouse,
            [
                "product_id",
                "state",
                "replenish_state",
                "refill_qty",
                "purchase_line_ids",
            ],
        )
        assert len(alerts) == PRODUCTS
        assert {a["replenish_state"] for a in alerts} == {"done"}, alerts
        assert {a["state"] for a in alerts} == {"in_progress"}, alerts
        refill = {a["product_id"][0]: a["refill_qty"] for a in alerts}
        assert all(qty >= TARGET_QTY for qty in refill.values()), refill
        assert all(len(a["purchase_line_ids"]) == 1 for a in alerts), alerts
        lines = admin.execute(
            "purchase.order.line",
            "search_read",
            [("product_id", "in", products)],
            fields=["product_id", "product_qty", "partner_id"],
        )
        by_product = {}
        for line in lines:
            by_product.setdefault(line["product_id"][0], []).append(line)
        assert sorted(by_product) == sorted(products)
        for product, product_lines in by_product.items():
            assert len(product_lines) == 1, (product, product_lines)
            # a second replenishment would have merged into the line
            assert product_lines[0]["product_qty"] == refill[product], product_lines
            assert product_lines[0]["partner_id"][0] == vendor
        linked = sorted(line_id for a in alerts for line_id in a["purchase_line_ids"])
        assert linked == sorted(line["id"] for line in lines)
    finally:
        for server in servers:
            server.stop()
    logs = "".join(server.log() for server in servers)
    # the cron threads ran the job, and no replenishment failed
    assert "Stock alerts replenished" in logs
    problems = [
        line
        for line in logs.splitlines()
        if " ERROR " in line and ("erp_virtual_stock" in line or "replenish" in line)
    ]
    assert not problems, problems
