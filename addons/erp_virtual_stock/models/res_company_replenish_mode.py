# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

REPLENISH_MODES = [("immediate", "Act at once"), ("suggest", "Suggest")]


class ResCompany(models.Model):
    """Per company and per action of a threshold rule: act at once (create
    the transfer or run the purchase procurement) or suggest, i.e. collect
    a replenishment suggestion that a buyer edits and approves."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    erp_replenish_transfer_mode = fields.Selection(
        REPLENISH_MODES,
        string="Transfers of Stock Alerts",
        required=True,
        default="immediate",
        help="Act at once: a stock alert creates its transfer from the warehouse "
        "with the largest surplus. Suggest: it creates a replenishment "
        "suggestion to approve.",
    )
    erp_replenish_purchase_mode = fields.Selection(
        REPLENISH_MODES,
        string="Purchases of Stock Alerts",
        required=True,
        default="immediate",
        help="Act at once: a stock alert runs a procurement on the Buy route "
        "(a new or merged RFQ). Suggest: it creates a replenishment "
        "suggestion to approve.",
    )
