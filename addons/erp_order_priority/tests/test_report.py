# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestOrderReport(ErpPriorityCommon):
    def test_report_figures(self):
        """Given 3 confirmed orders of a fresh customer (one late pending of
        100, one completed of 200, one processing of 300) and a quotation,
        the report counts 3 orders, 600 total, 2 unfinished, 1 late."""
        self.product.taxes_id = False
        self._set_stock(self.product, 100)
        partner = self.env["res.partner"].create(
            {"name": "Report Customer", "customer_tier": "silver"}
        )
        late = self._create_order(
            partner,
            [(self.product, 1)],
            commitment_date=self._now() - timedelta(days=1),
        )
        done = self._create_order(partner, [(self.product, 2)])
        busy = self._create_order(partner, [(self.product, 3)])
        self._create_order(partner, [(self.product, 4)])  # quotation
        (late | done | busy).action_confirm()
        self._deliver(done.picking_ids)
        busy.picking_ids.move_ids.picked = True
        self.env.flush_all()
        report = self.env["erp.order.report"]
        groups = report._read_group(
            [("partner_id", "=", partner.id)],
            aggregates=[
                "order_count:sum",
                "amount_total:sum",
                "unfinished_count:sum",
                "late_count:sum",
            ],
        )
        self.assertEqual(groups, [(3, 600.0, 2, 1)])
        by_state = dict(
            report._read_group(
                [("partner_id", "=", partner.id)],
                groupby=["fulfillment_state"],
                aggregates=["order_count:sum"],
            )
        )
        self.assertEqual(by_state, {"pending": 1, "processing": 1, "completed": 1})
        rows = report.search([("partner_id", "=", partner.id), ("is_late", "=", True)])
        self.assertEqual(rows.order_id, late)
        self.assertEqual(set(rows.mapped("customer_tier")), {"silver"})
