# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockSlowMover(ShortageCommon):
    """The slow-mover report lists the products whose days of cover exceed
    the company's limit, with the value of their stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.erp_slow_mover_days = 30
        cls.product_c = cls._create_product("Slow Lamp", cls.categ_child)
        for product, cost in (
            (cls.product, 10.0),
            (cls.product_b, 4.0),
            (cls.product_c, 2.5),
        ):
            product.standard_price = cost
        cls.Forecast = cls.env["erp.demand.forecast"]
        cls.Report = cls.env["erp.stock.slow.mover.report"]

    def _forecast(self, product, warehouse, qty, rate):
        """On hand ``qty``, and the forecast of a refresh: ``rate`` a day."""
        if qty:
            self._set_stock(product, warehouse, qty)
        self.Forecast.create(
            {
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "company_id": warehouse.company_id.id,
                "date": fields.Date.today(),
                "demand_rate": rate,
                "virtual_stock_qty": qty,
                "days_of_cover": qty / rate if rate else False,
            }
        )

    def _rows(self):
        self.env.flush_all()
        return self.Report.search(
            [("product_id", "in", (self.product | self.product_b | self.product_c).ids)]
        )

    def test_slow_and_dead_stock_listed_with_value(self):
        """Given a product without demand, one covered 200 days and one 10
        days, with a limit of 30 days, the first two are listed with their
        value and their excess over 30 days of demand."""
        self._forecast(self.product, self.wh_short, 20, 0.0)
        self._forecast(self.product_b, self.wh_short, 100, 0.5)
        self._forecast(self.product_c, self.wh_short, 10, 1.0)
        rows = self._rows().sorted(lambda r: r.product_id.id)
        self.assertRecordValues(
            rows,
            [
                {
                    "product_id": self.product.id,
                    "warehouse_id": self.wh_short.id,
                    "on_hand_qty": 20,
                    "has_demand": False,
                    "days_of_cover": 0.0,
                    "stock_value": 200.0,
                    "excess_qty": 20,
                    "excess_value": 200.0,
                    "cover_limit_days": 30,
                },
                {
                    "product_id": self.product_b.id,
                    "warehouse_id": self.wh_short.id,
                    "on_hand_qty": 100,
                    "has_demand": True,
                    "days_of_cover": 200.0,
                    "stock_value": 400.0,
                    "excess_qty": 85,
                    "excess_value": 340.0,
                    "cover_limit_days": 30,
                },
            ],
        )

    def test_limit_is_the_company_setting(self):
        """Raising the limit in the settings screen drops the product covered
        200 days; 0 switches the report off."""
        self._forecast(self.product, self.wh_short, 20, 0.0)
        self._forecast(self.product_b, self.wh_short, 100, 0.5)
        settings = self.env["res.config.settings"].create({"erp_slow_mover_days": 365})
        settings.execute()
        self.assertEqual(self.company.erp_slow_mover_days, 365)
        self.assertEqual(self._rows().product_id, self.product)
        self.company.erp_slow_mover_days = 0
        self.assertFalse(self._rows())

    def test_no_stock_no_row(self):
        """A product without stock on hand is no slow mover, whatever its
        cover."""
        self._forecast(self.product, self.wh_short, 0, 0.0)
        self.assertFalse(self._rows())

    def test_pivot_sums_values_by_warehouse(self):
        """Grouped by warehouse (the pivot), the values add up."""
        self._forecast(self.product, self.wh_short, 20, 0.0)
        self._forecast(self.product_b, self.wh_short, 100, 0.5)
        self._forecast(self.product, self.wh_surplus, 5, 0.0)
        self.env.flush_all()
        groups = dict(
            self.Report._read_group(
                [("product_id", "in", (self.product | self.product_b).ids)],
                groupby=["warehouse_id"],
                aggregates=["stock_value:sum"],
            )
        )
        self.assertEqual(groups, {self.wh_short: 600.0, self.wh_surplus: 50.0})

    def test_stock_user_without_addon_group_cannot_read(self):
        """The report is for the addon's users."""
        user = new_test_user(
            self.env, login="slow_stock", groups="stock.group_stock_user"
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(user).search([])
