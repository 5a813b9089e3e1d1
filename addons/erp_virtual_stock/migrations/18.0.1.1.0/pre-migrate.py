# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""1.1: the demand forecast keeps one row per product and warehouse, updated
in place; the forecasts of past refreshes move to the compact history
(erp.demand.forecast.history, one row per company and day)."""

from odoo.tools import SQL

# indexes of 1.0 on the columns every refresh now changes in place (they
# would make each update a non-HOT one) or redundant with the unique
# (product_id, warehouse_id) index
OBSOLETE_INDEXES = (
    "erp_demand_forecast__date_index",
    "erp_demand_forecast__stockout_date_index",
    "erp_demand_forecast__is_current_index",
    "erp_demand_forecast__product_id_index",
)


def migrate(cr, version):
    if not version:
        return
    for index in OBSOLETE_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s"
            " AND column_name = %s",
            "erp_demand_forecast",
            "is_current",
        )
    )
    if not cr.fetchone():
        return
    # the model's table, created here so that the old rows can move into it
    # before the unique (product, warehouse) constraint is added; the update
    # then completes it (foreign keys, constraints)
    cr.execute(
        SQL(
            "CREATE TABLE IF NOT EXISTS erp_demand_forecast_history ("
            " id SERIAL PRIMARY KEY, company_id int4 NOT NULL,"
            " date date NOT NULL, pair_count int4, product_ids int4[],"
            " warehouse_ids int4[], categ_ids int4[], rates float8[])"
        )
    )
    cr.execute(
        SQL(
            "INSERT INTO erp_demand_forecast_history (company_id, date,"
            " pair_count, product_ids, warehouse_ids, categ_ids, rates)"
            " SELECT company_id, date, COUNT(*), array_agg(product_id),"
            " array_agg(warehouse_id), array_agg(product_categ_id),"
            " array_agg(COALESCE(demand_rate, 0)::float8)"
            " FROM erp_demand_forecast GROUP BY company_id, date"
        )
    )
    cr.execute(SQL("DELETE FROM erp_demand_forecast WHERE is_current IS NOT TRUE"))
