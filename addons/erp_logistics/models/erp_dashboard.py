# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

ON_TIME_DAYS = 30


class ErpDashboard(models.AbstractModel):
    _inherit = "erp.dashboard"

    @api.model
    def _erp_dashboard_figures(self):
        figures = super()._erp_dashboard_figures()
        if self.env["erp.shipment"].has_access("read"):
            figures.append(self._figure_shipment_exceptions())
        if self.env["erp.delivery.performance.report"].has_access("read"):
            figures.append(self._figure_on_time_rate())
        return figures

    @api.model
    def _figure_shipment_exceptions(self):
        domain = [("state", "=", "exception"), *self._erp_company_domain()]
        label = self.env._("Shipments in Exception")
        return self._erp_figure(
            "shipment_exceptions",
            40,
            label,
            self.env["erp.shipment"].search_count(domain),
            self._erp_action("erp_logistics.erp_shipment_action", label, domain),
            help=self.env._("Shipments whose carrier reported a problem."),
        )

    @api.model
    def _on_time_domain(self):
        """Shipments of the last 30 days (by shipping date) of the selected
        companies, as the delivery performance report lists them."""
        since = fields.Datetime.now() - timedelta(days=ON_TIME_DAYS)
        return [("date_shipped", ">=", since), *self._erp_company_domain()]

    @api.model
    def _figure_on_time_rate(self):
        domain = self._on_time_domain()
        label = self.env._("On-Time Rate (30 Days)")
        # the report's rule: a shipment counts when it has a rate (late and
        # exception shipments count against it, those not yet due are left
        # out with no rate); COUNT and AVG skip the shipments without one
        [(count, rate)] = self.env["erp.delivery.performance.report"]._read_group(
            domain, aggregates=["on_time_rate:count", "on_time_rate:avg"]
        )
        value = round(rate) if count else None
        figure = self._erp_figure(
            "on_time_rate",
            50,
            label,
            value,
            self._erp_action(
                "erp_logistics.erp_delivery_performance_report_action", label, domain
            ),
            help=self.env._(
                "Shipments of the last 30 days delivered by their expected date, "
                "out of those delivered, late or in exception; — without any."
            ),
        )
        if value is not None:
            figure["display"] = f"{value}%"
            figure["severity"] = (
                "success" if value >= 95 else "warning" if value >= 80 else "danger"
            )
        return figure
