# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_repr

from .erp_dashboard import NOT_APPLICABLE


class ErpDemandForecast(models.Model):
    """How the forecast snapshot reads on screen: when it was taken, and "—"
    where a figure does not apply."""

    _inherit = "erp.demand.forecast"  # pylint: disable=consider-merging-classes-inherited

    snapshot_at = fields.Datetime(
        related="company_id.erp_forecast_refreshed_at",
        string="Snapshot At",
        help="When this forecast was computed: its virtual stock and cover are "
        "those of that time, not live figures.",
    )
    days_of_cover_display = fields.Char(
        string="Days of Cover (Text)",
        compute="_compute_days_of_cover_display",
        help="Virtual stock divided by the daily demand; — for a product "
        "without demand (its cover cannot be computed).",
    )

    @api.depends("days_of_cover", "demand_rate")
    def _compute_days_of_cover_display(self):
        for forecast in self:
            forecast.days_of_cover_display = (
                float_repr(forecast.days_of_cover, 1)
                if forecast.demand_rate > 0
                else NOT_APPLICABLE
            )
