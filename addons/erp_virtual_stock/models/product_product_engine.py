# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

# stock.move states that count as open demand or supply (as in Odoo's forecast)
OPEN_MOVE_STATES = ("waiting", "confirmed", "assigned", "partially_available")
# the components of the virtual stock (see _erp_virtual_stock_components) and
# how each one counts in it: the formula, in one place
VIRTUAL_STOCK_SIGNS = {
    "on_hand": 1.0,
    "committed": -1.0,
    "incoming": 1.0,
    "manual": 1.0,
}


def _keep_storable(alias):
    """SQL appended to a grouped subquery ``alias`` (with a product_id
    column): keeps the rows of storable products, one join per grouped row
    rather than per quant or move."""
    return SQL(
        " JOIN product_product pp ON pp.id = %s"
        " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
        " WHERE pt.is_storable",
        SQL.identifier(alias, "product_id"),
    )


def _int_array(ids):
    """A bound ``int[]`` parameter as one array literal ('{1,2,3}', cast with
    ``%s::int[]``): PostgreSQL parses it much faster than the ARRAY[...] of
    thousands of expressions psycopg2 makes of a Python list."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


class ProductProduct(models.Model):
    """The virtual-stock engine: its components per (product, warehouse),
    the formula and the locations a warehouse counts (the supply timeline:
    product_product_timeline.py); the fields of product_product.py read
    them."""

    _inherit = "product.product"  # pylint: disable=consider-merging-classes-inherited

    # The engine: components, formula, locations
    @api.model
    def _erp_virtual_stock_components(self, warehouses, products=None):
        """{(product_id, warehouse_id): {"on_hand", "committed", "incoming",
        "manual"}} in one SQL query, for the storable ``products`` (None:
        all) in ``warehouses``; pairs without any stock, move or entry are
        left out.

        The extension point of the virtual stock (as OCA stock_available's
        dict of quantities): the fields, their search, the order lines, the
        thresholds and the ledger all read the virtual stock from here. A
        module adds a component by overriding this method with super() and
        adding a key to the inner dicts; it counts as supply unless
        ``_erp_virtual_stock_signs`` gives it another sign."""
        query = self._erp_virtual_stock_components_query(warehouses, products)
        if query is None:
            return {}
        return {
            (product_id, warehouse_id): {
                "on_hand": on_hand,
                "committed": committed,
                "incoming": incoming,
                "manual": manual,
            }
            for product_id, warehouse_id, on_hand, committed, incoming, manual in (
                self.env.execute_query(query)
            )
        }

    @api.model
    def _erp_virtual_stock_signs(self):
        """{component: sign} of the components: how each one counts in the
        virtual stock (a component missing here counts as supply, +1)."""
        return dict(VIRTUAL_STOCK_SIGNS)

    @api.model
    def _erp_virtual_stock_total(self, values):
        """The virtual stock of a dict of components (the formula)."""
        signs = self._erp_virtual_stock_signs()
        return sum(signs.get(name, 1.0) * (qty or 0.0) for name, qty in values.items())

    @api.model
    def _erp_virtual_stock_total_sql(self, alias):
        """SQL of the virtual stock of a row ``alias`` of
        ``_erp_virtual_stock_components_query`` (the same formula)."""
        return SQL("+").join(
            SQL("(%s * %s)", sign, SQL.identifier(alias, name))
            for name, sign in VIRTUAL_STOCK_SIGNS.items()
        )

    @api.model
    def _erp_virtual_stock_is_engine_only(self):
        """True when neither ``_erp_virtual_stock_components`` nor the signs
        are overridden: ``_erp_virtual_stock_total_sql`` is the total."""
        return (
            type(self)._erp_virtual_stock_components
            is ProductProduct._erp_virtual_stock_components
            and self._erp_virtual_stock_signs() == VIRTUAL_STOCK_SIGNS
        )

    @api.model
    def _erp_virtual_stock_per_product(self, warehouses, products=None):
        """{product_id: {component: qty}} summed over ``warehouses``."""
        totals = defaultdict(lambda: defaultdict(float))
        for (product_id, _wh), values in self._erp_virtual_stock_components(
            warehouses, products
        ).items():
            for name, qty in values.items():
                totals[product_id][name] += qty or 0.0
        return totals

    @api.model
    def _erp_virtual_stock_components_query(
        self, warehouses, products=None, storable_only=True
    ):
        """SQL giving (product_id, warehouse_id, on_hand, committed, incoming,
        manual) per pair with stock, open moves or active entries, for the
        storable ``products`` (None: all) in ``warehouses`` (the sources are
        flushed); None when there is nothing to compute. The builder of
        ``_erp_virtual_stock_components``, usable as a CTE of a larger
        set-based query (the demand forecast, the analysis report).
        ``storable_only=False`` (all products): the rows of every product,
        for a caller that keeps the storable ones itself."""
        parts = self._erp_virtual_stock_components_parts(
            warehouses, products, storable_only=storable_only
        )
        return parts and SQL("WITH %s %s", *parts)

    @api.model
    def _erp_virtual_stock_components_parts(
        self, warehouses, products=None, storable_only=True, now=None
    ):
        """(ctes, select) of ``_erp_virtual_stock_components_query``, or
        None: its common table expressions, ``l`` (the warehouses' internal
        locations), ``qs`` (the quants) and ``m`` (the open moves into or
        out of the warehouses: product_id, src_wh, dst_wh, qty, date), and
        the SELECT of the components over them, for a statement that reads
        more from the same CTEs (the supply timeline of a quotation line).
        ``now``: the moment the incoming moves are counted from."""
        if not warehouses:
            return None
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        self.env["stock.move"].flush_model(
            [
                "product_id",
                "location_id",
                "location_dest_id",
                "location_final_id",
                "product_qty",
                "state",
                "date",
            ]
        )
        self.env["stock.location"].flush_model(["warehouse_id"])
        self.env["stock.warehouse"].flush_model(["virtual_incoming_days"])
        self.env["erp.virtual.stock"].flush_model(
            ["product_id", "warehouse_id", "quantity", "state", "date_start"]
        )
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["is_storable"])
        storable_ids = None
        if products is not None:
            if not products:
                return None
            # the storable ids first (from the records: no query) so that
            # every aggregate filters on its indexed product_id column (index
            # scans for the handful of products of a line, a page, a trigger)
            storable_ids = products._origin.filtered("is_storable").ids
            if not storable_ids:
                return None
        if storable_ids is None:
            # every product: the storable ones are kept once the rows are
            # grouped (a join per pair, not per quant and move)
            quant_filter = move_filter = manual_filter = SQL("TRUE")
            storable_join = _keep_storable("g") if storable_only else SQL()
        else:
            ids = _int_array(storable_ids)
            quant_filter = SQL("q.product_id = ANY(%s::int[])", ids)
            move_filter = SQL("sm.product_id = ANY(%s::int[])", ids)
            manual_filter = SQL("e.product_id = ANY(%s::int[])", ids)
            storable_join = SQL()
        now = now or fields.Datetime.now()
        params = {
            "whs": list(warehouses.ids),
            "locations": self._erp_warehouse_locations(
                warehouses, resolve=storable_ids is None
            ),
            "states": list(OPEN_MOVE_STATES),
            "today": fields.Date.context_today(self),
            "quant_filter": quant_filter,
            "move_filter": move_filter,
            "manual_filter": manual_filter,
            "within_horizon": self._erp_within_horizon_sql(SQL("m.date"), now),
            "storable_join": storable_join,
        }
        # one level of aggregation: every quant, open move and entry gives
        # one row with its quantity in the column of its component (a move
        # between two warehouses one row per side), summed per pair in one
        # pass; in double precision, which sums several times faster than
        # numeric (the quantities are rounded to their UoM when read; 0 for a
        # NULL quantity, e.g. a move whose quantity is not computed). The
        # open moves: kept once for a few products (the query is planned in
        # less time than it runs), read twice for all products (cheaper than
        # writing a quarter million rows to a CTE and reading them back).
        # The quants of a few products: read first by their product (a
        # materialized CTE), whatever the planner guesses of the locations'
        # subquery (else it may read every quant of each location: a time
        # growing with the number of products for a page of 80 of them).
        params["cte"] = SQL(
            "NOT MATERIALIZED" if storable_ids is None else "MATERIALIZED"
        )
        ctes = SQL(
            "l AS MATERIALIZED (%(locations)s),"
            " qs AS %(cte)s (SELECT q.product_id, q.location_id, q.quantity"
            "  FROM stock_quant q WHERE %(quant_filter)s),"
            " m AS %(cte)s (SELECT sm.product_id, src.warehouse_id AS src_wh,"
            "  dst.warehouse_id AS dst_wh, sm.product_qty::float8 AS qty, sm.date"
            "  FROM stock_move sm"
            "  LEFT JOIN l src ON src.location_id = sm.location_id"
            "  LEFT JOIN l dst ON dst.location_id"
            "   = COALESCE(sm.location_final_id, sm.location_dest_id)"
            "  WHERE sm.state = ANY(%(states)s) AND %(move_filter)s"
            "  AND (src.warehouse_id IS NOT NULL OR dst.warehouse_id IS NOT NULL))",
            **params,
        )
        select = SQL(
            "SELECT g.product_id, g.warehouse_id, g.on_hand, g.committed,"
            " g.incoming, g.manual FROM ("
            " SELECT c.product_id, c.warehouse_id,"
            " COALESCE(SUM(c.on_hand), 0) AS on_hand,"
            " COALESCE(SUM(c.committed), 0) AS committed,"
            " COALESCE(SUM(c.incoming), 0) AS incoming,"
            " COALESCE(SUM(c.manual), 0) AS manual"
            " FROM ("
            " SELECT q.product_id, l.warehouse_id, q.quantity::float8 AS on_hand,"
            "  0::float8 AS committed, 0::float8 AS incoming, 0::float8 AS manual"
            " FROM qs q"
            " JOIN l ON l.location_id = q.location_id"
            " UNION ALL"
            " SELECT m.product_id, m.src_wh, 0, m.qty, 0, 0 FROM m"
            " WHERE m.src_wh IS NOT NULL"
            " AND m.dst_wh IS DISTINCT FROM m.src_wh"
            " UNION ALL"
            " SELECT m.product_id, m.dst_wh, 0, 0, m.qty, 0 FROM m"
            " JOIN stock_warehouse w ON w.id = m.dst_wh"
            " WHERE m.src_wh IS DISTINCT FROM m.dst_wh"
            " AND %(within_horizon)s"
            " UNION ALL"
            " SELECT e.product_id, e.warehouse_id, 0, 0, 0, e.quantity::float8"
            " FROM erp_virtual_stock e"
            " WHERE e.state = 'active' AND e.warehouse_id = ANY(%(whs)s)"
            " AND (e.date_start IS NULL OR e.date_start <= %(today)s)"
            " AND %(manual_filter)s"
            ") c GROUP BY c.product_id, c.warehouse_id) g%(storable_join)s",
            **params,
        )
        return ctes, select

    @api.model
    def _erp_virtual_stock_components_table(self, warehouses, storable_only=True):
        """``_erp_virtual_stock_components_query`` of every product, as a
        table of a larger set-based query: an empty table when there is
        nothing to compute."""
        return self._erp_virtual_stock_components_query(
            warehouses, storable_only=storable_only
        ) or SQL(
            "SELECT NULL::int AS product_id, NULL::int AS warehouse_id,"
            " 0::float8 AS on_hand, 0::float8 AS committed,"
            " 0::float8 AS incoming, 0::float8 AS manual WHERE FALSE"
        )

    @api.model
    def _erp_warehouse_locations(self, warehouses, resolve=True):
        """SQL giving (location_id, warehouse_id) of the internal locations
        of ``warehouses`` (archived ones included: their stock still counts),
        the locations whose stock and moves the virtual stock counts.
        ``resolve``: the locations are read first and given as a list, whose
        size the planner knows (stock_location is small and often never
        analyzed: a misestimate there turns the aggregates over every product
        into nested loops); for a few products a subquery saves the round
        trip (their quants and moves are read by product first)."""
        if not resolve:
            return SQL(
                "SELECT id AS location_id, warehouse_id FROM stock_location"
                " WHERE warehouse_id = ANY(%s) AND usage = 'internal'",
                list(warehouses.ids),
            )
        rows = self.env.execute_query(
            SQL(
                "SELECT id, warehouse_id FROM stock_location"
                " WHERE warehouse_id = ANY(%s) AND usage = 'internal' ORDER BY id",
                list(warehouses.ids),
            )
        )
        return SQL(
            "SELECT * FROM unnest(%s::int[], %s::int[])"
            " AS l(location_id, warehouse_id)",
            [row[0] for row in rows] or [0],
            [row[1] for row in rows] or [0],
        )

    @api.model
    def _erp_virtual_stock_map(self, warehouses, products=None):
        """{(product_id, warehouse_id): virtual_stock_qty} for the storable
        ``products`` (None: all) in ``warehouses``, pairs without any stock,
        move or entry left out (0); in SQL unless a sub-module adds one."""
        if self._erp_virtual_stock_is_engine_only():
            query = self._erp_virtual_stock_components_query(warehouses, products)
            total = self._erp_virtual_stock_total_sql("c")
            sql = SQL(
                "SELECT c.product_id, c.warehouse_id, %s FROM (%s) c", total, query
            )
            rows = query and self.env.execute_query(sql)
            return {(pid, wid): qty for pid, wid, qty in rows or ()}
        return {
            pair: self._erp_virtual_stock_total(values)
            for pair, values in self._erp_virtual_stock_components(
                warehouses, products
            ).items()
        }

    @api.model
    def _erp_within_horizon_sql(self, date, now=None):
        """SQL: an open move dated ``date`` (an SQL expression) into the
        warehouse ``w`` counts as incoming (its horizon: days ahead, -1 all,
        0 none)."""
        return SQL(
            "(w.virtual_incoming_days < 0 OR (w.virtual_incoming_days > 0"
            " AND %s <= %s + make_interval(days => w.virtual_incoming_days)))",
            date,
            now or fields.Datetime.now(),
        )
