# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ErpOrderPriorityRule(models.Model):
    _name = "erp.order.priority.rule"
    _inherit = ["erp.order.priority.rule", "mail.activity.mixin", "erp.review.mixin"]
