# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ErpVirtualStock(models.Model):
    _name = "erp.virtual.stock"
    _description = "Manual Virtual Stock Entry"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, copy=False, readonly=True, default="/", index="trigram"
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain=[("is_storable", "=", True)],
    )
    default_code = fields.Char(related="product_id.default_code", string="Code")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        default=lambda self: self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    quantity = fields.Float(
        required=True,
        digits="Product Unit of Measure",
        tracking=True,
        help="Added to the virtual stock while the entry is active; a negative "
        "quantity holds stock back.",
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    reason = fields.Selection(
        [
            ("presale", "Pre-sale"),
            ("supplier_stock", "Supplier Stock"),
            ("production_plan", "Production Plan"),
            ("safety_buffer", "Safety Buffer"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    date_start = fields.Date(
        "Valid From",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The entry counts in the virtual stock from this day.",
    )
    date_end = fields.Date(
        "Valid Until",
        tracking=True,
        help="The entry expires after this day (empty: no end).",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", "Responsible", default=lambda self: self.env.user, tracking=True
    )

    _sql_constraints = [
        ("quantity_not_zero", "CHECK(quantity != 0)", "The quantity cannot be zero."),
        (
            "dates_ordered",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "The end date cannot be before the start date.",
        ),
    ]

    @api.constrains("product_id")
    def _check_product_storable(self):
        for entry in self:
            if not entry.product_id.is_storable:
                raise ValidationError(
                    self.env._(
                        "Virtual stock can only be recorded for storable products:"
                        " %(product)s is not tracked in inventory.",
                        product=entry.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "erp.virtual.stock"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        locked = self.filtered(lambda e: e.state in ("expired", "cancelled"))
        if locked and set(vals) - {"note", "message_main_attachment_id"}:
            raise UserError(
                self.env._(
                    "Expired or cancelled virtual stock entries cannot be modified:"
                    " %(entries)s.",
                    entries=", ".join(locked.mapped("name")),
                )
            )
        tracked = {"product_id", "warehouse_id", "quantity", "state", "date_start"}
        if not tracked & set(vals):
            return super().write(vals)
        ledger = self.env["erp.virtual.stock.ledger"]
        pairs = self._erp_pairs()
        with ledger._erp_operation(
            "manual", source=self[:1], pairs=pairs, sources=self._erp_sources()
        ) as operation:
            entries = operation.bind(self)
            res = super(ErpVirtualStock, entries).write(vals)
            entries.env["erp.virtual.stock.ledger"]._erp_watch(
                entries._erp_pairs(), sources=entries._erp_sources()
            )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active(self):
        if any(entry.state == "active" for entry in self):
            raise UserError(
                self.env._("Cancel an active virtual stock entry before deleting it.")
            )

    def _erp_pairs(self):
        return {(entry.product_id.id, entry.warehouse_id.id) for entry in self}

    def _erp_sources(self):
        return {(entry.product_id.id, entry.warehouse_id.id): entry for entry in self}

    def action_activate(self):
        wrong = self.filtered(lambda e: e.state != "draft")
        if wrong:
            raise UserError(
                self.env._(
                    "Only draft entries can be activated: %(entries)s.",
                    entries=", ".join(wrong.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        expired = self.filtered(lambda e: e.date_end and e.date_end < today)
        if expired:
            raise UserError(
                self.env._(
                    "These entries already ended and cannot be activated:"
                    " %(entries)s.",
                    entries=", ".join(expired.mapped("name")),
                )
            )
        self.write({"state": "active"})
        return True

    def action_cancel(self):
        wrong = self.filtered(lambda e: e.state not in ("draft", "active"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only draft or active entries can be cancelled: %(entries)s.",
                    entries=", ".join(wrong.mapped("name")),
                )
            )
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        wrong = self.filtered(lambda e: e.state != "cancelled")
        if wrong:
            raise UserError(
                self.env._(
                    "Only cancelled entries can be reset to draft: %(entries)s.",
                    entries=", ".join(wrong.mapped("name")),
                )
            )
        # bypass the lock on cancelled entries for this one transition
        return super().write({"state": "draft"})

    @api.model
    def _cron_expire_entries(self):
        """Expire the active entries whose end date is past.

        "Today" is the day of the running user's timezone (context_today),
        the same day the engine counts entries with and activation checks:
        the cron runs as OdooBot, so it is OdooBot's timezone (UTC when it
        has none); run by hand, the user's. Never the bare UTC date, or an
        entry would be expired on a different day than the one it stops
        counting on.
        """
        today = fields.Date.context_today(self)
        entries = self.search([("state", "=", "active"), ("date_end", "<", today)])
        for company, company_entries in entries.grouped("company_id").items():
            company_entries.with_company(company).write({"state": "expired"})
        self.env["ir.cron"]._notify_progress(done=len(entries), remaining=0)
        return entries
