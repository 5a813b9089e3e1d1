# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""1.2: move the history rows unnested by pre-migrate into the new table
(pairs whose product or warehouse is gone are left out: the foreign keys
would refuse them)."""

from odoo.tools import SQL

HOLDING_TABLE = "erp_demand_forecast_history_v11"


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("SELECT to_regclass(%s)", HOLDING_TABLE))
    if not cr.fetchone()[0]:
        return
    cr.execute(
        SQL(
            "INSERT INTO erp_demand_forecast_history"
            " (company_id, date, product_id, warehouse_id, categ_id, rate)"
            " SELECT h.company_id, h.date, h.product_id, h.warehouse_id,"
            " c.id, h.rate FROM %s h"
            " JOIN product_product p ON p.id = h.product_id"
            " JOIN stock_warehouse w ON w.id = h.warehouse_id"
            " LEFT JOIN product_category c ON c.id = h.categ_id"
            " ON CONFLICT DO NOTHING",
            SQL.identifier(HOLDING_TABLE),
        )
    )
    cr.execute(SQL("DROP TABLE %s", SQL.identifier(HOLDING_TABLE)))
