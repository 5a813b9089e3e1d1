"""Benchmark of the screens users open: the addons vs vanilla Odoo, same data.

Run inside `odoo-bin shell` on the database with the addons, from the
repository root, with BENCH_VANILLA_DB naming a database without the addons
that holds the same scale data (bench/report.sh builds both):

    BENCH_VANILLA_DB=<vanilla db> odoo-bin shell -d <addons db> --no-http \
        < bench/bench_screens.py

Both databases are opened in this one process (Odoo serves several databases
from one process the same way) and every sample runs the same call in both,
one right after the other, the order swapped from one sample to the next:
a change of machine load (other processes on a shared machine) lands on both
sides, and the p50 / p95 of each side are compared.  The calls are the RPCs
of the web client, as the administrator (not the superuser), each one
starting as a request of a running server does: with new environments (the
record cache empty, and the user, his company and language read again:
``transaction.reset()``), the registry caches warm:

- product list: ``web_search_read`` of 80 rows of Inventory > Products in
  list view (the action's default filter, the list view's fields with the
  relational sub-specification the web client sends; the addons' list has
  the virtual stock column too), a different page each sample;
- quotation line onchange: ``sale.order.line.onchange`` as sent when a
  product is picked on a new line of a new quotation, then when its quantity
  is changed (the order's values under ``order_id``, the line's
  specification of the quotation form: with the addons it includes the
  availability and the promise date);
- order confirmation: ``action_confirm`` of a 5-line quotation; with the
  addons "everything on": an "all products" virtual stock threshold per
  warehouse, priority rules (amount, stock scarcity), the warn policy;
- short products filter: the list of the previous row with the addons'
  "Negative Virtual Stock" filter, vanilla with its "Negative Forecasted
  Quantity" filter (``virtual_available < 0``).

Sizes: BENCH_SAMPLES (15) samples per side for the list and the onchanges,
BENCH_SCREEN_ORDERS (30) confirmations per side, BENCH_FILTER_SAMPLES (5)
samples of the filter (vanilla's filter computes the forecast of every
product: seconds at 50k).  Everything is rolled back at the end.
BENCH_SCREENS (list onchange confirm filter) names the screens to run;
BENCH_PROFILE_DIR (a folder) runs each side's timed calls under cProfile too
and writes the statistics there, one text file (own and cumulative time)
and one pstats file per screen and side.
"""

import cProfile
import io
import logging
import os
import pstats
import re
import sys
import time

from lxml import etree

from odoo import api
from odoo.modules.registry import Registry
from odoo.tools.safe_eval import safe_eval

# Form (the test framework's emulation of the web client's form) prepares
# the onchange arguments; its import logs an error outside test mode
logging.getLogger("odoo.tests.common").setLevel(logging.CRITICAL)
from odoo.tests import Form  # noqa: E402

sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
from bench_common import (  # noqa: E402
    Bench,
    env_int,
    median,
    percentile,
    progress,
    scale_data,
)

env = globals()["env"]  # provided by odoo-bin shell
SAMPLES = env_int("BENCH_SAMPLES", 15)
ORDERS = env_int("BENCH_SCREEN_ORDERS", 30)
FILTER_SAMPLES = env_int("BENCH_FILTER_SAMPLES", 5)
SCREENS = os.environ.get("BENCH_SCREENS", "list onchange confirm filter").split()
# a folder: each side's timed calls of each screen also run under cProfile,
# the statistics written there (the times then include the profiler's cost)
PROFILE_DIR = os.environ.get("BENCH_PROFILE_DIR")
WARMUP = 2
PAGE = 80
TARGET = 1.15
SIDES = ("vanilla", "addons")
ADMIN = 2  # base.user_admin: a user with the standard groups, not the superuser
EXPRESSION_ATTRS = ("invisible", "readonly", "required", "column_invisible")


class Side:
    """One database: its environment as the administrator and its data."""

    def __init__(self, name, cr):
        self.name = name
        root = api.Environment(cr, ADMIN, {})
        # a user with a time zone, as Odoo asks every user to set (without
        # one, today's date of the promise date reads the user's record)
        admin = root["res.users"].browse(ADMIN)
        admin.tz = admin.tz or "UTC"
        root.flush_all()
        self.env = root(context=root["res.users"].context_get())
        self.data = scale_data(self.env)
        self.products = self.env["product.product"].browse(self.data.product_ids)

    def ref(self, xmlid):
        return self.env.ref(xmlid)


def field_spec(model, name):
    """The web client's specification of one list column."""
    field = model._fields[name]
    if field.type in ("many2one", "many2many", "one2many"):
        return {"fields": {"display_name": {}}}
    return {}


def list_spec(model, arch):
    """Specification of a list view: its columns and the fields its
    expressions (invisible, decorations...) read."""
    root = etree.fromstring(arch)
    names = [node.get("name") for node in root.xpath("./field")]
    for node in root.xpath("./field"):
        for attr, value in node.attrib.items():
            if attr in EXPRESSION_ATTRS or attr.startswith("decoration-"):
                names += re.findall(r"[a-z_][a-z0-9_]*", value)
    return {
        name: field_spec(model, name)
        for name in dict.fromkeys(names)
        if name in model._fields
    }


def product_list(side):
    """(model, specification, domain, context) of Inventory > Products in
    list view with the action's default filters."""
    action = side.ref("stock.product_template_action_product")
    context = dict(
        side.env.context, **safe_eval(action.context or "{}", {"uid": ADMIN})
    )
    model = side.env["product.template"].with_context(context)
    views = model.get_views([(False, "list"), (action.search_view_id.id, "search")])
    search = etree.fromstring(views["views"]["search"]["arch"])
    domain = safe_eval(action.domain or "[]")
    for key, value in context.items():
        if key.startswith("search_default_") and value:
            for node in search.xpath(f"//filter[@name='{key[15:]}']"):
                domain += safe_eval(node.get("domain") or "[]")
    return model, list_spec(model, views["views"]["list"]["arch"]), domain, context


def line_states(side, count):
    """Per product of ``count``: the onchange arguments of picking it on a new
    line of a new quotation and of then setting the line's quantity to 5."""
    form = Form(side.env["sale.order"])
    form.partner_id = side.data.partner
    form.warehouse_id = side.data.warehouses[0]
    states = []
    n = len(side.products)
    for i in range(count):
        line = form.order_line.new()
        product = side.products[(i * 7919 + 11) % n]
        context = line._get_context("product_id")
        empty = line._get_onchange_values()
        line.product_id = product
        filled = line._get_onchange_values()
        filled["product_uom_qty"] = 5.0
        spec = line._view["fields_spec"]
        states.append((context, dict(empty, product_id=product.id), filled, spec))
    return states


def quotations(side, count):
    data, whs = side.data, side.data.warehouses
    n = len(data.product_ids)
    orders = side.env["sale.order"].create(
        [
            {
                "partner_id": data.partner.id,
                "warehouse_id": whs[i % len(whs)].id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": data.product_ids[((i * 5 + j) * 97 + 5) % n],
                            "product_uom_qty": 1 + (i + j) % 3,
                        },
                    )
                    for j in range(5)
                ],
            }
            for i in range(count)
        ]
    )
    side.env.flush_all()
    return orders


def everything_on(side):
    """The addons' features that act on a confirmation, all switched on."""
    env = side.env
    whs = side.data.warehouses
    env["erp.stock.threshold"].search([]).active = False
    env["erp.stock.threshold"].create(
        [
            {
                "name": f"Screens bench {wh.code}",
                "warehouse_id": wh.id,
                "basis": "virtual_stock",
                "min_qty": 10,
                "target_qty": 30,
                "action": "notify",
            }
            for wh in whs
        ]
    )
    whs.write({"virtual_stock_policy": "warn"})
    env["erp.order.priority.rule"].create(
        [
            {"name": "Screens bench amount", "criterion": "amount", "amount_min": 1},
            {
                "name": "Screens bench scarcity",
                "criterion": "stock_scarcity",
                "scarcity_qty": 10,
            },
        ]
    )
    env.flush_all()


def measure(
    bench, sides, label, calls, samples, reference, warmup=WARMUP, request=False
):
    """Alternate the two sides ``samples`` times (after ``warmup`` untimed
    runs each); figures p50 and p95 of the addons vs vanilla.

    Each call starts with new environments, as a request does: an
    environment kept from the previous call keeps the company and the user
    it read, which a request reads again (with only the record cache
    emptied, the vanilla onchanges found them kept and the addons' read
    them on every call: one query and about 2 ms counted on one side only).

    ``request``: each call runs as a request of its own would, in a fresh
    transaction: what it wrote is rolled back to a savepoint after it is
    timed and the cursor is cleared (``cr.clear()``: the record cache and
    the hooks left for the commit, such as the chatter's tracking), so that
    no call carries what the previous ones left pending in the transaction.
    """
    times = {name: [] for name in SIDES}
    queries = {name: [] for name in SIDES}
    profiles = {name: cProfile.Profile() for name in SIDES} if PROFILE_DIR else {}
    for i in range(-warmup, samples):
        order = SIDES if i % 2 == 0 else SIDES[::-1]
        for name in order:
            side_env = sides[name].env
            side_env.transaction.reset()
            savepoint = side_env.cr.savepoint(flush=False) if request else None
            count = side_env.cr.sql_log_count
            start = time.perf_counter()
            profile = profiles.get(name) if i >= 0 else None
            if profile:
                profile.enable()
            # warm-up runs use the items after the timed ones
            calls[name](i if i >= 0 else samples + warmup + i)
            side_env.flush_all()
            if profile:
                profile.disable()
            elapsed = time.perf_counter() - start
            if savepoint:
                savepoint.close(rollback=True)
                side_env.cr.clear()
            if i >= 0:
                times[name].append(elapsed)
                queries[name].append(side_env.cr.sql_log_count - count)
    write_profiles(label, profiles)
    stats = {
        name: (
            median(times[name]),
            percentile(times[name], 95),
            int(median(queries[name])),
        )
        for name in SIDES
    }
    (v50, v95, vq), (a50, a95, aq) = stats["vanilla"], stats["addons"]
    print(  # noqa: T201
        f"{label:<34} vanilla p50 {v50 * 1000:8.1f} ms p95 {v95 * 1000:8.1f} ms"
        f" ({vq} q) | addons p50 {a50 * 1000:8.1f} ms p95 {a95 * 1000:8.1f} ms"
        f" ({aq} q) | {a50 / v50:.2f}x / {a95 / v95:.2f}x"
    )
    for pct, ours, ref in (("p50", a50, v50), ("p95", a95, v95)):
        bench.figure(
            f"{label} {pct}",
            ours,
            aq,
            reference=f"{reference} {pct} (vanilla DB, alternated)",
            reference_seconds=ref,
            target_ratio=TARGET,
            samples=samples,
            reference_queries=vq,
        )


def write_profiles(label, profiles):
    """The profiles of ``measure`` into BENCH_PROFILE_DIR, one file per
    side: the functions by own time, then by cumulative time."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    for name, profile in profiles.items():
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)
        path = os.path.join(PROFILE_DIR, f"{slug}-{name}.txt")
        with open(path, "w") as file:
            file.write(out.getvalue())
        profile.dump_stats(path[: -len(".txt")] + ".prof")


def main():
    vanilla_db = os.environ.get("BENCH_VANILLA_DB")
    if not vanilla_db:
        sys.exit("BENCH_VANILLA_DB must name the vanilla database of the same data")
    registry = Registry(vanilla_db)
    with registry.cursor() as vanilla_cr:
        sides = {
            "vanilla": Side("vanilla", vanilla_cr),
            "addons": Side("addons", env.cr),
        }
        assert (
            "erp.virtual.stock.ledger" not in sides["vanilla"].env
        ), f"{vanilla_db} has the addons"
        try:
            run(sides)
        finally:
            vanilla_cr.rollback()
            env.cr.rollback()


def run(sides):
    n = len(sides["addons"].products)
    assert len(sides["vanilla"].products) == n, "the two databases hold other data"
    bench = Bench(env, "screens", n)
    print(sides["addons"].data.describe())  # noqa: T201
    lists = {name: product_list(side) for name, side in sides.items()}
    assert "virtual_stock_qty" in lists["addons"][1], "no virtual stock column"
    screens = {
        "list": bench_list,
        "onchange": bench_onchanges,
        "confirm": bench_confirm,
        "filter": bench_filter,
    }
    for screen in SCREENS:
        screens[screen](bench, sides, lists, n)
    bench.emit()


def bench_list(bench, sides, lists, n):
    """(a) the product list"""
    pages = max(n // PAGE, 1)

    def page_call(name):
        model, spec, domain, _context = lists[name]

        def call(i):
            result = model.web_search_read(
                domain,
                spec,
                offset=(i * 37 % pages) * PAGE,
                limit=PAGE,
                count_limit=10001,
            )
            assert len(result["records"]) == min(PAGE, n)

        return call

    progress("product list")
    measure(
        bench,
        sides,
        "product list (80 rows)",
        {name: page_call(name) for name in SIDES},
        SAMPLES,
        "vanilla product list",
    )


def bench_onchanges(bench, sides, lists, n):
    """(b) the quotation line onchanges"""
    progress("quotation line onchanges")
    states = {name: line_states(side, SAMPLES + WARMUP) for name, side in sides.items()}
    assert "promise_date" in states["addons"][0][3], "no promise date on the line"
    for field, label in (
        ("product_id", "line onchange: product"),
        ("product_uom_qty", "line onchange: quantity"),
    ):

        def onchange(name, field=field):
            Line = sides[name].env["sale.order.line"]

            def call(i):
                context, empty, filled, spec = states[name][i % len(states[name])]
                values = empty if field == "product_id" else filled
                Line.with_context(**context).onchange(values, [field], spec)

            return call

        measure(
            bench,
            sides,
            label,
            {name: onchange(name) for name in SIDES},
            SAMPLES,
            f"vanilla {label}",
        )


def bench_confirm(bench, sides, lists, n):
    """(c) order confirmation, everything on"""
    progress(f"confirming {ORDERS} orders per database")
    everything_on(sides["addons"])
    orders = {name: quotations(side, ORDERS + WARMUP) for name, side in sides.items()}

    def confirm(name):
        def call(i):
            orders[name][i].action_confirm()
            assert orders[name][i].state == "sale", f"{name}: not confirmed"

        return call

    measure(
        bench,
        sides,
        "order confirm (5 lines)",
        {name: confirm(name) for name in SIDES},
        ORDERS,
        "vanilla action_confirm",
        # each confirmation is a request of its own in the web client
        request=os.environ.get("BENCH_CONFIRM_TRANSACTION", "request") == "request",
    )


def bench_filter(bench, sides, lists, n):
    """(d) the short products filter"""
    progress("short products filter (vanilla: seconds at 50k)")
    short = {
        "vanilla": ("virtual_available", "<", 0),
        "addons": ("virtual_stock_qty", "<", 0),
    }

    def filtered(name):
        model, spec, domain, _context = lists[name]

        def call(_i):
            model.web_search_read(
                domain + [short[name]], spec, offset=0, limit=PAGE, count_limit=10001
            )

        return call

    measure(
        bench,
        sides,
        "short products filter",
        {name: filtered(name) for name in SIDES},
        FILTER_SAMPLES,
        "vanilla virtual_available < 0",
        warmup=1,  # vanilla's filter takes seconds at 50k
    )


main()
