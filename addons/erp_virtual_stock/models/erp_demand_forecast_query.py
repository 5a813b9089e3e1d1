# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import MAXYEAR, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .erp_demand_forecast import FORECAST_HORIZONS


class ErpDemandForecast(models.Model):
    """The queries of the forecast refresh: the demand aggregate over a
    period and the forecast computed from it, one row per pair."""

    _inherit = "erp.demand.forecast"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Demand aggregate
    # ------------------------------------------------------------------
    @api.model
    def _get_demand_query(self, warehouses, date_from, date_to, weighted=True):
        """SQL giving (product_id, warehouse_id, net_qty, weighted_qty) of the
        done deliveries to customers minus the customer returns, per product
        and warehouse, between ``date_from`` (incl.) and ``date_to`` (excl.):
        datetimes, or SQL expressions when ``weighted`` is False (the actual
        demand after each of several snapshot dates, see the accuracy)."""
        if weighted:
            recent_from = date_to - timedelta(days=self._get_param("recent_days"))
            weight = self._get_param("recent_weight")
        else:
            recent_from, weight = date_from, 1.0
        # the locations are resolved first: the moves are then filtered and
        # grouped on their own columns (no join per move on stock_location)
        Location = self.env["stock.location"].with_context(active_test=False)
        internal = Location.search_fetch(
            [("usage", "=", "internal"), ("warehouse_id", "in", warehouses.ids)],
            ["warehouse_id"],
        )
        customers = Location.search([("usage", "=", "customer")]).ids or [0]
        return SQL(
            # summed in double precision (several times faster than numeric
            # over hundreds of thousands of moves; a rate is a float anyway)
            "SELECT sm.product_id, l.warehouse_id,"
            " SUM(CASE WHEN sm.location_id = ANY(%(customers)s)"
            "  THEN -sm.product_qty::float8 ELSE sm.product_qty::float8 END)"
            "  AS net_qty,"
            " SUM(CASE WHEN sm.location_id = ANY(%(customers)s)"
            "  THEN -sm.product_qty::float8 ELSE sm.product_qty::float8 END"
            "  * CASE WHEN sm.date >= %(recent_from)s THEN %(weight)s ELSE 1 END)"
            "  AS weighted_qty"
            " FROM stock_move sm"
            " JOIN unnest(%(loc_ids)s::int[], %(loc_whs)s::int[])"
            "  AS l(location_id, warehouse_id)"
            "  ON l.location_id = CASE WHEN sm.location_id = ANY(%(customers)s)"
            "  THEN sm.location_dest_id ELSE sm.location_id END"
            " WHERE sm.state = 'done'"
            " AND sm.date >= %(date_from)s AND sm.date < %(date_to)s"
            " AND ((sm.location_id = ANY(%(loc_ids)s)"
            "       AND sm.location_dest_id = ANY(%(customers)s))"
            "   OR (sm.location_id = ANY(%(customers)s)"
            "       AND sm.location_dest_id = ANY(%(loc_ids)s)))"
            " GROUP BY 1, 2",
            recent_from=recent_from,
            weight=float(weight),
            date_from=date_from,
            date_to=date_to,
            customers=customers,
            loc_ids=internal.ids or [0],
            loc_whs=[loc.warehouse_id.id for loc in internal] or [0],
        )

    @api.model
    def _flush_demand_sources(self):
        self.env["stock.move"].flush_model(
            [
                "product_id",
                "location_id",
                "location_dest_id",
                "product_qty",
                "state",
                "date",
            ]
        )
        self.env["stock.location"].flush_model(["usage", "warehouse_id"])

    @api.model
    def _get_demand_rates(self, warehouses, now=None):
        """{(product_id, warehouse_id): (net_qty, daily_rate)} over the window."""
        now = now or fields.Datetime.now()
        window = max(self._get_param("window_days"), 1)
        recent = min(max(self._get_param("recent_days"), 0), window)
        weight = max(self._get_param("recent_weight"), 0.0)
        weighted_days = (window - recent) + recent * weight or window
        self._flush_demand_sources()
        rows = self.env.execute_query(
            self._get_demand_query(warehouses, now - timedelta(days=window), now)
        )
        return {
            (product_id, warehouse_id): (net, max(weighted / weighted_days, 0.0))
            for product_id, warehouse_id, net, weighted in rows
        }

    # ------------------------------------------------------------------
    # Forecast query
    # ------------------------------------------------------------------
    @api.model
    def _get_forecast_query(self, warehouses, today, now):
        """SQL giving the forecast of ``warehouses`` per product and warehouse
        with demand or virtual stock: (product_id, product_categ_id,
        warehouse_id, demand_qty, demand_rate, virtual_stock_qty,
        days_of_cover, stockout_date, forecast_qty_7, forecast_qty_30,
        forecast_qty_90), all set-based.

        The stock-out projection: the stock available today (virtual stock
        without the incoming moves still to come) is consumed at the daily
        rate; the time-phased supply (incoming moves by date, manual entries
        starting (+) and ending (-)) is added on its day, in date then
        quantity order. The stock runs out after the last event reached with
        stock left, or between two events: for the events ``1..n`` of a pair
        (days ``d_k`` from today, running total ``cum_k``), the level after
        event ``k`` is ``available - rate * d_k + cum_k``; the projection
        stops at the first state ``k`` (0: today) whose level is gone or that
        runs dry before event ``k + 1``, and the stock lasts ``d_k + level /
        rate`` days from then."""
        window = max(self._get_param("window_days"), 1)
        recent = min(max(self._get_param("recent_days"), 0), window)
        weight = max(self._get_param("recent_weight"), 0.0)
        weighted_days = (window - recent) + recent * weight or window
        self._flush_demand_sources()
        Product = self.env["product.product"]
        components = Product._erp_virtual_stock_components_table(warehouses)
        self.env["erp.virtual.stock"].flush_model(
            [
                "product_id",
                "warehouse_id",
                "quantity",
                "state",
                "date_start",
                "date_end",
            ]
        )
        self.env["product.template"].flush_model(["categ_id", "is_storable"])
        return SQL(
            "WITH demand AS (%(demand)s),"
            " comp AS (%(components)s),"
            " base AS ("
            "  SELECT COALESCE(r.product_id, c.product_id) AS product_id,"
            "  COALESCE(r.warehouse_id, c.warehouse_id) AS warehouse_id,"
            "  COALESCE(r.net_qty::float8, 0) AS demand_qty,"
            "  COALESCE(GREATEST(r.weighted_qty::float8 / %(weighted_days)s, 0), 0)"
            "   AS rate,"
            "  COALESCE(%(virtual)s, 0) AS virtual,"
            "  pa.cum, pa.tail, pa.off, pa.c0"
            "  FROM demand r FULL JOIN comp c"
            "  ON c.product_id = r.product_id AND c.warehouse_id = r.warehouse_id"
            # the daily forecast of the pair, if any (else the flat rate)
            "  LEFT JOIN (%(paths)s) AS pa(product_id, warehouse_id, cum, tail,"
            "  off, c0) ON pa.product_id = COALESCE(r.product_id, c.product_id)"
            "  AND pa.warehouse_id = COALESCE(r.warehouse_id, c.warehouse_id)),"
            # time-phased supply of the storable products with demand (the
            # incoming moves of storable products; manual entries exist for
            # storable products only)
            " ev AS ("
            # a move counts on its day in the user's timezone, the day
            # ``today`` is taken in (not its UTC date)
            "  SELECT i.product_id, i.warehouse_id,"
            "  (i.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day,"
            "  i.qty::float8 AS qty, i.qty::float8 AS incoming"
            "  FROM (%(incoming)s) AS i(product_id, warehouse_id, date, qty)"
            "  UNION ALL"
            "  SELECT e.product_id, e.warehouse_id, e.date_start, e.quantity::float8, 0"
            "  FROM erp_virtual_stock e"
            "  WHERE e.state = 'active' AND e.warehouse_id = ANY(%(whs)s)"
            "  AND e.date_start > %(today)s"
            "  UNION ALL"
            "  SELECT e.product_id, e.warehouse_id, e.date_end + 1,"
            "  -e.quantity::float8, 0"
            "  FROM erp_virtual_stock e"
            "  WHERE e.state = 'active' AND e.warehouse_id = ANY(%(whs)s)"
            "  AND e.date_end IS NOT NULL),"
            " sup AS ("
            "  SELECT ev.product_id, ev.warehouse_id, b.rate,"
            "  GREATEST(ev.day - %(today)s, 0) AS d,"
            "  ROW_NUMBER() OVER w AS k,"
            "  SUM(ev.qty) OVER w AS cum,"
            "  LEAD(GREATEST(ev.day - %(today)s, 0)) OVER w AS next_d,"
            "  b.virtual - SUM(ev.incoming) OVER"
            "   (PARTITION BY ev.product_id, ev.warehouse_id) AS available"
            "  FROM ev"
            "  JOIN base b ON b.product_id = ev.product_id"
            "   AND b.warehouse_id = ev.warehouse_id AND b.rate > 0"
            "  WINDOW w AS (PARTITION BY ev.product_id, ev.warehouse_id"
            "   ORDER BY ev.day, ev.qty ROWS UNBOUNDED PRECEDING)),"
            # ``reach``: the stock the forecast demand may take by then
            # (available + supply so far); level = reach - demand by day d
            " st AS ("
            "  SELECT s.product_id, s.warehouse_id, s.k, s.d, s.next_d,"
            "  s.available + s.cum AS reach FROM sup s"
            "  UNION ALL"
            "  SELECT s.product_id, s.warehouse_id, 0, 0, s.d, s.available"
            "  FROM sup s WHERE s.k = 1),"
            " state AS ("
            "  SELECT s.*, s.reach - %(demand_d)s AS level,"
            "  s.reach - %(demand_next)s AS next_level"
            "  FROM st s JOIN base b ON b.product_id = s.product_id"
            "  AND b.warehouse_id = s.warehouse_id),"
            " proj AS ("
            "  SELECT DISTINCT ON (s.product_id, s.warehouse_id)"
            "  s.product_id, s.warehouse_id, s.d, s.level, s.reach FROM state s"
            "  ORDER BY s.product_id, s.warehouse_id,"
            "  (s.next_d IS NULL OR s.level <= 0 OR s.next_level <= 0) DESC, s.k)"
            " SELECT b.product_id, pt.categ_id, b.warehouse_id, b.demand_qty,"
            " b.rate, b.virtual,"
            " CASE WHEN b.rate > 0 AND b.virtual > 0 THEN %(cover)s"
            "  WHEN b.rate > 0 THEN b.virtual / b.rate END,"
            " CASE WHEN b.rate > 0 THEN %(today)s + LEAST(floor(CASE"
            "  WHEN p.product_id IS NULL AND b.virtual > 0 THEN %(cover)s"
            "  WHEN p.product_id IS NULL THEN 0"
            "  WHEN p.level > 0 THEN %(runout)s ELSE p.d END),"
            "  %(max_days)s)::int END,"
            # the forecast demand over each horizon, read on the daily
            # forecast where the pair has one (a trend or a season is no
            # rate times days)
            " %(horizons)s"
            " FROM base b"
            " LEFT JOIN proj p ON p.product_id = b.product_id"
            "  AND p.warehouse_id = b.warehouse_id"
            " LEFT JOIN product_product pp ON pp.id = b.product_id"
            " LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id",
            virtual=Product._erp_virtual_stock_total_sql("c"),
            paths=self._get_demand_path_query(warehouses, today),
            demand_d=self._sql_demand_until(SQL("s.d")),
            demand_next=self._sql_demand_until(SQL("s.next_d")),
            cover=self._sql_demand_reaches(SQL("b.virtual")),
            runout=self._sql_demand_reaches(SQL("p.reach")),
            horizons=SQL(", ").join(
                self._sql_demand_until(SQL("%s", days)) for days in FORECAST_HORIZONS
            ),
            demand=self._get_demand_query(
                warehouses, now - timedelta(days=window), now
            ),
            components=components,
            incoming=Product._erp_supply_incoming_query(warehouses),
            weighted_days=SQL("%s::float8", float(weighted_days)),
            whs=list(warehouses.ids),
            today=today,
            tz=self._get_user_tz_name(),
            max_days=(today.replace(year=MAXYEAR, month=12, day=31) - today).days,
        )

    @api.model
    def _get_demand_path_query(self, warehouses, today):
        """SQL giving the daily forecast of the pairs that have one:
        (product_id, warehouse_id, cum, tail, off, c0), ``cum`` its cumulative
        demand (float8[], see ``lib/forecast_path``), ``tail`` the daily rate
        past its horizon, ``off`` the days since it was made and ``c0`` its
        demand over those days. None here: the flat demand rate."""
        return SQL(
            "SELECT NULL::int, NULL::int, NULL::float8[], NULL::float8,"
            " NULL::int, NULL::float8 WHERE FALSE"
        )

    @api.model
    def _sql_demand_until(self, days):
        """SQL of the forecast demand of the pair ``b`` over the next
        ``days`` (integer) days: rate x days, or read on its daily forecast."""
        return SQL(
            "(CASE WHEN b.cum IS NULL THEN b.rate * (%(d)s)"
            " WHEN (%(d)s) + b.off < array_length(b.cum, 1)"
            " THEN b.cum[(%(d)s) + b.off + 1]"
            " ELSE b.cum[array_length(b.cum, 1)]"
            "  + b.tail * ((%(d)s) + b.off + 1 - array_length(b.cum, 1)) END"
            " - COALESCE(b.c0, 0))",
            d=days,
        )

    @api.model
    def _sql_demand_reaches(self, qty):
        """SQL of the days (fractional) after which the forecast demand of
        the pair ``b`` reaches ``qty`` (> 0): qty / rate, or the day found on
        its cumulative daily forecast (binary search, ``width_bucket``),
        demand spread evenly over a day; NULL when it never does."""
        x = SQL("((%s) + b.c0)", qty)
        bucket = SQL("width_bucket(%s, b.cum)", x)
        return SQL(
            "(CASE WHEN b.cum IS NULL THEN (%(qty)s) / b.rate"
            " WHEN %(i)s < array_length(b.cum, 1) THEN %(i)s - 1 - b.off"
            "  + (%(x)s - b.cum[%(i)s]) / (b.cum[%(i)s + 1] - b.cum[%(i)s])"
            " WHEN b.tail > 0 THEN array_length(b.cum, 1) - 1 - b.off"
            "  + (%(x)s - b.cum[array_length(b.cum, 1)]) / b.tail END)",
            qty=qty,
            x=x,
            i=bucket,
        )

    @api.model
    def _get_user_tz_name(self):
        """The timezone ``fields.Date.context_today`` reads the day in."""
        tz = self.env.context.get("tz") or self.env.user.tz
        return tz if tz in pytz.all_timezones_set else "UTC"

    @api.model
    def _get_refresh_query(self, warehouses, today, now):
        """SQL of the forecast a refresh writes: ``_get_forecast_query`` of
        ``warehouses``, or no row when the company has none."""
        if warehouses:
            return self._get_forecast_query(warehouses, today, now)
        return SQL(
            "SELECT NULL::int, NULL::int, NULL::int, 0::float8, 0::float8,"
            " 0::float8, NULL::float8, NULL::date, 0::float8, 0::float8,"
            " 0::float8 WHERE FALSE"
        )
