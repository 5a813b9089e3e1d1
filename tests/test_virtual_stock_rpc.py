"""No oversell over JSON-RPC: concurrent confirmations of the last units.

A real 2-worker Odoo server; 14 integrator threads confirm one order of one
unit each while only 5 units exist in a warehouse under the ``block``
policy. Odoo's RPC layer retries the requests that hit a serialization
failure, so exactly 5 confirm and the others get the policy's error.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import RpcError

THREADS = 14
STOCK = 5


def _setup(rpc):
    warehouse = rpc.execute(
        "stock.warehouse",
        "create",
        {"name": "VS RPC Warehouse", "code": "VSRPC", "virtual_stock_policy": "block"},
    )
    product = rpc.execute(
        "product.product",
        "create",
        {"name": "VS RPC Widget", "type": "consu", "is_storable": True},
    )
    stock_location = rpc.execute(
        "stock.warehouse", "read", [warehouse], ["lot_stock_id"]
    )[0]["lot_stock_id"][0]
    quant = rpc.execute(
        "stock.quant",
        "create",
        {
            "product_id": product,
            "location_id": stock_location,
            "inventory_quantity": STOCK,
        },
    )
    try:
        rpc.execute("stock.quant", "action_apply_inventory", [quant])
    except KeyError:
        pass  # it returns None: no "result" key for the conftest client
    on_hand = rpc.execute("stock.quant", "read", [quant], ["quantity"])[0]
    assert on_hand["quantity"] == STOCK
    partner = rpc.execute("res.partner", "create", {"name": "VS RPC Customer"})
    orders = [
        rpc.execute(
            "sale.order",
            "create",
            {
                "partner_id": partner,
                "warehouse_id": warehouse,
                "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1})],
            },
        )
        for _i in range(THREADS)
    ]
    return warehouse, product, orders


def test_last_units_are_sold_once_over_jsonrpc(odoo_server):
    """Given 5 units under block and 14 orders of 1, when 14 JSON-RPC
    clients confirm at once, then exactly 5 succeed, 9 get the policy's
    error, virtual stock is 0 and the ledger matches a fresh recomputation."""
    admin = odoo_server.rpc()
    warehouse, product, orders = _setup(admin)
    clients = [odoo_server.rpc() for _i in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def confirm(client, order):
        barrier.wait(timeout=60)
        try:
            client.execute("sale.order", "action_confirm", [order])
        except RpcError as error:
            return error
        return "confirmed"

    with ThreadPoolExecutor(max_workers=THREADS) as executor:
        results = list(executor.map(confirm, clients, orders))

    confirmed = [r for r in results if r == "confirmed"]
    errors = [r for r in results if r != "confirmed"]
    assert len(confirmed) == STOCK, results
    assert len(errors) == THREADS - STOCK, results
    for error in errors:
        assert error.name == "odoo.exceptions.UserError", error
        assert "Not enough virtual stock" in error.message, error

    states = admin.execute("sale.order", "read", orders, ["state"])
    assert [s["state"] for s in states].count("sale") == STOCK

    virtual = admin.execute(
        "product.product",
        "read",
        [product],
        ["virtual_stock_qty", "committed_qty"],
        context={"warehouse_id": warehouse},
    )[0]
    assert virtual["virtual_stock_qty"] == 0
    assert virtual["committed_qty"] == STOCK

    rows = admin.execute(
        "erp.virtual.stock.ledger",
        "search_read",
        [("product_id", "=", product), ("warehouse_id", "=", warehouse)],
        fields=["delta", "balance", "event"],
        order="id",
    )
    assert [r["event"] for r in rows].count("order_confirmed") == STOCK
    assert all(r["balance"] >= 0 for r in rows)
    running = 0
    for row in rows:
        running += row["delta"]
        assert running == row["balance"]
    # the analysis view recomputes from scratch with its own SQL
    fresh = admin.execute(
        "erp.virtual.stock.report",
        "search_read",
        [("product_id", "=", product), ("warehouse_id", "=", warehouse)],
        fields=["virtual_stock_qty", "on_hand_qty", "committed_qty"],
    )
    assert fresh == [
        {
            "id": fresh[0]["id"],
            "virtual_stock_qty": 0,
            "on_hand_qty": STOCK,
            "committed_qty": STOCK,
        }
    ]
    assert rows[-1]["balance"] == fresh[0]["virtual_stock_qty"]
