# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .stock_warehouse import incoming_days


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    erp_virtual_stock_warehouse_id = fields.Many2one(
        "stock.warehouse",
        "Virtual Stock Warehouse",
        compute="_compute_erp_virtual_stock_warehouse_id",
        readonly=False,
        domain="[('company_id', '=', company_id)]",
        help="Warehouse whose virtual stock settings are edited here.",
    )
    virtual_stock_policy = fields.Selection(
        related="erp_virtual_stock_warehouse_id.virtual_stock_policy", readonly=False
    )
    virtual_incoming_days = fields.Integer(
        related="erp_virtual_stock_warehouse_id.virtual_incoming_days", readonly=False
    )
    virtual_incoming_mode = fields.Selection(
        related="erp_virtual_stock_warehouse_id.virtual_incoming_mode", readonly=False
    )
    erp_slow_mover_days = fields.Integer(
        related="company_id.erp_slow_mover_days", readonly=False
    )
    erp_forecast_promise = fields.Boolean(
        related="company_id.erp_forecast_promise", readonly=False
    )

    @api.onchange("virtual_incoming_mode")
    def _onchange_virtual_incoming_mode(self):
        for settings in self:
            settings.virtual_incoming_days = incoming_days(
                settings.virtual_incoming_mode, settings.virtual_incoming_days
            )

    @api.depends("company_id")
    def _compute_erp_virtual_stock_warehouse_id(self):
        for settings in self:
            settings.erp_virtual_stock_warehouse_id = self.env[
                "stock.warehouse"
            ].search([("company_id", "=", settings.company_id.id)], limit=1)
