# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestChineseTranslation(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["erp_logistics"], ["zh_CN"], overwrite=True
        )

    def test_states_and_errors_in_chinese(self):
        """Given the zh_CN translation loaded, when read in Chinese, then the
        shipment states and a user error message are Chinese."""
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        states = dict(
            env_zh["erp.shipment"]._fields["state"]._description_selection(env_zh)
        )
        self.assertEqual(states["delivered"], "已送达")
        self.assertEqual(states["out_for_delivery"], "派送中")
        self.assertEqual(
            env_zh._("Only draft shipments can be shipped."), "只有草稿货件才能发货。"
        )

    def test_customer_mail_in_chinese(self):
        """Given a Chinese-speaking customer, when a shipment is shipped, then the
        notification's subject is Chinese."""
        self.customer.lang = "zh_CN"
        shipment = self._create_shipment("ZH-1")
        message = shipment.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
        )
        self.assertIn("已发货", message.subject)

    def test_required_carrier_refusal_in_chinese(self):
        """Given a company requiring a carrier, when a Chinese-speaking user
        validates a customer delivery without one, then the refusal is
        Chinese."""
        self.company.erp_require_carrier = True
        picking = self._create_sale_order().picking_ids
        picking.carrier_id = False
        with self.assertRaisesRegex(UserError, "承运商"):
            self._validate_picking(picking.with_context(lang="zh_CN"))
