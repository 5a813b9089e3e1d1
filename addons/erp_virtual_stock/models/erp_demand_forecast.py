# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math
from datetime import MAXYEAR, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

FORECAST_HORIZONS = (7, 30, 90)
PARAM_PREFIX = "erp_virtual_stock.forecast_"
DEFAULT_PARAMS = {
    "window_days": 90,
    "recent_days": 28,
    "recent_weight": 1.0,
    "soon_days": 14,
    "retention_days": 35,
    "accuracy_horizon": 7,
}


class ErpDemandForecast(models.Model):
    """The current demand forecast, one row per product and warehouse.

    Every refresh updates the rows in place (new pairs are inserted, pairs
    left without stock or demand deleted) and stores the forecast it made as
    the forecast it made in ``erp.demand.forecast.history`` (one row per
    product, warehouse and day): the forecasts that the forecast accuracy
    later compares with the actual demand.
    """

    _name = "erp.demand.forecast"
    _description = "Demand Forecast Snapshot"
    _order = "date desc, stockout_date, product_id, warehouse_id, id"
    _rec_name = "product_id"
    _check_company_auto = True
    # a bulk snapshot with its own date: no per-row audit columns (and no
    # foreign keys to res_users to check on every inserted row)
    _log_access = False

    # indexed by the unique (product_id, warehouse_id) constraint
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", string="Product Template"
    )
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", index=True, readonly=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    date = fields.Date(
        "Snapshot Date",
        required=True,
        readonly=True,
        help="Day of the refresh that computed this forecast.",
    )
    window_days = fields.Integer(
        "Window (days)",
        readonly=True,
        help="Number of days of delivery history the demand rate is computed from.",
    )
    demand_qty = fields.Float(
        "Net Demand",
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantity delivered to customers over the window, net of returns.",
    )
    demand_rate = fields.Float(
        "Daily Demand",
        digits="Product Unit of Measure",
        readonly=True,
        aggregator="sum",
        help="Average daily demand over the window (recent weeks weighted as "
        "configured), net of customer returns.",
    )
    virtual_stock_qty = fields.Float(
        "Virtual Stock",
        digits="Product Unit of Measure",
        readonly=True,
        help="Virtual stock of the product in the warehouse at the refresh.",
    )
    days_of_cover = fields.Float(
        "Days of Cover",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Virtual stock divided by the daily demand; empty without demand.",
    )
    stockout_date = fields.Date(
        "Projected Stock-out",
        readonly=True,
        aggregator="min",
        help="Day the virtual stock is projected to reach zero, taking the "
        "incoming receptions and manual entries by date into account.",
    )
    forecast_qty_7 = fields.Float(
        "Forecast 7 Days",
        digits="Product Unit of Measure",
        readonly=True,
        help="Expected demand over the next 7 days.",
    )
    forecast_qty_30 = fields.Float(
        "Forecast 30 Days",
        digits="Product Unit of Measure",
        readonly=True,
        help="Expected demand over the next 30 days.",
    )
    forecast_qty_90 = fields.Float(
        "Forecast 90 Days",
        digits="Product Unit of Measure",
        readonly=True,
        help="Expected demand over the next 90 days.",
    )
    runs_out_soon = fields.Boolean(
        compute="_compute_runs_out_soon",
        search="_search_runs_out_soon",
        help="The projected stock-out falls within the configured number of days.",
    )

    _sql_constraints = [
        (
            "product_warehouse_uniq",
            "UNIQUE(product_id, warehouse_id)",
            "The forecast of a product in a warehouse is stored once.",
        ),
    ]

    @api.depends("stockout_date")
    def _compute_runs_out_soon(self):
        limit = self._runs_out_soon_limit()
        for forecast in self:
            forecast.runs_out_soon = bool(
                forecast.stockout_date and forecast.stockout_date <= limit
            )

    def _search_runs_out_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'runs out soon'."))
        domain = [
            ("stockout_date", "!=", False),
            ("stockout_date", "<=", self._runs_out_soon_limit()),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.model
    def _runs_out_soon_limit(self):
        return fields.Date.context_today(self) + timedelta(
            days=self._get_param("soon_days")
        )

    # ------------------------------------------------------------------
    # Parameters
    # ------------------------------------------------------------------
    @api.model
    def _get_param(self, key):
        default = DEFAULT_PARAMS[key]
        raw = (
            self.env["ir.config_parameter"]
            .sudo()  # technical settings, readable by every forecast user
            .get_param(PARAM_PREFIX + key)
        )
        try:
            return type(default)(raw) if raw else default
        except ValueError:
            _logger.info("Ignoring invalid parameter %s=%r", PARAM_PREFIX + key, raw)
            return default

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
        days_of_cover, stockout_date), all set-based.

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
            "  COALESCE(%(virtual)s, 0) AS virtual"
            "  FROM demand r FULL JOIN comp c"
            "  ON c.product_id = r.product_id AND c.warehouse_id = r.warehouse_id),"
            # time-phased supply of the storable products with demand (the
            # incoming moves of storable products; manual entries exist for
            # storable products only)
            " ev AS ("
            "  SELECT i.product_id, i.warehouse_id, i.date::date AS day,"
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
            " state AS ("
            "  SELECT s.product_id, s.warehouse_id, s.k, s.d, s.next_d, s.rate,"
            "  (s.available - s.rate * s.d) + s.cum AS level FROM sup s"
            "  UNION ALL"
            "  SELECT s.product_id, s.warehouse_id, 0, 0, s.d, s.rate, s.available"
            "  FROM sup s WHERE s.k = 1),"
            " proj AS ("
            "  SELECT DISTINCT ON (s.product_id, s.warehouse_id)"
            "  s.product_id, s.warehouse_id, s.d, s.level FROM state s"
            "  ORDER BY s.product_id, s.warehouse_id,"
            "  (s.next_d IS NULL OR s.level <= 0"
            "   OR s.level - s.rate * (s.next_d - s.d) <= 0) DESC, s.k)"
            " SELECT b.product_id, pt.categ_id, b.warehouse_id, b.demand_qty,"
            " b.rate, b.virtual,"
            " CASE WHEN b.rate > 0 THEN b.virtual / b.rate END,"
            " CASE WHEN b.rate > 0 THEN %(today)s + LEAST(floor(COALESCE("
            "  p.d + GREATEST(p.level, 0) / b.rate,"
            "  GREATEST(b.virtual, 0) / b.rate)), %(max_days)s)::int END"
            " FROM base b"
            " LEFT JOIN proj p ON p.product_id = b.product_id"
            "  AND p.warehouse_id = b.warehouse_id"
            " LEFT JOIN product_product pp ON pp.id = b.product_id"
            " LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id",
            virtual=Product._erp_virtual_stock_total_sql("c"),
            demand=self._get_demand_query(
                warehouses, now - timedelta(days=window), now
            ),
            components=components,
            incoming=Product._erp_supply_incoming_query(warehouses),
            weighted_days=SQL("%s::float8", float(weighted_days)),
            whs=list(warehouses.ids),
            today=today,
            max_days=(today.replace(year=MAXYEAR, month=12, day=31) - today).days,
        )

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------
    @api.model
    def _refresh_company(self, company, today=None, now=None):
        """Refresh the forecast of ``company`` set-based: the forecast is
        computed and written over the current rows in one statement (inserted
        for new pairs, deleted for pairs gone), then copied as the day's
        history (no row goes through Python)."""
        today = today or fields.Date.context_today(self)
        now = now or fields.Datetime.now()
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)]
        )
        self.flush_model()
        History = self.env["erp.demand.forecast.history"]
        History.flush_model()
        if warehouses:
            forecast = self._get_forecast_query(warehouses, today, now)
        else:
            forecast = SQL(
                "SELECT NULL::int, NULL::int, NULL::int, 0::float8, 0::float8,"
                " 0::float8, NULL::float8, NULL::date WHERE FALSE"
            )
        values = SQL(
            "f.demand_qty, f.rate, f.virtual, f.cover, f.stockout,"
            " f.rate * 7, f.rate * 30, f.rate * 90"
        )
        changed = SQL(
            "demand_qty = f.demand_qty, demand_rate = f.rate,"
            " virtual_stock_qty = f.virtual, days_of_cover = f.cover,"
            " stockout_date = f.stockout, forecast_qty_7 = f.rate * 7,"
            " forecast_qty_30 = f.rate * 30, forecast_qty_90 = f.rate * 90,"
            " product_categ_id = f.categ_id, date = %s, window_days = %s",
            today,
            self._get_param("window_days"),
        )
        self.env.cr.execute(
            SQL(
                # the forecast and the row of the previous refresh of each pair
                # (one hash join: the updates, inserts and deletes go by id)
                "WITH f AS MATERIALIZED (SELECT n.*, cur.id AS cur_id"
                "  FROM (%(forecast)s) AS n(product_id, categ_id, warehouse_id,"
                "  demand_qty, rate, virtual, cover, stockout)"
                "  LEFT JOIN erp_demand_forecast cur"
                "  ON cur.product_id = n.product_id"
                "  AND cur.warehouse_id = n.warehouse_id),"
                # the rows of the previous refresh, updated in place (a second
                # refresh of the day leaves the unchanged ones alone)
                " upd AS ("
                "  UPDATE erp_demand_forecast cur SET %(changed)s FROM f"
                "  WHERE cur.id = f.cur_id"
                "  AND (cur.demand_qty, cur.demand_rate, cur.virtual_stock_qty,"
                "  cur.days_of_cover, cur.stockout_date, cur.product_categ_id,"
                "  cur.date, cur.window_days) IS DISTINCT FROM"
                "  (f.demand_qty, f.rate, f.virtual, f.cover, f.stockout,"
                "  f.categ_id, %(today)s::date, %(window)s)"
                "  RETURNING 1),"
                # the new pairs
                " ins AS ("
                "  INSERT INTO erp_demand_forecast (product_id,"
                "  warehouse_id, company_id, demand_qty, demand_rate,"
                "  virtual_stock_qty, days_of_cover, stockout_date,"
                "  forecast_qty_7, forecast_qty_30, forecast_qty_90,"
                "  product_categ_id, date, window_days)"
                "  SELECT f.product_id, f.warehouse_id, %(company)s, %(values)s,"
                "  f.categ_id, %(today)s, %(window)s FROM f WHERE f.cur_id IS NULL"
                "  ON CONFLICT (product_id, warehouse_id) DO NOTHING RETURNING 1),"
                " gone AS ("
                "  DELETE FROM erp_demand_forecast d"
                "  WHERE d.company_id = %(company)s AND NOT EXISTS"
                "  (SELECT 1 FROM f WHERE f.cur_id = d.id) RETURNING 1)"
                " SELECT (SELECT COUNT(*) FROM f), (SELECT COUNT(*) FROM upd),"
                " (SELECT COUNT(*) FROM ins),"
                " (SELECT COUNT(*) FROM gone)",
                forecast=forecast,
                company=company.id,
                values=values,
                today=today,
                window=self._get_param("window_days"),
                changed=changed,
            )
        )
        count = self.env.cr.fetchone()[0]
        History._record_forecast(
            company,
            today,
            today - timedelta(days=self._get_param("retention_days")),
        )
        self.invalidate_model()
        History.invalidate_model()
        self.env["erp.demand.forecast.accuracy"]._evaluate_company(company, today)
        return count

    @api.model
    def action_refresh(self):
        """Refresh the forecasts of the allowed companies now (button).
        Managers only: the refresh rewrites every snapshot of the companies
        and, through _after_refresh, the dynamic thresholds (as superuser)."""
        if not self.env.su and not self.env.user.has_group(
            "erp_virtual_stock.erp_virtual_stock_group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only virtual stock administrators may refresh the forecast."
                )
            )
        for company in self.env.companies:
            self.with_company(company)._refresh_company(company)
        self._after_refresh()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Demand forecast refreshed."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_graph(self):
        return self.env.ref(
            "erp_virtual_stock.erp_demand_forecast_graph_report"
        ).report_action(self)

    @api.model
    def _after_refresh(self):
        """Hook called once the snapshots are refreshed: dynamic thresholds
        follow the new demand."""
        # thresholds follow the demand whoever refreshed (users only read them)
        self.env["erp.stock.threshold"].sudo()._cron_apply_demand_quantities()

    @api.model
    def _demo_create_history(self, product_ids, warehouse_id):
        """Demo data: 120 days of deliveries (and a few returns) of the
        products from the warehouse, the forecasts of two past days, then a
        refresh."""
        products = self.env["product.product"].browse(product_ids)
        warehouse = self.env["stock.warehouse"].browse(warehouse_id)
        stock = warehouse.lot_stock_id
        customer = self.env.ref("stock.stock_location_customers")
        now = fields.Datetime.now()
        dated_moves = []
        vals_list = []
        for rank, product in enumerate(products):
            rate = 3.0 / (rank + 1)
            self.env["stock.quant"]._update_available_quantity(
                product, stock, rate * 150
            )
            for day in range(3, 120, 3):
                qty = max(round(rate * 3 * (1 + 0.4 * math.sin(day / 9.0))), 1)
                returned = day % 30 == 0
                vals_list.append(
                    {
                        "name": self.env._("Demo forecast history"),
                        "product_id": product.id,
                        "product_uom_qty": 1 if returned else qty,
                        "product_uom": product.uom_id.id,
                        "location_id": (customer if returned else stock).id,
                        "location_dest_id": (stock if returned else customer).id,
                    }
                )
                dated_moves.append(now - timedelta(days=day))
        moves = self.env["stock.move"].create(vals_list)
        moves._action_confirm()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        for move, date in zip(moves, dated_moves, strict=True):
            move.date = date
        today = fields.Date.context_today(self)
        company = warehouse.company_id
        rates = self._get_demand_rates(warehouse, now=now - timedelta(days=14))
        History = self.env["erp.demand.forecast.history"]
        for days_ago, factor in ((14, 1.1), (10, 0.9)):
            History._store(
                company,
                today - timedelta(days=days_ago),
                [
                    (
                        product.id,
                        warehouse.id,
                        product.categ_id.id,
                        rates.get((product.id, warehouse.id), (0.0, 0.0))[1] * factor,
                    )
                    for product in products
                ],
            )
        self._refresh_company(company)

    @api.model
    def _cron_refresh(self):
        companies = self.env["res.company"].search([])
        for done, company in enumerate(companies):
            self.with_company(company)._refresh_company(company)
            self.env["ir.cron"]._notify_progress(
                done=done + 1, remaining=len(companies) - done - 1
            )
        self._after_refresh()
