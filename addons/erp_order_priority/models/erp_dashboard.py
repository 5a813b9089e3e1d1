# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

ORDER_GRAPH_DAYS = 90


class ErpDashboard(models.AbstractModel):
    _inherit = "erp.dashboard"

    @api.model
    def _erp_dashboard_figures(self):
        figures = super()._erp_dashboard_figures()
        if self.env["sale.order"].has_access("read"):
            figures.append(self._figure_overdue_orders())
        return figures

    @api.model
    def _erp_dashboard_graphs(self):
        graphs = super()._erp_dashboard_graphs()
        if self.env["erp.order.report"].has_access("read"):
            since = fields.Datetime.now() - timedelta(days=ORDER_GRAPH_DAYS)
            domain = [("date_order", ">=", since), *self._erp_company_domain()]
            action = self._erp_action(
                "erp_order_priority.erp_order_report_dashboard_action",
                self.env._("Orders by Date"),
                domain,
                view_type="graph",
            )
            graphs.append(
                {
                    "key": "orders_by_date",
                    "sequence": 10,
                    "action": action,
                    "graph_context": {
                        "graph_groupbys": ["date_order:week", "fulfillment_state"],
                        "graph_measure": "order_count",
                        "graph_mode": "bar",
                    },
                }
            )
        return graphs

    @api.model
    def _overdue_orders_domain(self):
        """Confirmed orders past their delivery date and not completed."""
        return [("fulfillment_late", "=", True), *self._erp_company_domain()]

    @api.model
    def _figure_overdue_orders(self):
        domain = self._overdue_orders_domain()
        label = self.env._("Overdue Orders")
        return self._erp_figure(
            "overdue_orders",
            10,
            label,
            self.env["sale.order"].search_count(domain),
            self._erp_action(
                "erp_order_priority.sale_order_late_action", label, domain
            ),
            help=self.env._(
                "Confirmed orders past their delivery date and not completed yet."
            ),
        )
