# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .demand_forecast_common import DemandForecastCommon
from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestReplenishmentRounding(ShortageCommon):
    """Products sold by the unit are replenished by whole units."""

    def _scan(self):
        """The scheduled scan, then the replenishment job it triggers."""
        self.Alert._cron_scan_thresholds()
        self._run_replenish_job()

    def test_rfq_rounds_up_to_whole_units(self):
        """Given a purchase rule with a target of 30.4 units and 4 on hand,
        when the scan runs, then the RFQ asks for 27 units, not 26.4."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            action="purchase",
            target_qty=30.4,
        )
        self._set_stock(self.product, self.wh_short, 4)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.purchase_line_ids.product_qty, 27)

    def test_transfer_rounds_up_to_whole_units(self):
        """Given a transfer rule with a target of 30.4 units, 4 on hand and
        100 in another warehouse, then the transfer moves 27 units."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            action="transfer",
            target_qty=30.4,
        )
        self._set_stock(self.product, self.wh_short, 4)
        self._set_stock(self.product, self.wh_surplus, 100)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.picking_ids.move_ids.product_uom_qty, 27)

    def test_transfer_never_exceeds_the_surplus(self):
        """Given a need of 26.4 units and only 10.5 units of surplus elsewhere
        (no rule there), then the transfer moves the 10 whole units."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            action="transfer",
            target_qty=30.4,
        )
        self._set_stock(self.product, self.wh_short, 4)
        self._set_stock(self.product, self.wh_surplus, 10.5)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.picking_ids.move_ids.product_uom_qty, 10)


@tagged("post_install", "-at_install")
class TestDemandThresholdRounding(DemandForecastCommon):
    def test_demand_thresholds_round_up_to_whole_units(self):
        """Given 1.37 units a day and a vendor delivering in 5 days, when a
        purchase rule from demand is created (3 safety days, 10-day review),
        then min = 10.96 and target = 24.66 are kept as 11 and 25 units."""
        self.Forecast.create(
            {
                "product_id": self.product.id,
                "product_categ_id": self.product.categ_id.id,
                "warehouse_id": self.wh.id,
                "company_id": self.company.id,
                "date": self.today,
                "demand_rate": 1.37,
            }
        )
        rule = self.env["erp.stock.threshold"].create(
            {
                "name": "Demand rule",
                "warehouse_id": self.wh.id,
                "product_id": self.product.id,
                "qty_mode": "demand",
                "action": "purchase",
                "safety_days": 3,
                "order_cycle_days": 10,
            }
        )
        self.assertAlmostEqual(rule.demand_min_qty, 10.96)
        self.assertRecordValues(rule, [{"min_qty": 11.0, "target_qty": 25.0}])
