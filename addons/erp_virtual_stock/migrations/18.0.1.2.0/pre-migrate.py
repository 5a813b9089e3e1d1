# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""1.2: the forecast history is an ORM model with foreign keys, one row per
product, warehouse and day (1.1 kept one row per company and day with the
figures in parallel arrays); the forecast drops its storage tuning.

The rows of 1.1 are unnested into a holding table here, the old table is
dropped so that the update creates the new one, and post-migrate moves
the rows in. The figures of the forecast go back to ``numeric`` through
the update itself (the ORM converts a double precision column)."""

from odoo.tools import SQL

HOLDING_TABLE = "erp_demand_forecast_history_v11"


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("ALTER TABLE IF EXISTS erp_demand_forecast RESET (fillfactor)"))
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s"
            " AND column_name = %s",
            "erp_demand_forecast_history",
            "product_ids",
        )
    )
    if not cr.fetchone():
        return
    cr.execute(
        SQL(
            "CREATE TABLE %s AS SELECT h.company_id, h.date, f.product_id,"
            " f.warehouse_id, f.categ_id, f.rate"
            " FROM erp_demand_forecast_history h"
            " CROSS JOIN LATERAL unnest(h.product_ids, h.warehouse_ids,"
            "  h.categ_ids, h.rates) AS f(product_id, warehouse_id, categ_id, rate)",
            SQL.identifier(HOLDING_TABLE),
        )
    )
    cr.execute(SQL("DROP TABLE erp_demand_forecast_history"))
