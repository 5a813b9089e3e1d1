# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
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


def _pg_array(values):
    """One PostgreSQL array literal (``{1,2,NULL}``) for a bound parameter:
    much cheaper to parse than an ARRAY[...] of thousands of expressions."""
    items = ",".join("NULL" if value is None else str(value) for value in values)
    return "{" + items + "}"


class ErpDemandForecast(models.Model):
    """Snapshot of the demand forecast per product and warehouse.

    Every refresh inserts one row per (product, warehouse) flagged
    ``is_current`` and keeps the previous rows for a while: they are the
    forecasts that the forecast accuracy compares with the actual demand.
    """

    _name = "erp.demand.forecast"
    _description = "Demand Forecast Snapshot"
    _order = "date desc, stockout_date, product_id, warehouse_id, id"
    _rec_name = "product_id"
    _check_company_auto = True
    # a bulk snapshot with its own date: no per-row audit columns (and no
    # foreign keys to res_users to check on every inserted row)
    _log_access = False

    product_id = fields.Many2one(
        "product.product", required=True, index=True, readonly=True
    )
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
        index=True,
        readonly=True,
        help="Day of the refresh that computed this forecast.",
    )
    is_current = fields.Boolean(
        "Current",
        index=True,
        readonly=True,
        help="Set on the rows of the latest refresh; older rows are kept to "
        "measure the forecast accuracy.",
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
        index=True,
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
        and warehouse, between ``date_from`` (incl.) and ``date_to`` (excl.)."""
        recent_from = date_to - timedelta(days=self._get_param("recent_days"))
        weight = self._get_param("recent_weight") if weighted else 1.0
        # the locations are resolved first: the moves are then filtered and
        # grouped on their own columns (no join per move on stock_location)
        Location = self.env["stock.location"].with_context(active_test=False)
        internal = Location.search_fetch(
            [("usage", "=", "internal"), ("warehouse_id", "in", warehouses.ids)],
            ["warehouse_id"],
        )
        customers = Location.search([("usage", "=", "customer")]).ids or [0]
        return SQL(
            "SELECT sm.product_id, l.warehouse_id,"
            " SUM(CASE WHEN sm.location_id = ANY(%(customers)s)"
            "  THEN -sm.product_qty ELSE sm.product_qty END) AS net_qty,"
            " SUM(CASE WHEN sm.location_id = ANY(%(customers)s)"
            "  THEN -sm.product_qty ELSE sm.product_qty END"
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
    # Projection
    # ------------------------------------------------------------------
    @api.model
    def _project_stockout(self, available, rate, events, today):
        """Day the stock reaches zero: ``available`` today, consumed at
        ``rate`` per day, plus the (date, qty) ``events`` (incoming supply,
        manual entries starting or ending). None without demand."""
        if rate <= 0:
            return None
        level, offset = available, 0.0
        for date, qty in sorted(events):
            if level <= 0:
                break
            day = max((date - today).days, 0)
            if level - rate * (day - offset) <= 0:
                break
            level -= rate * (day - offset)
            offset = day
            level += qty
        days = offset + max(level, 0.0) / rate
        return today + timedelta(days=int(math.floor(days)))

    @api.model
    def _compute_forecast_rows(self, warehouses, today=None, now=None):
        """The forecast rows of ``warehouses`` as a list of dicts (product_id,
        warehouse_id, demand_qty, demand_rate, virtual_stock_qty,
        days_of_cover, stockout_date)."""
        today = today or fields.Date.context_today(self)
        Product = self.env["product.product"]
        rates = self._get_demand_rates(warehouses, now=now)
        components = Product._erp_virtual_stock_components(warehouses)
        pairs = set(rates) | set(components)
        demanded = Product.browse(sorted({p for p, _w in rates})).exists()
        timeline = Product._erp_supply_timeline(warehouses, demanded)
        rows = []
        for product_id, warehouse_id in pairs:
            comp = components.get((product_id, warehouse_id))
            virtual = (
                comp["on_hand"] - comp["committed"] + comp["incoming"] + comp["manual"]
                if comp
                else 0.0
            )
            net, rate = rates.get((product_id, warehouse_id), (0.0, 0.0))
            supply = timeline.get((product_id, warehouse_id)) if rate > 0 else None
            available = virtual - (supply["future_incoming"] if supply else 0.0)
            rows.append(
                {
                    "product_id": product_id,
                    "warehouse_id": warehouse_id,
                    "demand_qty": net,
                    "demand_rate": rate,
                    "virtual_stock_qty": virtual,
                    "days_of_cover": virtual / rate if rate > 0 else None,
                    "stockout_date": self._project_stockout(
                        available, rate, supply["events"] if supply else [], today
                    ),
                }
            )
        return rows

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------
    @api.model
    def _refresh_company(self, company, today=None, now=None):
        """Replace the current snapshot of ``company`` (set-based insert)."""
        today = today or fields.Date.context_today(self)
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)]
        )
        rows = self._compute_forecast_rows(warehouses, today=today, now=now)
        self.flush_model()
        self.env.execute_query(
            SQL(
                "DELETE FROM erp_demand_forecast WHERE company_id = %(company)s"
                " AND date = %(today)s",
                company=company.id,
                today=today,
            )
        )
        self.env.execute_query(
            SQL(
                "UPDATE erp_demand_forecast SET is_current = FALSE"
                " WHERE company_id = %s AND is_current",
                company.id,
            )
        )
        if rows:
            self.env.execute_query(
                SQL(
                    "INSERT INTO erp_demand_forecast (product_id, product_categ_id,"
                    " warehouse_id, company_id, date, is_current, window_days,"
                    " demand_qty, demand_rate, virtual_stock_qty, days_of_cover,"
                    " stockout_date, forecast_qty_7, forecast_qty_30,"
                    " forecast_qty_90)"
                    " SELECT t.product_id,"
                    " (SELECT pt.categ_id FROM product_product pp"
                    "  JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                    "  WHERE pp.id = t.product_id),"
                    " t.warehouse_id, %(company)s, %(today)s, TRUE,"
                    " %(window)s, t.demand_qty, t.rate, t.virtual, t.cover,"
                    " t.stockout, t.rate * 7, t.rate * 30, t.rate * 90"
                    " FROM unnest(%(products)s::int[], %(whs)s::int[],"
                    "  %(demand)s::float8[], %(rates)s::float8[],"
                    "  %(virtual)s::float8[], %(cover)s::float8[],"
                    "  %(stockout)s::date[])"
                    "  AS t(product_id, warehouse_id, demand_qty, rate, virtual,"
                    "  cover, stockout)",
                    company=company.id,
                    today=today,
                    window=self._get_param("window_days"),
                    products=_pg_array(r["product_id"] for r in rows),
                    whs=_pg_array(r["warehouse_id"] for r in rows),
                    demand=_pg_array(r["demand_qty"] for r in rows),
                    rates=_pg_array(r["demand_rate"] for r in rows),
                    virtual=_pg_array(r["virtual_stock_qty"] for r in rows),
                    cover=_pg_array(r["days_of_cover"] for r in rows),
                    stockout=_pg_array(r["stockout_date"] for r in rows),
                )
            )
        self.env.execute_query(
            SQL(
                "DELETE FROM erp_demand_forecast WHERE company_id = %(company)s"
                " AND NOT is_current AND date < %(limit)s",
                company=company.id,
                limit=today - timedelta(days=self._get_param("retention_days")),
            )
        )
        self.invalidate_model()
        self.env["erp.demand.forecast.accuracy"]._evaluate_company(company, today)
        return len(rows)

    @api.model
    def action_refresh(self):
        """Refresh the forecasts of the allowed companies now (button)."""
        self.check_access("read")
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
        products from the warehouse, two past snapshots, then a refresh."""
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
        self.create(
            [
                {
                    "product_id": product.id,
                    "product_categ_id": product.categ_id.id,
                    "warehouse_id": warehouse.id,
                    "company_id": company.id,
                    "date": today - timedelta(days=days_ago),
                    "demand_rate": rate * factor,
                    "forecast_qty_7": rate * factor * 7,
                    "forecast_qty_30": rate * factor * 30,
                    "forecast_qty_90": rate * factor * 90,
                }
                for days_ago, factor in ((14, 1.1), (10, 0.9))
                for product in products
                for rate in [rates.get((product.id, warehouse.id), (0.0, 0.0))[1]]
            ]
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
