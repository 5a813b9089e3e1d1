# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import get_lang

# shown where a figure does not apply (no data to compute it from)
NOT_APPLICABLE = "—"
RUNS_OUT_DAYS = 7


class ErpDashboard(models.AbstractModel):
    """The manager's key figures, each with the list it counts.

    Every addon adds its figures by overriding ``_erp_dashboard_figures`` and
    calling ``super()``; a figure is a dict (see ``_erp_figure``). The
    figures count the records of the companies selected in the web client
    and only of the models the user may read.
    """

    _name = "erp.dashboard"
    _description = "Manager Dashboard"

    @api.model
    def get_dashboard_data(self):
        """Figures and graphs of the dashboard, in display order (called by
        the web client)."""
        figures = sorted(self._erp_dashboard_figures(), key=lambda f: f["sequence"])
        graphs = sorted(self._erp_dashboard_graphs(), key=lambda g: g["sequence"])
        return {"figures": figures, "graphs": graphs}

    # ------------------------------------------------------------------
    # Extension points
    # ------------------------------------------------------------------
    @api.model
    def _erp_dashboard_figures(self):
        figures = []
        if self.env["stock.picking"].has_access("read"):
            figures.append(self._figure_deliveries_waiting())
        if self.env["erp.stock.alert"].has_access("read"):
            figures.append(self._figure_open_alerts())
        if self.env["erp.demand.forecast"].has_access("read"):
            figures.append(self._figure_running_out())
        return figures

    @api.model
    def _erp_dashboard_graphs(self):
        graphs = []
        if self.env["erp.demand.forecast"].has_access("read"):
            action = self._erp_action(
                "erp_virtual_stock.erp_demand_forecast_action",
                self.env._("Forecast by Product"),
                [("demand_rate", ">", 0)],
                view_type="graph",
            )
            graphs.append(
                {
                    "key": "forecast_by_product",
                    "sequence": 50,
                    "action": action,
                    "graph_context": {
                        "graph_groupbys": ["product_id"],
                        "graph_measure": "forecast_qty_30",
                        "graph_mode": "bar",
                    },
                }
            )
        return graphs

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _erp_company_domain(self, field="company_id"):
        return [(field, "in", self.env.companies.ids)]

    @api.model
    def _erp_action(self, xml_id, name, domain, view_type=None, context=None):
        """The window action ``xml_id`` showing ``domain`` (its own default
        filters off: the list shows exactly what the figure counts)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action.update(name=name, domain=domain, context=context or {}, target="current")
        if view_type:
            views = action.get("views") or []
            action["views"] = sorted(views, key=lambda v: v[1] != view_type)
        return action

    @api.model
    def _erp_figure(self, key, sequence, label, value, action, **extra):
        """One key figure: ``value`` is a number or None (does not apply),
        ``display`` its text, ``snapshot`` the "snapshot at" text of figures
        computed from stored snapshots, ``severity`` the colour (danger,
        warning, success or none)."""
        figure = {
            "key": key,
            "sequence": sequence,
            "label": label,
            "value": value,
            "display": NOT_APPLICABLE if value is None else str(value),
            "help": "",
            "snapshot": False,
            # colour of a figure that needs attention (none for nothing to do)
            "severity": "danger" if value else "",
            "action": action,
        }
        figure.update(extra)
        return figure

    @api.model
    def _erp_snapshot_label(self, moment):
        """'Snapshot at <time>' in the user's language and time zone."""
        if not moment:
            return self.env._("No snapshot yet")
        # the user's date format and time zone, to the minute
        local = fields.Datetime.context_timestamp(self, moment)
        when = local.strftime(f"{get_lang(self.env).date_format} %H:%M")
        return self.env._("Snapshot at %s", when)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.model
    def _deliveries_waiting_domain(self):
        """Customer deliveries waiting for stock or another operation
        (Odoo's *Waiting* filter)."""
        return [
            ("picking_type_code", "=", "outgoing"),
            ("state", "in", ("confirmed", "waiting")),
            *self._erp_company_domain(),
        ]

    @api.model
    def _figure_deliveries_waiting(self):
        domain = self._deliveries_waiting_domain()
        label = self.env._("Deliveries Waiting")
        figure = self._erp_figure(
            "deliveries_waiting",
            20,
            label,
            self.env["stock.picking"].search_count(domain),
            self._erp_action("stock.action_picking_tree_all", label, domain),
            help=self.env._(
                "Customer deliveries waiting for stock or another operation."
            ),
        )
        if figure["value"]:
            figure["severity"] = "warning"
        return figure

    @api.model
    def _open_alerts_domain(self):
        return [("state", "in", ("open", "in_progress")), *self._erp_company_domain()]

    @api.model
    def _figure_open_alerts(self):
        domain = self._open_alerts_domain()
        label = self.env._("Open Alerts")
        return self._erp_figure(
            "open_alerts",
            30,
            label,
            self.env["erp.stock.alert"].search_count(domain),
            self._erp_action("erp_virtual_stock.erp_stock_alert_action", label, domain),
            help=self.env._("Stock alerts still to handle (open or in progress)."),
        )

    @api.model
    def _running_out_domain(self):
        limit = fields.Date.context_today(self) + timedelta(days=RUNS_OUT_DAYS)
        return [
            ("stockout_date", "!=", False),
            ("stockout_date", "<=", limit),
            *self._erp_company_domain(),
        ]

    @api.model
    def _figure_running_out(self):
        domain = self._running_out_domain()
        label = self.env._("Running Out within 7 Days")
        products = self.env["erp.demand.forecast"]._read_group(domain, ["product_id"])
        refreshed = [
            moment
            for moment in self.env.companies.mapped("erp_forecast_refreshed_at")
            if moment
        ]
        return self._erp_figure(
            "running_out",
            60,
            label,
            len(products),
            self._erp_action(
                "erp_virtual_stock.erp_demand_forecast_action", label, domain
            ),
            help=self.env._(
                "Products whose virtual stock is projected to run out within "
                "7 days, from the last forecast refresh."
            ),
            snapshot=self._erp_snapshot_label(min(refreshed) if refreshed else False),
        )
