from odoo import fields, models

CUSTOMER_TIERS = [
    ("standard", "Standard"),
    ("silver", "Silver"),
    ("gold", "Gold"),
    ("vip", "VIP"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_tier = fields.Selection(
        CUSTOMER_TIERS,
        default="standard",
        required=True,
        tracking=True,
        help="Commercial tier of the customer, used by the order priority rules.",
    )
