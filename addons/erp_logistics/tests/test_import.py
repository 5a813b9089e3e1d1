# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ErpLogisticsCommon

HEADER = "tracking_number,status,time,location,description\n"


@tagged("post_install", "-at_install")
class TestImportWizard(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipment = cls._create_shipment("CSV-1")

    def _wizard(self, text, encoding="utf-8", skip_invalid=False):
        return self.env["erp.shipment.import"].create(
            {
                "carrier_id": self.carrier.id,
                "file": base64.b64encode(text.encode(encoding)),
                "filename": "events.csv",
                "skip_invalid": skip_invalid,
            }
        )

    def _csv(self, *rows):
        return HEADER + "".join(row + "\n" for row in rows)

    VALID = "CSV-1,in_transit,2026-11-02T08:00:00Z,Hub,Sorted"
    BAD_STATUS = "CSV-1,flying,2026-11-02T09:00:00Z,Hub,"
    BAD_NUMBER = "NOPE-1,in_transit,2026-11-02T09:00:00Z,Hub,"

    def test_preview_shows_per_row_errors(self):
        """Given a file with a valid row and two bad rows, when previewed, then
        each row shows its own error and nothing is imported."""
        wizard = self._wizard(self._csv(self.VALID, self.BAD_STATUS, self.BAD_NUMBER))
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual((wizard.valid_count, wizard.error_count), (1, 2))
        lines = wizard.line_ids.sorted("row")
        self.assertEqual(lines.mapped("row"), [2, 3, 4])
        self.assertFalse(lines[0].error)
        self.assertIn("flying", lines[1].error)
        self.assertIn("NOPE-1", lines[2].error)
        self.assertFalse(self.shipment.event_ids)

    def test_time_without_offset_is_the_users_local_time(self):
        """Given a user in Shanghai importing a spreadsheet whose times carry
        no offset (08:15), when imported, then the event is at 08:15 Shanghai
        time (00:15 UTC), not 08:15 UTC; a time with an offset keeps it."""
        self.env.user.tz = "Asia/Shanghai"
        wizard = self._wizard(
            self._csv(
                "CSV-1,in_transit,2026-11-30 08:15:00,Hub,Sorted",
                "CSV-1,out_for_delivery,2026-11-30T10:00:00+00:00,Door,Out",
            )
        )
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(
            self.shipment.event_ids.sorted("event_time").mapped("event_time"),
            [self._dt("2026-11-30 00:15:00"), self._dt("2026-11-30 10:00:00")],
        )

    def test_all_or_nothing(self):
        """Given a file with a bad row, when imported without skipping, then a
        UserError is raised and nothing is imported."""
        wizard = self._wizard(self._csv(self.VALID, self.BAD_STATUS))
        wizard.action_preview()
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertFalse(self.shipment.event_ids)

    def test_skip_invalid_rows(self):
        """Given a file with a bad row and 'skip invalid rows', when imported,
        then the valid rows are imported as import events."""
        wizard = self._wizard(self._csv(self.VALID, self.BAD_STATUS), skip_invalid=True)
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.imported_count, 1)
        self.assertRecordValues(
            self.shipment.event_ids,
            [{"status": "in_transit", "source": "import", "location": "Hub"}],
        )
        self.assertEqual(self.shipment.state, "in_transit")

    def test_reimport_counts_duplicates(self):
        """Given an imported file, when imported again, then nothing new is
        stored and the rows count as duplicates."""
        self._wizard(self._csv(self.VALID)).action_import()
        wizard = self._wizard(self._csv(self.VALID))
        wizard.action_import()
        self.assertEqual((wizard.imported_count, wizard.duplicate_count), (0, 1))
        self.assertEqual(len(self.shipment.event_ids), 1)

    def test_wrong_columns(self):
        """Given a file without the required columns, when previewed, then a
        UserError names the missing columns."""
        wizard = self._wizard("number,state,when\nCSV-1,in_transit,2026-11-02\n")
        with self.assertRaisesRegex(UserError, "tracking_number"):
            wizard.action_preview()

    def test_gb18030_file_and_semicolons(self):
        """Given a GB18030 file separated by semicolons with Chinese text, when
        imported, then the location keeps its Chinese characters."""
        text = (
            "tracking_number;status;time;location\n"
            "CSV-1;in_transit;2026-11-02T08:00:00+08:00;上海转运中心\n"
        )
        wizard = self._wizard(text, encoding="gb18030")
        wizard.action_import()
        self.assertEqual(self.shipment.event_ids.location, "上海转运中心")

    def test_undecodable_file(self):
        """Given binary garbage, when previewed, then a UserError explains the
        encoding problem."""
        wizard = self.env["erp.shipment.import"].create(
            {
                "carrier_id": self.carrier.id,
                "file": base64.b64encode(b"\xff\xfe\x00\x81\x30\xff"),
            }
        )
        with self.assertRaises(UserError):
            wizard.action_preview()

    def test_nul_bytes_give_a_row_error(self):
        """Given a file whose rows hold NUL bytes, when previewed and imported
        with 'skip invalid rows', then those rows show an error, the valid row
        is imported and nothing of the bad rows is stored."""
        text = self._csv(
            self.VALID,
            "CSV-1,delivered,2026-11-03T08:00:00Z,Hub\x00,Signed",
            "CSV-1\x00,delivered,2026-11-03T09:00:00Z,Hub,",
            "CSV-1,deli\x00vered,2026-11-03T10:00:00Z,Hub,",
        )
        wizard = self._wizard(text, skip_invalid=True)
        wizard.action_preview()
        self.assertEqual((wizard.valid_count, wizard.error_count), (1, 3))
        lines = wizard.line_ids.sorted("row")
        for line in lines[1:]:
            self.assertIn("NUL", line.error)
            self.assertNotIn("\x00", line.tracking_number + line.status)
        wizard.action_import()
        self.assertEqual(wizard.imported_count, 1)
        self.assertRecordValues(self.shipment.event_ids, [{"status": "in_transit"}])

    def test_future_and_overflowing_times_give_a_row_error(self):
        """Given rows dated more than a day ahead or whose time overflows, when
        previewed, then they show an error and the import refuses them."""
        future = fields.Datetime.now() + timedelta(days=2)
        wizard = self._wizard(
            self._csv(
                self.VALID,
                f"CSV-1,delivered,{future.strftime('%Y-%m-%dT%H:%M:%SZ')},Hub,",
                "CSV-1,delivered,9999-12-31T23:59:59-23:00,Hub,",
            )
        )
        wizard.action_preview()
        lines = wizard.line_ids.sorted("row")
        self.assertFalse(lines[0].error)
        self.assertIn("future", lines[1].error)
        self.assertTrue(lines[2].error)
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertFalse(self.shipment.event_ids)

    def test_formula_text_is_neutralised(self):
        """Given rows whose texts start with =, +, - or @, when imported, then
        the stored texts start with an apostrophe (no spreadsheet formula on
        export)."""
        text = (
            "tracking_number,status,time,location,description,received_by\n"
            'CSV-1,delivered,2026-11-03T08:00:00Z,"=1+1","@SUM(A1)",-Zhao\n'
            "CSV-1,in_transit,2026-11-02T08:00:00Z,+86 Hub,Sorted,\n"
        )
        self._wizard(text).action_import()
        self.assertRecordValues(
            self.shipment.event_ids.sorted("event_time"),
            [
                {"location": "'+86 Hub", "description": "Sorted", "received_by": False},
                {
                    "location": "'=1+1",
                    "description": "'@SUM(A1)",
                    "received_by": "'-Zhao",
                },
            ],
        )
