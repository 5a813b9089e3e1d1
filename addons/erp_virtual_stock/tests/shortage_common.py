# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class ShortageCommon(BaseCommon):
    """Two warehouses of one company, storable products with a vendor, and a
    helper to set on-hand stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.wh_short = cls.env["stock.warehouse"].create(
            {"name": "Shortage WH", "code": "SHW", "company_id": cls.company.id}
        )
        cls.wh_surplus = cls.env["stock.warehouse"].create(
            {"name": "Surplus WH", "code": "SPW", "company_id": cls.company.id}
        )
        cls.wh_small = cls.env["stock.warehouse"].create(
            {"name": "Small WH", "code": "SMW", "company_id": cls.company.id}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Shortage Vendor"})
        cls.categ_parent = cls.env["product.category"].create(
            {"name": "Shortage Parent"}
        )
        cls.categ_child = cls.env["product.category"].create(
            {"name": "Shortage Child", "parent_id": cls.categ_parent.id}
        )
        cls.product = cls._create_product("Shortage Phone", cls.categ_child)
        cls.product_b = cls._create_product("Shortage Case", cls.categ_child)
        cls.product_novendor = cls._create_product(
            "Shortage Orphan", cls.categ_child, vendor=False
        )
        cls.consumable = cls.env["product.product"].create(
            {"name": "Shortage Consumable", "type": "consu", "is_storable": False}
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="shortage_stock_manager",
            email="shortage.manager@example.com",
            groups="erp_virtual_stock.erp_virtual_stock_group_manager",
        )
        cls.Threshold = cls.env["erp.stock.threshold"]
        cls.Alert = cls.env["erp.stock.alert"]

    @classmethod
    def _create_product(cls, name, categ, vendor=True, min_qty=0.0):
        vals = {
            "name": name,
            "type": "consu",
            "is_storable": True,
            "categ_id": categ.id,
        }
        if vendor:
            vals["seller_ids"] = [
                Command.create(
                    {"partner_id": cls.vendor.id, "min_qty": min_qty, "price": 10}
                )
            ]
        return cls.env["product.product"].create(vals)

    @classmethod
    def _set_stock(cls, product, warehouse, qty):
        cls.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, qty
        )

    def _rule(self, warehouse, **vals):
        values = {
            "name": "Rule",
            "warehouse_id": warehouse.id,
            "basis": "on_hand",
            "min_qty": 10,
            "target_qty": 30,
            "action": "notify",
        }
        values.update(vals)
        return self.Threshold.create(values)

    def _alerts(self, product=None, warehouse=None, states=("open", "in_progress")):
        domain = [("state", "in", states)]
        if product:
            domain.append(("product_id", "=", product.id))
        if warehouse:
            domain.append(("warehouse_id", "=", warehouse.id))
        return self.Alert.search(domain)

    def _run_replenish_job(self):
        """Run the replenishment job as the cron does: batch after batch
        while alerts are pending (the cron commits between them)."""
        for _batch in range(100):
            if not self.Alert._cron_replenish_pending():
                break
