# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

PRODUCT_IMPORTANCE = [
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "Important"),
    ("critical", "Essential"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    importance = fields.Selection(
        PRODUCT_IMPORTANCE,
        default="normal",
        required=True,
        help="Business importance of the product, used by the order priority rules.",
    )
