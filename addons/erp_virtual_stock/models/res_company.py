# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    erp_forecast_refreshed_at = fields.Datetime(
        string="Forecast Refreshed At",
        readonly=True,
        copy=False,
        help="When the demand forecast of the company was last computed: the "
        "forecast list and the figures drawn from it are a snapshot of that time.",
    )
    erp_forecast_date = fields.Date(
        string="Forecast Snapshot Date",
        readonly=True,
        copy=False,
        help="Day of the last refresh of the demand forecast of the company (in "
        "the timezone of whoever refreshed it): the snapshot date of its "
        "forecast rows.",
    )
    erp_slow_mover_days = fields.Integer(
        string="Slow Mover Cover Limit",
        default=180,
        help="A product whose stock in a warehouse lasts longer than this number "
        "of days at its forecast demand (or that has stock and no demand) is "
        "listed in the Slow Movers report. 0: no report.",
    )
    erp_forecast_promise = fields.Boolean(
        "Forecast in Promise Dates",
        help="Promise dates of quotations keep back the stock that the "
        "demand forecast expects other customers to take before the next "
        "planned receipt.",
    )

    _sql_constraints = [
        (
            "erp_slow_mover_days_positive",
            "CHECK(erp_slow_mover_days >= 0)",
            "The slow mover cover limit cannot be negative.",
        ),
    ]
