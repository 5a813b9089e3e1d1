# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields

from odoo.addons.base.tests.common import BaseCommon


class ErpPriorityCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "erp_priority_high_threshold": 30,
                "erp_priority_urgent_threshold": 60,
                "erp_priority_critical_threshold": 90,
                "erp_auto_close_days": 7,
                "erp_auto_confirmation_email": False,
                "erp_require_commitment_date": False,
                "erp_require_payment_term": False,
                "erp_require_client_order_ref": False,
                "erp_duplicate_window_hours": 0,
            }
        )
        # rules of other tests or demo data must not interfere
        cls.env["erp.order.priority.rule"].search([]).write({"active": False})
        cls.env["erp.order.assignment.rule"].search([]).write({"active": False})
        cls.warehouse = cls.env["stock.warehouse"].create(
            {
                "name": "Priority Test Warehouse",
                "code": "PTW",
                # no oversell warning in the tests: policy of erp_virtual_stock
                "virtual_stock_policy": "allow",
            }
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.product = cls.env["product.product"].create(
            {
                "name": "Scarce Widget",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "importance": "normal",
            }
        )
        cls.critical_product = cls.env["product.product"].create(
            {
                "name": "Critical Part",
                "type": "consu",
                "is_storable": True,
                "list_price": 10.0,
                "importance": "critical",
            }
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Installation", "type": "service", "list_price": 50.0}
        )
        cls.partner_standard = cls.env["res.partner"].create(
            {"name": "Standard Customer", "customer_tier": "standard"}
        )
        cls.partner_gold = cls.env["res.partner"].create(
            {"name": "Gold Customer", "customer_tier": "gold"}
        )
        cls.partner_vip = cls.env["res.partner"].create(
            {"name": "VIP Customer", "customer_tier": "vip"}
        )

    @classmethod
    def _create_rule(cls, **vals):
        vals.setdefault("name", f"Rule {vals.get('criterion')}")
        return cls.env["erp.order.priority.rule"].create(vals)

    @classmethod
    def _create_order(cls, partner, lines, **vals):
        """lines: list of (product, qty)"""
        vals = {
            "partner_id": partner.id,
            "warehouse_id": cls.warehouse.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty})
                for product, qty in lines
            ],
            **vals,
        }
        return cls.env["sale.order"].create(vals)

    @classmethod
    def _set_stock(cls, product, qty):
        cls.env["stock.quant"]._update_available_quantity(
            product, cls.stock_location, qty
        )

    def _deliver(self, picking, quantities=None, backorder=True):
        """Validate ``picking``, delivering ``quantities`` {product: qty}
        (everything by default)."""
        for move in picking.move_ids:
            qty = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.quantity = qty
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            wizard = (
                self.env[result["res_model"]]
                .with_context(**result["context"])
                .create({})
            )
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    @staticmethod
    def _now():
        return fields.Datetime.now()
