# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.fields import Command

from odoo.addons.base.tests.common import BaseCommon


class DemandForecastCommon(BaseCommon):
    """Two warehouses, a vendor, products in their own category and helpers
    to record dated deliveries and returns."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.wh = cls.env["stock.warehouse"].create(
            {"name": "Forecast WH", "code": "FCW", "company_id": cls.company.id}
        )
        cls.wh_2 = cls.env["stock.warehouse"].create(
            {"name": "Forecast WH 2", "code": "FCW2", "company_id": cls.company.id}
        )
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.vendor = cls.env["res.partner"].create({"name": "Forecast Vendor"})
        cls.categ = cls.env["product.category"].create({"name": "Forecast Category"})
        cls.product = cls._create_product("Forecast Kettle")
        cls.product_b = cls._create_product("Forecast Toaster")
        cls.product_idle = cls._create_product("Forecast Idle Lamp")
        cls.Forecast = cls.env["erp.demand.forecast"]
        cls.Accuracy = cls.env["erp.demand.forecast.accuracy"]
        cls.today = fields.Date.context_today(cls.Forecast)
        # parameters pinned so that system parameters of the database are moot
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("erp_virtual_stock.forecast_window_days", "90")
        params.set_param("erp_virtual_stock.forecast_recent_days", "28")
        params.set_param("erp_virtual_stock.forecast_recent_weight", "1")
        params.set_param("erp_virtual_stock.forecast_soon_days", "14")

    @classmethod
    def _create_product(cls, name, delay=5):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "categ_id": cls.categ.id,
                "seller_ids": [
                    Command.create(
                        {"partner_id": cls.vendor.id, "price": 10, "delay": delay}
                    )
                ],
            }
        )

    @classmethod
    def _set_stock(cls, product, qty, warehouse=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, (warehouse or cls.wh).lot_stock_id, qty
        )

    @classmethod
    def _move_done(cls, product, qty, days_ago, warehouse=None, returned=False):
        """A done delivery to a customer (or a customer return) dated
        ``days_ago`` days back."""
        stock = (warehouse or cls.wh).lot_stock_id
        src, dst = (
            (cls.customer_location, stock)
            if returned
            else (stock, cls.customer_location)
        )
        move = cls.env["stock.move"].create(
            {
                "name": "Forecast move",
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": src.id,
                "location_dest_id": dst.id,
            }
        )
        move._action_confirm()
        move.quantity = qty
        move.picked = True
        move._action_done()
        move.date = fields.Datetime.now() - timedelta(days=days_ago)
        return move

    @classmethod
    def _incoming(cls, product, qty, days, warehouse=None):
        move = cls.env["stock.move"].create(
            {
                "name": "Forecast incoming",
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": cls.supplier_location.id,
                "location_dest_id": (warehouse or cls.wh).lot_stock_id.id,
                "date": fields.Datetime.now() + timedelta(days=days),
            }
        )
        move._action_confirm()
        return move

    def _refresh(self):
        self.Forecast._refresh_company(self.company)
        return self._refresh_rows()

    def _refresh_rows(self):
        return self.Forecast.search(
            [
                (
                    "product_id",
                    "in",
                    (self.product | self.product_b | self.product_idle).ids,
                ),
            ]
        )

    def _row(self, forecasts, product, warehouse=None):
        return forecasts.filtered(
            lambda f: f.product_id == product
            and f.warehouse_id == (warehouse or self.wh)
        )
