# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import numpy as np

from odoo import api, models
from odoo.tools import SQL


class ErpDemandForecast(models.Model):
    """The demand history the forecasting methods learn from: one daily
    series per product and warehouse.

    - Demand is what customers asked for: the quantities of the confirmed
      sale order lines, in the product's unit, on the order's requested
      date (the commitment date, else the order date), per warehouse of the
      order. A pair without any confirmed order line in the history falls
      back on its done deliveries to customers by date. Customer returns
      (done moves from a customer location into the warehouse) are netted
      on their day; a day does not go below zero.
    - Censoring: the on-hand stock of the warehouse at the end of each day
      is rebuilt backwards from today's quants and the done moves in and out
      of the warehouse. A day that opened and closed without stock and on
      which nobody ordered is censored (NaN): the methods skip it instead of
      reading a zero demand a customer could not express.
    - Days before the first demand of the pair in the history are NaN too
      (a new product has no history yet, not a history of zeros).
    """

    _inherit = "erp.demand.forecast"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _demand_locations(self, warehouses):
        Location = self.env["stock.location"].with_context(active_test=False)
        internal = Location.search_fetch(
            [("usage", "=", "internal"), ("warehouse_id", "in", warehouses.ids)],
            ["warehouse_id"],
        )
        customers = Location.search([("usage", "=", "customer")]).ids or [0]
        return internal, customers

    @api.model
    def _get_demand_pairs(self, warehouses, date_from, date_to):
        """Sorted [(product_id, warehouse_id)] with an order line or a
        customer delivery or return in the period."""
        internal, customers = self._demand_locations(warehouses)
        self._flush_series_sources()
        rows = self.env.execute_query(
            SQL(
                "SELECT sol.product_id, so.warehouse_id"
                " FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id"
                " WHERE so.state = 'sale' AND so.warehouse_id = ANY(%(whs)s)"
                " AND sol.product_id IS NOT NULL"
                " AND COALESCE(so.commitment_date, so.date_order) >= %(from)s"
                " AND COALESCE(so.commitment_date, so.date_order) < %(to)s"
                " UNION"
                " SELECT sm.product_id, l.warehouse_id FROM stock_move sm"
                " CROSS JOIN LATERAL (VALUES (sm.location_id),"
                "  (sm.location_dest_id)) AS side(location_id)"
                " JOIN unnest(%(locs)s::int[], %(loc_whs)s::int[])"
                "  AS l(location_id, warehouse_id) ON l.location_id = side.location_id"
                " WHERE sm.state = 'done' AND sm.date >= %(from)s"
                " AND sm.date < %(to)s"
                " AND (sm.location_id = ANY(%(cust)s)"
                "  OR sm.location_dest_id = ANY(%(cust)s))"
                " ORDER BY 1, 2",
                whs=warehouses.ids or [0],
                locs=internal.ids or [0],
                loc_whs=[loc.warehouse_id.id for loc in internal] or [0],
                cust=customers,
                to=date_to,
                **{"from": date_from},
            )
        )
        return [tuple(row) for row in rows]

    @api.model
    def _flush_series_sources(self):
        self._flush_demand_sources()
        self.env["sale.order"].flush_model(
            ["state", "warehouse_id", "commitment_date", "date_order"]
        )
        self.env["sale.order.line"].flush_model(
            ["product_id", "product_uom_qty", "product_uom", "order_id"]
        )
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])

    @api.model
    def _get_demand_series(self, warehouses, pairs, date_from, days):
        """Daily demand series of ``pairs`` over ``days`` days from
        ``date_from`` (a date): an array (len(pairs), days), NaN where
        censored or before the first demand (see the class docstring).

        Each query returns the row index of its pair (joined on the pairs
        in SQL) and is summed into the arrays by numpy: no Python per row."""
        n = len(pairs)
        orders = np.zeros((n, days))
        if not n:
            return orders
        internal, __ = self._demand_locations(warehouses)
        products = sorted({p for p, __ in pairs})
        date_to = date_from + timedelta(days=days)
        locs = {
            "locs": internal.ids or [0],
            "loc_whs": [loc.warehouse_id.id for loc in internal] or [0],
        }
        rows = self._series_rows(
            pairs,
            SQL(
                "SELECT sol.product_id, so.warehouse_id,"
                " (COALESCE(so.commitment_date, so.date_order)::date - %(from)s),"
                " SUM(sol.product_uom_qty::float8 / lu.factor * pu.factor)"
                " FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id"
                " JOIN uom_uom lu ON lu.id = sol.product_uom"
                " JOIN product_product pp ON pp.id = sol.product_id"
                " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                " JOIN uom_uom pu ON pu.id = pt.uom_id"
                " WHERE so.state = 'sale' AND so.warehouse_id = ANY(%(whs)s)"
                " AND sol.product_id = ANY(%(products)s)"
                " AND COALESCE(so.commitment_date, so.date_order) >= %(from)s"
                " AND COALESCE(so.commitment_date, so.date_order) < %(to)s"
                " GROUP BY 1, 2, 3",
                whs=warehouses.ids or [0],
                products=products,
                to=date_to,
                **{"from": date_from},
            ),
            1,
        )
        k, day = rows[:, 0].astype(int), rows[:, 1].astype(int)
        np.add.at(orders, (k, day), rows[:, 2])
        has_orders = np.zeros(n, dtype=bool)
        has_orders[k] = True
        # done moves of the warehouse by day: to and from customers, and
        # every move in or out of it (the on-hand stock history; a move
        # between two of its locations joins twice and nets to zero)
        rows = self._series_rows(
            pairs, self._series_moves_query(warehouses, products, date_from, days), 3
        )
        k, day = rows[:, 0].astype(int), rows[:, 1].astype(int)
        # moved today or later: after the history
        late = day >= days
        after = np.zeros(n)
        np.add.at(after, k[late], rows[late, 4])
        k, day, rows = k[~late], day[~late], rows[~late]
        deliveries = np.zeros((n, days))
        returns = np.zeros((n, days))
        moves_in = np.zeros((n, days))
        np.add.at(deliveries, (k, day), rows[:, 2])
        np.add.at(returns, (k, day), rows[:, 3])
        np.add.at(moves_in, (k, day), rows[:, 4])
        rows = self._series_rows(
            pairs,
            SQL(
                "SELECT q.product_id, l.warehouse_id, 0, SUM(q.quantity::float8)"
                " FROM stock_quant q"
                " JOIN unnest(%(locs)s::int[], %(loc_whs)s::int[])"
                "  AS l(location_id, warehouse_id) ON l.location_id = q.location_id"
                " WHERE q.product_id = ANY(%(products)s) GROUP BY 1, 2",
                products=products,
                **locs,
            ),
            1,
        )
        onhand = np.zeros(n)
        np.add.at(onhand, rows[:, 0].astype(int), rows[:, 2])
        storable = self._series_storable(pairs)
        demand = np.where(has_orders[:, None], orders, deliveries) - returns
        demand = np.maximum(demand, 0.0)
        return censor(demand, moves_in, onhand - after, storable)

    @api.model
    def _series_moves_query(self, warehouses, products, date_from, days):
        """SQL giving (product_id, warehouse_id, day, deliveries, returns,
        net moves) of the done moves of ``products`` in ``warehouses`` by day
        from ``date_from`` (``day`` capped at ``days``: moved today or later).

        Read from the table the method selection filled once for all its
        batches (``_store_series_moves``, named by the context key
        ``erp_series_moves``) when there is one: every batch would otherwise
        scan the whole stock_move table for its products."""
        table = self.env.context.get("erp_series_moves")
        if table:
            return SQL(
                "SELECT product_id, warehouse_id, day, deliveries, returns, net"
                " FROM %s WHERE product_id = ANY(%s)",
                SQL.identifier(table),
                list(products),
            )
        return self._series_moves_source(warehouses, products, date_from, days)

    @api.model
    def _series_moves_source(self, warehouses, products, date_from, days):
        """The moves query of ``_series_moves_query`` on stock_move, for
        ``products`` (None: every product)."""
        internal, customers = self._demand_locations(warehouses)
        locs = {
            "locs": internal.ids or [0],
            "loc_whs": [loc.warehouse_id.id for loc in internal] or [0],
        }
        products_filter = (
            SQL("TRUE")
            if products is None
            else SQL("sm.product_id = ANY(%s)", list(products))
        )
        return SQL(
            "SELECT sm.product_id, l.warehouse_id,"
            " LEAST(sm.date::date - %(from)s, %(days)s),"
            " SUM(CASE WHEN side.sign < 0 AND sm.location_dest_id = ANY(%(cust)s)"
            "  THEN sm.product_qty::float8 ELSE 0 END),"
            " SUM(CASE WHEN side.sign > 0 AND sm.location_id = ANY(%(cust)s)"
            "  THEN sm.product_qty::float8 ELSE 0 END),"
            " SUM(side.sign * sm.product_qty::float8)"
            # each move once from its source (out: -1), once into its
            # destination (in: +1), each side joined on the warehouse's
            # locations by equality (a hash join)
            " FROM stock_move sm CROSS JOIN LATERAL (VALUES"
            "  (sm.location_id, -1.0::float8), (sm.location_dest_id, 1.0::float8))"
            "  AS side(location_id, sign)"
            " JOIN unnest(%(locs)s::int[], %(loc_whs)s::int[])"
            "  AS l(location_id, warehouse_id) ON l.location_id = side.location_id"
            " WHERE sm.state = 'done' AND %(products)s"
            " AND sm.date >= %(from)s AND sm.location_id != sm.location_dest_id"
            " GROUP BY 1, 2, 3",
            products=products_filter,
            days=days,
            cust=customers,
            **locs,
            **{"from": date_from},
        )

    @api.model
    def _store_series_moves(self, warehouses, date_from, days):
        """Fill a temporary table with ``_series_moves_source`` of every
        product (one scan of stock_move), indexed by product and analyzed,
        and return its name for the context key ``erp_series_moves``. It
        lives in the database session (kept across the commits of the
        batches): dropped by ``_drop_series_moves``."""
        table = "erp_demand_forecast_series_moves"
        self._drop_series_moves(table)
        self.env.cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE %s (product_id, warehouse_id, day,"
                " deliveries, returns, net) AS %s",
                SQL.identifier(table),
                self._series_moves_source(warehouses, None, date_from, days),
            )
        )
        self.env.cr.execute(
            SQL("CREATE INDEX ON %s (product_id)", SQL.identifier(table))
        )
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        return table

    @api.model
    def _drop_series_moves(self, table):
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))

    @api.model
    def _series_rows(self, pairs, query, values):
        """Rows (k, day, value_1..value_n) of ``query`` (product_id,
        warehouse_id, day, ``values`` values) for ``pairs``, ``k`` the index
        of the row's pair: a float array (rows, 2 + values)."""
        rows = self.env.execute_query(
            SQL(
                "SELECT x.k - 1, q.* FROM (%(query)s) AS q(product_id,"
                " warehouse_id, day, %(names)s)"
                " JOIN unnest(%(products)s::int[], %(whs)s::int[])"
                " WITH ORDINALITY AS x(product_id, warehouse_id, k)"
                " ON x.product_id = q.product_id AND x.warehouse_id = q.warehouse_id",
                query=query,
                names=SQL(", ").join(SQL.identifier(f"v{i}") for i in range(values)),
                products=[p for p, __ in pairs],
                whs=[w for __, w in pairs],
            )
        )
        if not rows:
            return np.zeros((0, 2 + values))
        # drop product_id, warehouse_id: (k, day, values...)
        return np.array(rows, dtype=float)[:, [0, *range(3, 4 + values)]]

    @api.model
    def _series_storable(self, pairs):
        """Boolean array: the products of ``pairs`` whose stock is tracked
        (only their stock-outs are censored)."""
        # one query (not a related field computed on every product): the
        # storable products of the UoM roundings' read
        storable = set(
            self.env["product.product"]._erp_uom_roundings(
                sorted({p for p, __ in pairs}), storable=True
            )
        )
        return np.array([p in storable for p, __ in pairs], dtype=bool)


def censor(demand, moves_in, closing_last, storable):
    """``demand`` (n, T) with the censored days and the days before the
    first demand set to NaN. ``moves_in``: net quantity moved into the
    warehouse per day; ``closing_last``: stock at the end of the last day.
    A storable product's day that opened and closed without stock and had
    no demand is censored."""
    # closing stock of day d = closing of the last day - what came in after d
    after = np.cumsum(moves_in[:, ::-1], axis=1)[:, ::-1]
    closing = closing_last[:, None] - np.concatenate(
        [after[:, 1:], np.zeros((after.shape[0], 1))], axis=1
    )
    opening = np.concatenate([closing[:, :1] - moves_in[:, :1], closing[:, :-1]], 1)
    out = storable[:, None] & (opening <= 0) & (closing <= 0) & (demand <= 0)
    series = np.where(out, np.nan, demand)
    started = np.cumsum(np.nan_to_num(demand, nan=0.0) > 0, axis=1) > 0
    return np.where(started, series, np.nan)
