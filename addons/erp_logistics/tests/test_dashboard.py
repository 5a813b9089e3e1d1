# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestDashboardShipments(ErpLogisticsCommon):
    """The shipment figures of the manager dashboard, on a company of their
    own so that every count is exact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dash_company = cls.env["res.company"].create({"name": "Dashboard Ship Co"})
        cls.Dashboard = (
            cls.env["erp.dashboard"]
            .with_company(cls.dash_company)
            .with_context(allowed_company_ids=[cls.dash_company.id])
        )

    def _figures(self):
        data = self.Dashboard.get_dashboard_data()
        return {figure["key"]: figure for figure in data["figures"]}

    def _shipment(
        self, number, state, shipped_days_ago, expected_in, delivered_in=None
    ):
        """A shipment of the dashboard's company shipped ``shipped_days_ago``,
        expected ``expected_in`` days after shipping and delivered
        ``delivered_in`` days after shipping."""
        shipped = fields.Datetime.now() - timedelta(days=shipped_days_ago)
        return self._create_shipment(
            number,
            company_id=self.dash_company.id,
            state=state,
            date_shipped=shipped,
            date_expected=shipped + timedelta(days=expected_in),
            date_delivered=(
                shipped + timedelta(days=delivered_in)
                if delivered_in is not None
                else False
            ),
        )

    def test_shipments_in_exception(self):
        """Given shipments in transit, in exception (2) and delivered, then 2
        are in exception, and the figure's list holds exactly them."""
        self._shipment("DASH-T", "in_transit", 1, 3)
        exceptions = self._shipment("DASH-E1", "exception", 2, 3) | self._shipment(
            "DASH-E2", "exception", 3, 3
        )
        self._shipment("DASH-D", "delivered", 5, 3, delivered_in=2)
        figure = self._figures()["shipment_exceptions"]
        self.assertEqual(figure["value"], 2)
        self.assertEqual(
            self.env["erp.shipment"].search(figure["action"]["domain"]), exceptions
        )

    def test_on_time_rate_counts_late_and_exception_against_it(self):
        """Given, shipped in the last 30 days, one shipment delivered on time,
        one delivered late, one in exception, one on its way past its expected
        date and one on its way not yet due (left out), and one delivered on
        time 40 days ago (out of the period), then the on-time rate is
        1 / 4 = 25%."""
        self._shipment("DASH-OK", "delivered", 5, 3, delivered_in=2)
        self._shipment("DASH-LATE", "delivered", 10, 2, delivered_in=4)
        self._shipment("DASH-EXC", "exception", 4, 3)
        self._shipment("DASH-OVERDUE", "in_transit", 6, 2)
        self._shipment("DASH-NOTDUE", "in_transit", 1, 5)
        self._shipment("DASH-OLD", "delivered", 40, 3, delivered_in=1)
        figure = self._figures()["on_time_rate"]
        self.assertEqual(figure["value"], 25)
        self.assertEqual(figure["display"], "25%")
        self.assertEqual(figure["severity"], "danger")

    def test_on_time_rate_does_not_apply_without_shipments(self):
        """Given no shipment counted in the last 30 days, then the on-time rate
        shows "—", not 0% or 100%."""
        self._shipment("DASH-NOTDUE", "in_transit", 1, 5)
        figure = self._figures()["on_time_rate"]
        self.assertIsNone(figure["value"])
        self.assertEqual(figure["display"], "—")
