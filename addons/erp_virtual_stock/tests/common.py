# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.base.tests.common import BaseCommon


class VirtualStockCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].create(
            {"name": "VS Test Warehouse", "code": "VSTW"}
        )
        cls.warehouse_2 = cls.env["stock.warehouse"].create(
            {"name": "VS Second Warehouse", "code": "VSW2"}
        )
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer = cls.env["res.partner"].create({"name": "VS Customer"})
        cls.product = cls._create_product("VS Widget", "VS-W")
        cls.product_2 = cls._create_product("VS Gadget", "VS-G")
        cls.service = cls.env["product.product"].create(
            {"name": "VS Service", "type": "service"}
        )
        cls.ledger = cls.env["erp.virtual.stock.ledger"]

    @classmethod
    def _create_product(cls, name, code):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
            }
        )

    @classmethod
    def _set_on_hand(cls, product, qty, warehouse=None):
        warehouse = warehouse or cls.warehouse
        cls.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, qty
        )

    @classmethod
    def _create_order(cls, lines, warehouse=None, partner=None):
        """lines: [(product, qty)]"""
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "warehouse_id": (warehouse or cls.warehouse).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )

    @classmethod
    def _create_incoming(cls, product, qty, days=1, warehouse=None):
        move = cls.env["stock.move"].create(
            {
                "name": "VS incoming",
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": cls.supplier_location.id,
                "location_dest_id": (warehouse or cls.warehouse).lot_stock_id.id,
                "date": fields.Datetime.now() + timedelta(days=days),
            }
        )
        move._action_confirm()
        return move

    @classmethod
    def _create_entry(cls, product, qty, warehouse=None, activate=True, **vals):
        entry = cls.env["erp.virtual.stock"].create(
            {
                "product_id": product.id,
                "warehouse_id": (warehouse or cls.warehouse).id,
                "quantity": qty,
                **vals,
            }
        )
        if activate:
            entry.action_activate()
        return entry

    def _virtual(self, product, warehouse=None):
        warehouse = warehouse or self.warehouse
        self.env.invalidate_all()
        return product.with_context(warehouse_id=warehouse.id).virtual_stock_qty

    def _ledger_rows(self, product, warehouse=None):
        return self.ledger.search(
            [
                ("product_id", "=", product.id),
                ("warehouse_id", "=", (warehouse or self.warehouse).id),
            ],
            order="id",
        )
