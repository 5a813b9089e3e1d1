"""Benchmark body, run inside `odoo-bin shell` (see bench/run.sh).

Creates the same data in any database (vanilla Odoo or with the addons),
measures order confirmation, delivery and stock reads, and prints one JSON
line prefixed with BENCH.  Parameters come from the environment:
BENCH_PRODUCTS (default 300), BENCH_ORDERS (200), BENCH_LINES (3).
"""
# ruff: noqa: F821  (env is provided by odoo-bin shell)

import json
import os
import random
import time

from odoo import Command

N_PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "300"))
N_ORDERS = int(os.environ.get("BENCH_ORDERS", "200"))
N_LINES = int(os.environ.get("BENCH_LINES", "3"))
rng = random.Random(42)
cr = env.cr
figures = {}


def timed(name, func):
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    figures[name] = {
        "seconds": round(time.perf_counter() - start, 3),
        "queries": cr.sql_log_count - queries,
    }
    return result


warehouses = env["stock.warehouse"].create(
    [{"name": f"Bench WH {i}", "code": f"BW{i}"} for i in range(2)]
)
products = env["product.product"].create(
    [
        {
            "name": f"Bench product {i}",
            "type": "consu",
            "is_storable": True,
            "list_price": 10 + i % 7,
            "default_code": f"BENCH-{i}",
        }
        for i in range(N_PRODUCTS)
    ]
)
env["stock.quant"].create(
    [
        {
            "product_id": product.id,
            "location_id": wh.lot_stock_id.id,
            "inventory_quantity": rng.randint(20, 200),
        }
        for product in products
        for wh in warehouses
    ]
).action_apply_inventory()
partner = env["res.partner"].create({"name": "Bench customer"})
orders = env["sale.order"].create(
    [
        {
            "partner_id": partner.id,
            "warehouse_id": warehouses[i % 2].id,
            "order_line": [
                Command.create(
                    {
                        "product_id": rng.choice(products).id,
                        "product_uom_qty": rng.randint(1, 5),
                    }
                )
                for _ in range(N_LINES)
            ],
        }
        for i in range(N_ORDERS)
    ]
)
env.flush_all()
timed("confirm_orders", lambda: orders.action_confirm())
pickings = orders.picking_ids


def deliver():
    for picking in pickings[: len(pickings) // 2]:
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
    pickings[: len(pickings) // 2].with_context(
        skip_backorder=True, skip_sms=True
    ).button_validate()


timed("deliver_half", deliver)
env.invalidate_all()
timed(
    "read_virtual_available",
    lambda: products.with_context(warehouse_id=warehouses[0].id).mapped(
        "virtual_available"
    ),
)
if "virtual_stock_qty" in products._fields:
    env.invalidate_all()
    timed(
        "read_virtual_stock_qty",
        lambda: products.with_context(warehouse_id=warehouses[0].id).mapped(
            "virtual_stock_qty"
        ),
    )
env.invalidate_all()
timed(
    "read_order_lines",
    lambda: orders.order_line.read(
        [
            f
            for f in (
                "product_uom_qty",
                "qty_delivered",
                "virtual_stock_qty",
                "availability_state",
                "promise_date",
            )
            if f in env["sale.order.line"]._fields
        ]
    ),
)
print("BENCH " + json.dumps(figures))
cr.rollback()
