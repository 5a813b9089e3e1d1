# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

# columns holding the forecast of one refresh, one element per product and
# warehouse (parallel arrays; not ORM fields: written and read in SQL only)
HISTORY_ARRAYS = (
    ("product_ids", "int4[]"),
    ("warehouse_ids", "int4[]"),
    ("categ_ids", "int4[]"),
    ("rates", "float8[]"),
)


class ErpDemandForecastHistory(models.Model):
    """The forecasts that past refreshes made, kept to measure the forecast
    accuracy: one row per company and day, the daily demand rate of every
    product and warehouse in parallel arrays.

    The current forecast (``erp.demand.forecast``) is updated in place by
    every refresh; storing its history as one compact row per refresh
    instead of one row per product and warehouse keeps the refresh cheap
    (no index entries or foreign key checks per product)."""

    _name = "erp.demand.forecast.history"
    _description = "Demand Forecast History"
    _order = "date desc, id desc"
    _rec_name = "date"
    _check_company_auto = True
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(
        "Snapshot Date",
        required=True,
        readonly=True,
        help="Day of the refresh that made this forecast.",
    )
    pair_count = fields.Integer(
        "Products × Warehouses",
        readonly=True,
        help="Number of product and warehouse pairs of the forecast.",
    )

    _sql_constraints = [
        (
            "company_date_uniq",
            "UNIQUE(company_id, date)",
            "The forecast of a day is stored once per company.",
        ),
    ]

    def init(self):
        for column, sql_type in HISTORY_ARRAYS:
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s",
                    SQL.identifier(self._table),
                    SQL.identifier(column),
                    SQL(sql_type),
                )
            )

    @api.model
    def _store_query(self, company, date, forecast):
        """SQL storing the forecast ``forecast`` (a query or CTE name giving
        product_id, warehouse_id, categ_id, rate) as the history of
        ``company`` on ``date`` (replacing the one of the same day)."""
        return SQL(
            "INSERT INTO erp_demand_forecast_history (company_id, date,"
            " pair_count, product_ids, warehouse_ids, categ_ids, rates)"
            " SELECT %(company)s, %(date)s, COUNT(*),"
            " COALESCE(array_agg(h.product_id), '{}'),"
            " COALESCE(array_agg(h.warehouse_id), '{}'),"
            " COALESCE(array_agg(h.categ_id), '{}'),"
            " COALESCE(array_agg(h.rate), '{}')"
            " FROM (%(forecast)s) AS h(product_id, warehouse_id, categ_id, rate)"
            " ON CONFLICT (company_id, date) DO UPDATE SET"
            " pair_count = EXCLUDED.pair_count,"
            " product_ids = EXCLUDED.product_ids,"
            " warehouse_ids = EXCLUDED.warehouse_ids,"
            " categ_ids = EXCLUDED.categ_ids, rates = EXCLUDED.rates",
            company=company.id,
            date=date,
            forecast=forecast,
        )

    @api.model
    def _store(self, company, date, rows):
        """Store ``rows`` [(product_id, warehouse_id, categ_id, rate)] as the
        forecast of ``company`` made on ``date`` (demo data, tests)."""
        rows = list(rows)
        self.flush_model()
        self.env.execute_query(
            self._store_query(
                company,
                date,
                SQL(
                    "SELECT * FROM unnest(%s::int4[], %s::int4[], %s::int4[],"
                    " %s::float8[])",
                    [row[0] for row in rows],
                    [row[1] for row in rows],
                    [row[2] or None for row in rows],
                    [float(row[3]) for row in rows],
                ),
            )
        )
        self.invalidate_model()

    @api.model
    def _unnest_query(self, company, dates):
        """SQL giving (date, product_id, warehouse_id, categ_id, rate) of the
        forecasts of ``company`` made on ``dates``."""
        return SQL(
            "SELECT h.date, f.product_id, f.warehouse_id, f.categ_id, f.rate"
            " FROM erp_demand_forecast_history h"
            " CROSS JOIN LATERAL unnest(h.product_ids, h.warehouse_ids,"
            "  h.categ_ids, h.rates) AS f(product_id, warehouse_id, categ_id, rate)"
            " WHERE h.company_id = %(company)s AND h.date = ANY(%(dates)s::date[])",
            company=company.id,
            dates=list(dates),
        )
