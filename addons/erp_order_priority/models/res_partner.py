# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

CUSTOMER_TIERS = [
    ("standard", "Standard"),
    ("silver", "Silver"),
    ("gold", "Gold"),
    ("vip", "VIP"),
]
DEFAULT_TIER = "standard"
TIER_MANAGER_GROUP = "erp_order_priority.erp_order_priority_group_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_tier = fields.Selection(
        CUSTOMER_TIERS,
        default=DEFAULT_TIER,
        required=True,
        tracking=True,
        help="Commercial tier of the customer, used by the order priority rules.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(
            vals.get("customer_tier", DEFAULT_TIER) != DEFAULT_TIER
            for vals in vals_list
        ):
            self._erp_check_tier_access()
        return super().create(vals_list)

    def write(self, vals):
        # only a change counts: the sync of commercial fields and forms
        # write the tier back unchanged
        if "customer_tier" in vals and any(
            partner.customer_tier != vals["customer_tier"] for partner in self
        ):
            self._erp_check_tier_access()
        return super().write(vals)

    def _erp_check_tier_access(self):
        """The tier feeds every order's priority score and the allocation of
        scarce stock: only order priority administrators set it."""
        if not self.env.su and not self.env.user.has_group(TIER_MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only order priority administrators may set a customer's tier."
                )
            )
