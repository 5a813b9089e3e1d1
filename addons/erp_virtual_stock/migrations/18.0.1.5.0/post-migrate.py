# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""1.5: the snapshot date of the forecast rows is kept once on their company
(``res.company.erp_forecast_date``) and their daily forecast is read on the
method selection: both columns leave the rows, which a daily refresh then
rewrites only where a figure changed (and narrower)."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'erp_demand_forecast' AND column_name = 'date'"
        )
    )
    if cr.fetchone():
        cr.execute(
            SQL(
                "UPDATE res_company c SET erp_forecast_date = f.date"
                " FROM (SELECT company_id, MAX(date) AS date"
                "  FROM erp_demand_forecast GROUP BY company_id) f"
                " WHERE f.company_id = c.id"
            )
        )
        cr.execute(SQL("ALTER TABLE erp_demand_forecast DROP COLUMN date"))
    cr.execute(SQL("ALTER TABLE erp_demand_forecast DROP COLUMN IF EXISTS demand_cum"))
