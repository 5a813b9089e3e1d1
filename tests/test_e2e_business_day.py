"""A complete business day over JSON-RPC against a real 2-worker server.

Stock in two warehouses, manual virtual stock, orders from customers of
different tiers, a shortage that raises an alert, an inter-warehouse transfer
and an RFQ, an allocation run, deliveries, signed webhook events, the
customer's confirmation, and the reports' figures at the end.
"""

import hashlib
import hmac
import json
import urllib.request

import scenario

SECRET = "e2e-" + scenario.uid()


def post_webhook(server, carrier_id, events):
    body = json.dumps({"events": events}).encode()
    request = urllib.request.Request(
        f"{server.url}/erp_logistics/webhook/{carrier_id}",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-ERP-Signature": hmac.new(
                SECRET.encode(), body, hashlib.sha256
            ).hexdigest(),
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.load(response)


def read_one(rpc, model, record_id, fields):
    return rpc.execute(model, "read", [record_id], fields)[0]


def test_business_day(odoo_server):
    rpc = odoo_server.rpc()
    # --- master data -------------------------------------------------------
    short_wh = scenario.make_warehouse(rpc)
    surplus_wh = scenario.make_warehouse(rpc)
    vendor = scenario.make_partner(rpc, "Vendor " + scenario.uid())
    product = scenario.make_product(rpc, "Tea set " + scenario.uid(), price=50)
    buy_route = scenario.ref(rpc, "purchase_stock.route_warehouse0_buy")
    rpc.execute(
        "product.product",
        "write",
        [product],
        {
            "route_ids": [(4, buy_route)],
            "seller_ids": [
                (0, 0, {"partner_id": vendor, "min_qty": 1, "price": 20, "delay": 3})
            ],
        },
    )
    scenario.set_stock(rpc, product, short_wh, 10)
    scenario.set_stock(rpc, product, surplus_wh, 25)
    for wh in (short_wh, surplus_wh):
        rpc.execute("stock.warehouse", "write", [wh], {"virtual_stock_policy": "warn"})
    # surplus warehouse keeps 20; the short one alerts below 8, refills to 20
    rpc.execute(
        "erp.stock.threshold",
        "create",
        [
            {
                "name": "Surplus keeps 20",
                "product_id": product,
                "warehouse_id": surplus_wh,
                "min_qty": 10,
                "target_qty": 20,
                "basis": "virtual_stock",
                "action": "notify",
            },
            {
                "name": "Short refills to 20",
                "product_id": product,
                "warehouse_id": short_wh,
                "min_qty": 8,
                "target_qty": 20,
                "basis": "virtual_stock",
                "action": "transfer_then_purchase",
            },
        ],
    )
    rpc.execute(
        "erp.order.priority.rule",
        "create",
        {
            "name": "VIP first " + scenario.uid(),
            "criterion": "customer_tier",
            "customer_tier": "vip",
            "points": 70,
        },
    )
    standard = scenario.make_partner(rpc, customer_tier="standard")
    vip = scenario.make_partner(rpc, customer_tier="vip")

    def virtual(wh):
        return rpc.execute(
            "product.product",
            "read",
            [product],
            ["virtual_stock_qty"],
            context={"warehouse_id": wh},
        )[0]["virtual_stock_qty"]

    assert virtual(short_wh) == 10
    # --- manual virtual stock (presale) ------------------------------------
    entry = rpc.execute(
        "erp.virtual.stock",
        "create",
        {
            "product_id": product,
            "warehouse_id": short_wh,
            "quantity": 5,
            "reason": "presale",
        },
    )
    rpc.execute("erp.virtual.stock", "action_activate", [entry])
    assert virtual(short_wh) == 15

    # --- orders: the standard customer first, then the VIP ------------------
    order_std = scenario.make_order(rpc, standard, short_wh, [(product, 6)])
    rpc.execute("sale.order", "action_confirm", [order_std])
    assert virtual(short_wh) == 9
    order_vip = scenario.make_order(rpc, vip, short_wh, [(product, 6)])
    line = rpc.execute(
        "sale.order.line",
        "search_read",
        [("order_id", "=", order_vip)],
        fields=["availability_state", "virtual_stock_qty"],
    )[0]
    assert line["availability_state"] == "available"
    rpc.execute("sale.order", "action_confirm", [order_vip])
    orders = rpc.execute(
        "sale.order",
        "read",
        [order_std, order_vip],
        ["priority_score", "fulfillment_state"],
    )
    assert orders[1]["priority_score"] > orders[0]["priority_score"]
    assert {o["fulfillment_state"] for o in orders} == {"pending"}

    # --- shortage: 3 < 8 raises an alert at once; the replenishment job it
    # triggers transfers 5 and buys the rest (this server runs no cron
    # thread: the job is run as the administrator's "Run Manually")
    alert_fields = [
        "state",
        "replenish_state",
        "qty_at_trigger",
        "shortage_qty",
        "refill_qty",
        "picking_ids",
        "purchase_line_ids",
    ]
    alert_domain = [("product_id", "=", product), ("warehouse_id", "=", short_wh)]
    alerts = rpc.execute(
        "erp.stock.alert", "search_read", alert_domain, fields=alert_fields
    )
    assert len(alerts) == 1, alerts
    assert alerts[0]["replenish_state"] == "pending"
    assert not alerts[0]["picking_ids"] and not alerts[0]["purchase_line_ids"]
    job = scenario.ref(rpc, "erp_virtual_stock.ir_cron_replenish_stock_alerts")
    rpc.execute("ir.cron", "method_direct_trigger", [job])
    alerts = rpc.execute(
        "erp.stock.alert", "search_read", alert_domain, fields=alert_fields
    )
    assert len(alerts) == 1, alerts
    alert = alerts[0]
    assert alert["replenish_state"] == "done"
    assert alert["qty_at_trigger"] == 3
    assert alert["shortage_qty"] == 5 and alert["refill_qty"] == 17
    assert alert["state"] == "in_progress"
    moves = rpc.execute(
        "stock.move",
        "search_read",
        [("picking_id", "in", alert["picking_ids"])],
        fields=["product_uom_qty"],
    )
    assert sum(m["product_uom_qty"] for m in moves) == 5
    po_lines = rpc.execute(
        "purchase.order.line",
        "read",
        alert["purchase_line_ids"],
        ["product_qty", "partner_id"],
    )
    assert sum(p["product_qty"] for p in po_lines) >= 12
    assert {p["partner_id"][0] for p in po_lines} == {vendor}

    # --- allocation: the VIP order is served first --------------------------
    run = rpc.execute(
        "erp.allocation.run",
        "create",
        {
            "warehouse_id": short_wh,
            "product_ids": [(6, 0, [product])],
            "mode": "simulate",
        },
    )
    rpc.execute("erp.allocation.run", "action_run", [run])
    lines = rpc.execute(
        "erp.allocation.run.line",
        "search_read",
        [("run_id", "=", run)],
        fields=[
            "order_id",
            "allocated_qty",
            "short_qty",
            "reserved_after",
            "reserved_before",
        ],
    )
    by_order = {line["order_id"][0]: line for line in lines}
    assert by_order[order_vip]["allocated_qty"] == 6
    assert by_order[order_std]["allocated_qty"] == 4
    apply_run = rpc.execute(
        "erp.allocation.run",
        "create",
        {
            "warehouse_id": short_wh,
            "product_ids": [(6, 0, [product])],
            "mode": "apply",
        },
    )
    rpc.execute("erp.allocation.run", "action_run", [apply_run])
    reserved = {
        m["sale_line_id"][0]: m["quantity"]
        for m in rpc.execute(
            "stock.move",
            "search_read",
            [
                ("sale_line_id.order_id", "in", [order_std, order_vip]),
                ("state", "not in", ("done", "cancel")),
            ],
            fields=["sale_line_id", "quantity"],
        )
    }
    vip_line = rpc.execute("sale.order.line", "search", [("order_id", "=", order_vip)])[
        0
    ]
    assert reserved[vip_line] == 6

    # --- delivery of the VIP order with a carrier, webhook tracking ---------
    carrier = scenario.make_carrier(rpc, SECRET)
    tracking = "SF" + scenario.uid().upper()
    scenario.deliver_order(rpc, order_vip, carrier, tracking)
    shipment = rpc.execute(
        "erp.shipment",
        "search_read",
        [("tracking_number", "=", tracking)],
        fields=["state", "sale_order_id"],
    )[0]
    assert shipment["state"] == "shipped"
    assert shipment["sale_order_id"][0] == order_vip
    status, body = post_webhook(
        odoo_server,
        carrier,
        [
            {
                "tracking_number": tracking,
                "status": "in_transit",
                "time": "2026-11-30T09:00:00+08:00",
                "location": "上海转运中心",
                "description": "运输中",
            },
            {
                "tracking_number": tracking,
                "status": "delivered",
                "time": "2026-11-30T15:00:00+08:00",
                "location": "杭州",
                "description": "已签收",
                "received_by": "王先生",
            },
        ],
    )
    assert (status, body["new_events"]) == (200, 2)
    shipment = read_one(
        rpc, "erp.shipment", shipment["id"], ["state", "received_by", "date_delivered"]
    )
    assert shipment["state"] == "delivered" and shipment["received_by"] == "王先生"
    assert read_one(rpc, "sale.order", order_vip, ["fulfillment_state"])[
        "fulfillment_state"
    ] in ("completed", "closed")

    # --- customer confirmation closes the order ------------------------------
    if (
        read_one(rpc, "sale.order", order_vip, ["fulfillment_state"])[
            "fulfillment_state"
        ]
        == "completed"
    ):
        rpc.execute("sale.order", "action_customer_confirm", [order_vip])
    vip_order = read_one(
        rpc, "sale.order", order_vip, ["fulfillment_state", "fulfillment_date_closed"]
    )
    assert vip_order["fulfillment_state"] == "closed"
    assert vip_order["fulfillment_date_closed"]

    # --- reports -------------------------------------------------------------
    report = rpc.execute(
        "erp.order.report",
        "read_group",
        [("order_id", "in", [order_std, order_vip])],
        ["order_count:sum", "unfinished_count:sum", "amount_total:sum"],
        [],
    )[0]
    assert report["order_count"] == 2
    assert report["unfinished_count"] == 1  # the standard order is not delivered
    assert report["amount_total"] >= 600  # 12 x 50 before taxes
    ledger = rpc.execute(
        "erp.virtual.stock.ledger",
        "search_read",
        [("product_id", "=", product), ("warehouse_id", "=", short_wh)],
        fields=["balance", "event"],
        order="id desc",
        limit=1,
    )
    assert ledger[0]["balance"] == virtual(short_wh)
    performance = rpc.execute(
        "erp.delivery.performance.report",
        "search_read",
        [("carrier_id", "=", carrier)],
        fields=[],
    )
    assert performance
