# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .demand_forecast_common import DemandForecastCommon


@tagged("post_install", "-at_install")
class TestStockThresholdDemand(DemandForecastCommon):
    def _current(self, product, warehouse, rate):
        return self.Forecast.create(
            {
                "product_id": product.id,
                "product_categ_id": product.categ_id.id,
                "warehouse_id": warehouse.id,
                "company_id": self.company.id,
                "date": self.today,
                "demand_rate": rate,
            }
        )

    def _rule(self, warehouse, action, **vals):
        return self.env["erp.stock.threshold"].create(
            {
                "name": "Demand rule",
                "warehouse_id": warehouse.id,
                "product_id": self.product.id,
                "qty_mode": "demand",
                "action": action,
                "safety_days": 3,
                "order_cycle_days": 10,
                **vals,
            }
        )

    def test_purchase_uses_vendor_lead_time(self):
        """Given 2 a day and a vendor delivering in 5 days, when a purchase
        rule from demand is created, then min = 2 × 5 + 3 × 2 = 16 and
        target = 16 + 2 × 10 = 36."""
        self._current(self.product, self.wh, 2.0)
        rule = self._rule(self.wh, "purchase")
        self.assertRecordValues(
            rule,
            [{"lead_time_days": 5.0, "min_qty": 16.0, "target_qty": 36.0}],
        )
        self.assertIn("16.00", rule.demand_formula)

    def test_shared_vendor_line_gives_the_lead_time(self):
        """Given a vendor line shared by every company (no company) that
        delivers in 5 days, when a purchase rule from demand is created,
        then its lead time is the vendor's 5 days, not the transfer lead
        time."""
        self.product.seller_ids.company_id = False
        self._current(self.product, self.wh, 2.0)
        rule = self._rule(self.wh, "purchase")
        self.assertRecordValues(
            rule,
            [{"lead_time_days": 5.0, "min_qty": 16.0, "target_qty": 36.0}],
        )

    def test_maximum_caps_the_demand_quantities(self):
        """Given a purchase rule from demand with a maximum of 30, when the
        demand asks a target of 36 (2 a day), then the target is the
        maximum; when it asks a minimum of 40 (5 a day), then minimum and
        target are the maximum: the nightly update goes on."""
        current = self._current(self.product, self.wh, 2.0)
        rule = self._rule(self.wh, "purchase", max_qty=30)
        self.assertRecordValues(
            rule, [{"min_qty": 16.0, "target_qty": 30.0, "max_qty": 30.0}]
        )
        current.demand_rate = 5.0
        self.env["erp.stock.threshold"]._cron_apply_demand_quantities()
        self.env.flush_all()
        self.assertRecordValues(
            rule, [{"min_qty": 30.0, "target_qty": 30.0, "max_qty": 30.0}]
        )

    def test_transfer_uses_transfer_lead_time(self):
        """Given 2 a day and a 2-day transfer, when a transfer rule from
        demand is created, then min = 2 × 2 + 3 × 2 = 10 and target 30."""
        self._current(self.product, self.wh_2, 2.0)
        rule = self._rule(self.wh_2, "transfer", transfer_lead_days=2)
        self.assertRecordValues(
            rule,
            [{"lead_time_days": 2.0, "min_qty": 10.0, "target_qty": 30.0}],
        )

    def test_refresh_updates_dynamic_rule(self):
        """Given a demand rule, when the forecast refresh finds a new rate,
        then the rule's quantities follow."""
        rule = self._rule(self.wh, "purchase")
        self.assertEqual(rule.min_qty, 0.0)
        self._set_stock(self.product, 200)
        self._move_done(self.product, 90, 20)
        self.Forecast.action_refresh()
        rule.invalidate_recordset()
        # 1 a day: min = 1 × 5 + 3 × 1 = 8, target = 8 + 10 = 18
        self.assertRecordValues(rule, [{"min_qty": 8.0, "target_qty": 18.0}])

    def test_fixed_rule_untouched(self):
        """Given a fixed rule, when the forecast is refreshed, then its
        quantities stay."""
        rule = self._rule(self.wh, "notify", qty_mode="fixed", min_qty=4, target_qty=9)
        self._current(self.product, self.wh, 2.0)
        self.env["erp.stock.threshold"]._cron_apply_demand_quantities()
        self.assertRecordValues(rule, [{"min_qty": 4.0, "target_qty": 9.0}])

    def test_demand_rule_needs_product(self):
        """Given a category rule, when it is set to compute from demand, then
        it is refused."""
        with self.assertRaises(ValidationError):
            self.env["erp.stock.threshold"].create(
                {
                    "name": "Category demand",
                    "warehouse_id": self.wh.id,
                    "product_categ_id": self.categ.id,
                    "qty_mode": "demand",
                }
            )
