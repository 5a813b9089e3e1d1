# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import VirtualStockCommon

# UTC+14 is a day ahead of UTC from 10:00 UTC, UTC-11 a day behind until
# 11:00 UTC: at any hour one of them is on another day than UTC
AHEAD_TZ = "Pacific/Kiritimati"
BEHIND_TZ = "Pacific/Pago_Pago"


@tagged("post_install", "-at_install")
class TestUserDayFarFromUtc(VirtualStockCommon):
    """The engine, the activation check and the expiry cron all read "today"
    in the user's timezone (context_today). Run with a user whose day is not
    the UTC day, so that mixing in the UTC date fails at any hour, not only
    in the hour around midnight of the team's own timezone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        utc_today = fields.Date.today()
        for tz in (AHEAD_TZ, BEHIND_TZ):
            cls.env.user.tz = tz
            if fields.Date.context_today(cls.env.user) != utc_today:
                break
        cls.today = fields.Date.context_today(cls.env.user)

    def test_user_day_is_not_the_utc_day(self):
        """Given the chosen timezone, the user's day is not the UTC day (else
        the other checks of this class would prove nothing)."""
        self.assertNotEqual(self.today, fields.Date.today())

    def test_cron_expires_on_the_user_day(self):
        """Given an entry that ended yesterday and one ending today (user's
        day), the cron expires the first only."""
        ended = self._create_entry(
            self.product, 5, date_start=self.today - timedelta(days=4)
        )
        ended.date_end = self.today - timedelta(days=1)
        running = self._create_entry(
            self.product_2,
            3,
            date_start=self.today - timedelta(days=4),
            date_end=self.today,
        )
        self.env["erp.virtual.stock"]._cron_expire_entries()
        self.assertEqual(ended.state, "expired")
        self.assertEqual(running.state, "active")
        self.assertEqual(self._virtual(self.product_2), 3)

    def test_entry_counts_from_its_start_on_the_user_day(self):
        """Given an entry starting today and one starting tomorrow (user's
        day), only the first counts."""
        self._create_entry(self.product, 5, date_start=self.today)
        self._create_entry(self.product_2, 4, date_start=self.today + timedelta(days=1))
        self.assertEqual(self._virtual(self.product), 5)
        self.assertEqual(self._virtual(self.product_2), 0)

    def test_incoming_move_promised_on_its_user_day(self):
        """Given 1 on hand and 4 arriving in 5 days, an order of 3 is promised
        on the move's day in the user's timezone, 5 days from the user's
        today (not the move's UTC date)."""
        self._set_on_hand(self.product, 1)
        self._create_incoming(self.product, 4, days=5)
        order = self._create_order([(self.product, 3)])
        self.assertEqual(order.order_line.promise_date, self.today + timedelta(days=5))
