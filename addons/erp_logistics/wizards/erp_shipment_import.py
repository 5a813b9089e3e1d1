# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError

REQUIRED_COLUMNS = ("tracking_number", "status", "time")
OPTIONAL_COLUMNS = ("location", "description", "received_by")
MAX_ROWS = 10000


class ErpShipmentImport(models.TransientModel):
    _name = "erp.shipment.import"
    _description = "Import Tracking Events"

    carrier_id = fields.Many2one(
        "delivery.carrier",
        required=True,
        help="Carrier whose tracking numbers the file refers to.",
    )
    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    skip_invalid = fields.Boolean(
        string="Skip Invalid Rows",
        help="Import the valid rows and ignore the others. Otherwise nothing is "
        "imported while any row is invalid.",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview"), ("done", "Done")],
        default="upload",
        required=True,
    )
    line_ids = fields.One2many("erp.shipment.import.line", "wizard_id")
    valid_count = fields.Integer(compute="_compute_counts")
    error_count = fields.Integer(compute="_compute_counts")
    imported_count = fields.Integer(readonly=True)
    duplicate_count = fields.Integer(readonly=True)

    @api.depends("line_ids.error")
    def _compute_counts(self):
        for wizard in self:
            errors = wizard.line_ids.filtered("error")
            wizard.error_count = len(errors)
            wizard.valid_count = len(wizard.line_ids) - len(errors)

    def _erp_read_rows(self):
        """Decode the CSV file and return its rows as dicts."""
        self.ensure_one()
        try:
            raw = base64.b64decode(self.file or b"")
        except ValueError as error:
            raise UserError(self.env._("The file is not valid.")) from error
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError(
                self.env._("The file is neither UTF-8 nor GB18030 encoded text.")
            )
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [col for col in REQUIRED_COLUMNS if col not in columns]
        if missing:
            raise UserError(
                self.env._(
                    "Missing columns: %(missing)s. Expected columns: %(expected)s.",
                    missing=", ".join(missing),
                    expected=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
                )
            )
        reader.fieldnames = columns
        rows = []
        try:
            for row in reader:
                rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise UserError(
                        self.env._("The file has more than %s rows.", MAX_ROWS)
                    )
        except csv.Error as error:
            raise UserError(
                self.env._("The CSV file cannot be read: %s", error)
            ) from error
        if not rows:
            raise UserError(self.env._("The file has no rows."))
        return rows

    def action_preview(self):
        """Parse the file and show each row with its error, if any."""
        self.ensure_one()
        rows = self._erp_read_rows()
        raw_events, nul_rows = [], set()
        for index, row in enumerate(rows):
            raw = {}
            for key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
                value = (row.get(key) or "").strip()
                if "\x00" in value:
                    # PostgreSQL cannot store NUL: show the row without them
                    nul_rows.add(index)
                    value = value.replace("\x00", "")
                raw[key] = value
            raw_events.append(raw)
        _vals_list, errors = self.carrier_id._erp_parse_events(raw_events, "import")
        line_vals = []
        for index, raw in enumerate(raw_events):
            error = errors.get(index, False)
            if index in nul_rows:
                error = self.env._("the row contains NUL characters")
            elif not error and rows[index].get(None):
                error = self.env._("too many values in the row")
            line_vals.append(
                {
                    "row": index + 2,
                    "tracking_number": raw["tracking_number"],
                    "status": raw["status"],
                    "time": raw["time"],
                    "location": raw["location"],
                    "description": raw["description"],
                    "received_by": raw["received_by"],
                    "error": error,
                }
            )
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [fields.Command.create(vals) for vals in line_vals],
                "state": "preview",
            }
        )
        return self._erp_reopen()

    def action_import(self):
        """Import the previewed rows: all of them, or only the valid ones when
        *Skip Invalid Rows* is set."""
        self.ensure_one()
        if self.state != "preview":
            self.action_preview()
        if self.error_count and not self.skip_invalid:
            raise UserError(
                self.env._(
                    "%s rows are invalid: fix the file or tick 'Skip Invalid Rows'. "
                    "Nothing was imported.",
                    self.error_count,
                )
            )
        valid_lines = self.line_ids.filtered(lambda line: not line.error)
        if not valid_lines:
            raise UserError(self.env._("There is no valid row to import."))
        raw_events = [line._erp_as_raw_event() for line in valid_lines]
        vals_list, errors = self.carrier_id._erp_parse_events(raw_events, "import")
        if errors:
            raise UserError(self.carrier_id._erp_format_errors(errors))
        events = self.env["erp.shipment"]._erp_process_events(vals_list)
        self.write(
            {
                "state": "done",
                "imported_count": len(events),
                "duplicate_count": len(vals_list) - len(events),
            }
        )
        return self._erp_reopen()

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.state = "upload"
        return self._erp_reopen()

    def _erp_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Tracking Events"),
        }
