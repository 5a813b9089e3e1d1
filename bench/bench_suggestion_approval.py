"""Benchmark: approving replenishment suggestions in batch (odoo-bin shell).

Run from the repository root on a database with the addons (everything is
rolled back at the end):

    BENCH_SUGGESTIONS=1000 BENCH_SUGGEST_VENDORS=20 odoo-bin shell -d <db> \
        --no-http < bench/bench_suggestion_approval.py

It creates BENCH_SUGGESTIONS (1,000) storable products, each bought from
one of BENCH_SUGGEST_VENDORS (20) vendors, one stock alert per product in the
main warehouse and one purchase suggestion per alert, then times
``action_approve`` of all of them as the administrator (20 RFQs of 50 lines,
each line linked to its alert, the approver recorded on the suggestions and
the alerts). The reference is vanilla Odoo's *Order Once* of the
Replenishment screen on the same products (one manual reordering rule each,
``action_replenish``: one procurement per rule, RFQs merged per vendor).
The two are timed alternately, BENCH_SUGGEST_SAMPLES (3) samples each after
one warm-up, each in a savepoint rolled back; the target is 30 s.
"""

import os
import sys
import time

sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
from bench_common import Bench, env_int, median, progress  # noqa: E402

env = globals()["env"]  # provided by odoo-bin shell
N = env_int("BENCH_SUGGESTIONS", 1000)
N_VENDORS = env_int("BENCH_SUGGEST_VENDORS", 20)
SAMPLES = env_int("BENCH_SUGGEST_SAMPLES", 3)


def build():
    """Products, vendors, a rule and one alert per product (committed to
    nothing: the caller rolls back)."""
    quiet = env(context=dict(env.context, tracking_disable=True))
    warehouse = quiet["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    vendors = quiet["res.partner"].create(
        [{"name": f"Bench Suggest Vendor {i}"} for i in range(N_VENDORS)]
    )
    products = quiet["product.product"].create(
        [
            {
                "name": f"Bench Suggest Product {i}",
                "type": "consu",
                "is_storable": True,
                "seller_ids": [
                    (0, 0, {"partner_id": vendors[i % N_VENDORS].id, "price": 3})
                ],
            }
            for i in range(N)
        ]
    )
    rule = quiet["erp.stock.threshold"].create(
        {
            "name": "Bench suggestions",
            "warehouse_id": warehouse.id,
            "basis": "on_hand",
            "min_qty": 10,
            "target_qty": 30,
            "action": "purchase",
        }
    )
    alerts = quiet["erp.stock.alert"].create(
        [
            {
                "threshold_id": rule.id,
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "company_id": env.company.id,
                "qty_at_trigger": 0,
                "min_qty": 10,
                "target_qty": 30,
            }
            for product in products
        ]
    )
    return warehouse, vendors, products, alerts


def suggest(warehouse, vendors, products, alerts):
    return env["erp.replenishment.suggestion"].create(
        [
            {
                "kind": "purchase",
                "alert_id": alert.id,
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "quantity": 30,
                "partner_id": vendors[i % N_VENDORS].id,
            }
            for i, (alert, product) in enumerate(zip(alerts, products, strict=True))
        ]
    )


def orderpoints(warehouse, products):
    return env["stock.warehouse.orderpoint"].create(
        [
            {
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_min_qty": 10,
                "product_max_qty": 30,
                "trigger": "manual",
            }
            for product in products
        ]
    )


def timed(func):
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries


class Rollback(Exception):
    """Raised to roll a sample back to its savepoint."""


def run_side(side, warehouse, vendors, products, alerts):
    admin = env.ref("base.user_admin")
    if side == "ours":
        suggestions = suggest(warehouse, vendors, products, alerts)
        result = timed(lambda: suggestions.with_user(admin).action_approve())
        orders = suggestions.purchase_line_id.order_id
        assert len(orders) == N_VENDORS, len(orders)
        assert set(suggestions.mapped("state")) == {"approved"}
        assert len(alerts.purchase_line_ids) == N
        return result
    points = orderpoints(warehouse, products)
    return timed(lambda: points.with_user(admin).action_replenish())


def main():
    bench = Bench(env, "suggestion_approval", N)
    progress(f"building {N} products, alerts and {N_VENDORS} vendors")
    warehouse, vendors, products, alerts = build()
    env.flush_all()
    ours, ref, ours_queries = [], [], 0
    for sample in range(SAMPLES + 1):
        for side in ("ours", "ref") if sample % 2 else ("ref", "ours"):
            try:
                with env.cr.savepoint():
                    seconds, queries = run_side(
                        side, warehouse, vendors, products, alerts
                    )
                    raise Rollback()
            except Rollback:
                env.invalidate_all(flush=False)
            progress(f"sample {sample} {side}: {seconds:.2f} s")
            if sample:  # sample 0 warms up
                (ours if side == "ours" else ref).append(seconds)
                if side == "ours":
                    ours_queries = queries
    load = os.getloadavg()
    print(  # noqa: T201
        f"approve {N} suggestions / {N_VENDORS} vendors: p50 {median(ours):.2f} s "
        f"({ours_queries} queries); Order Once of {N} orderpoints: p50 "
        f"{median(ref):.2f} s; load average {load[0]:.1f}"
    )
    bench.figure(
        f"approve {N} suggestions ({N_VENDORS} vendors)",
        median(ours),
        queries=ours_queries,
        reference="Order Once (orderpoints)",
        reference_seconds=median(ref),
        target_seconds=30.0,
        load_average=load[0],
    )
    bench.emit()


try:
    main()
finally:
    env.cr.rollback()
