# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from .common import VirtualStockCommon


@tagged("post_install", "-at_install")
class TestSettingsChoices(VirtualStockCommon):
    """Settings are choices (all / not counted / N days; no review / every N
    days) stored as the numbers the engine and RPC clients read (issue 21
    item 13)."""

    def _settings_form(self):
        settings = self.env["res.config.settings"].create({})
        form = Form(settings)
        form.erp_virtual_stock_warehouse_id = self.warehouse
        return form

    def test_stored_numbers_read_as_choices(self):
        """Given the stored horizons -1, 0 and 10, they read as all, not
        counted and within N days."""
        for days, mode in ((-1, "all"), (0, "none"), (10, "days")):
            self.warehouse.virtual_incoming_days = days
            self.assertEqual(self.warehouse.virtual_incoming_mode, mode)

    def test_settings_round_trip(self):
        """Given the settings form, when "within N days" with 10 is saved,
        the warehouse stores 10; "all" stores -1 and "not counted" 0; the
        form reads the choice back."""
        form = self._settings_form()
        form.virtual_incoming_mode = "days"
        self.assertEqual(form.virtual_incoming_days, 30)
        form.virtual_incoming_days = 10
        form.save().execute()
        self.assertEqual(self.warehouse.virtual_incoming_days, 10)
        form = self._settings_form()
        self.assertEqual(form.virtual_incoming_mode, "days")
        self.assertEqual(form.virtual_incoming_days, 10)
        for mode, days in (("all", -1), ("none", 0)):
            form = self._settings_form()
            form.virtual_incoming_mode = mode
            form.save().execute()
            self.assertEqual(self.warehouse.virtual_incoming_days, days)

    def test_rpc_contract_kept(self):
        """Given an RPC client, writing the number still works and writing
        the choice alone stores its number (30 days for N days)."""
        self.warehouse.write({"virtual_incoming_days": 7})
        self.assertEqual(self.warehouse.virtual_incoming_mode, "days")
        self.warehouse.write({"virtual_incoming_mode": "all"})
        self.assertEqual(self.warehouse.virtual_incoming_days, -1)
        self.warehouse.write({"virtual_incoming_mode": "days"})
        self.assertEqual(self.warehouse.virtual_incoming_days, 30)
        self.warehouse.write(
            {"virtual_incoming_mode": "days", "virtual_incoming_days": 12}
        )
        self.assertEqual(self.warehouse.virtual_incoming_days, 12)

    def test_review_choice(self):
        """Given an entry, "every N days" with 14 stores 14, "no review"
        stores 0, and the stored numbers read back as the choices."""
        entry = self._create_entry(self.product, 3, activate=False)
        self.assertEqual(entry.review_mode, "none")
        with Form(entry) as form:
            form.review_mode = "every"
            self.assertEqual(form.review_interval_days, 30)
            form.review_interval_days = 14
        self.assertEqual(entry.review_interval_days, 14)
        self.assertEqual(entry.review_mode, "every")
        entry.write({"review_mode": "none"})
        self.assertEqual(entry.review_interval_days, 0)
        self.assertFalse(entry.next_review_date)
