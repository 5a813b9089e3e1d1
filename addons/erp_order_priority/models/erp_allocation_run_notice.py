# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class ErpAllocationRun(models.Model):
    """After an applied backorder processing run: the confirmed quantities
    and dates written on the order lines, and the notice of the dates that
    moved (activity for the salesperson, message on the order, email to the
    customer)."""

    _inherit = "erp.allocation.run"  # pylint: disable=consider-merging-classes-inherited

    def _erp_write_confirmations(self, plan):
        """Write each order line's confirmed quantity and date, and notify
        the orders whose dates moved by more than the company's notice
        threshold."""
        self.ensure_one()
        by_line = {}
        for item in plan:
            # sudo: the run confirms the lines of every order of the
            # warehouse, also of other salespeople than its user
            line = item["move"].sale_line_id.sudo()
            if not line:
                continue
            entry = by_line.setdefault(
                line,
                {"qty": 0.0, "date": False, "before": item["promise_date_before"]},
            )
            entry["qty"] += item["confirmed_qty"]
            if item["confirmed_date"]:
                entry["date"] = max(
                    entry["date"] or item["confirmed_date"], item["confirmed_date"]
                )
            if not item["promise_date_after"]:
                entry["full"] = False
            entry.setdefault("full", True)
        moved = {}
        # one write per confirmed quantity and date, not per line: a run
        # confirms thousands of lines on a few dozen dates
        same = {}
        for line, entry in by_line.items():
            # what is delivered is the line's too: the run confirms the rest
            # (read back as such by _erp_held_future)
            qty = (
                line.product_id.uom_id._compute_quantity(
                    entry["qty"], line.product_uom, round=False
                )
                + line.qty_delivered
            )
            same.setdefault((qty, entry["date"]), []).append(line.id)
            after = entry["date"] if entry["full"] else False
            if self._erp_date_moved(entry["before"], after):
                moved[line] = (entry["before"], after)
        SaleLine = self.env["sale.order.line"].sudo()
        for (qty, date), ids in same.items():
            SaleLine.browse(ids).write(
                {"erp_confirmed_qty": qty, "erp_confirmed_date": date}
            )
        self._erp_notify_date_changes(moved)

    def _erp_clear_unplanned_confirmations(self, moves, plan):
        """Clear what an earlier run confirmed to the lines of ``moves``
        whose product this run did not plan (no longer short: their stock
        is there): an old confirmed date would stay their promise date."""
        self.ensure_one()
        planned = {item["product"].id for item in plan}
        # sudo: as _erp_write_confirmations, the lines of every salesperson
        lines = (
            moves.filtered(lambda m: m.product_id.id not in planned)
            .sale_line_id.sudo()
            .filtered("erp_confirmed_date")
        )
        if lines:
            lines.write({"erp_confirmed_qty": 0.0, "erp_confirmed_date": False})

    def _erp_date_moved(self, before, after):
        """Whether a line's promise date moved enough to tell the customer:
        by more than the company's threshold, or lost."""
        if not before:
            return False
        if not after:
            return True
        days = self.company_id.erp_confirmation_notice_days
        return abs((after - before).days) > days

    def _erp_notify_date_changes(self, moved):
        """{sale line: (before, after)}: per order, a message in its chatter,
        an activity for its salesperson and, if the company asks for it, an
        email to the customer in the customer's language."""
        self.ensure_one()
        if not moved:
            return
        # sudo: the run confirms the lines of every salesperson's orders (see
        # _erp_write_confirmations); its user may see his own orders only,
        # and the notes, activities and emails go to all of them
        orders = (
            self.env["sale.order"].concat(*{line.order_id for line in moved}).sudo()
        )
        template = self.env.ref(
            "erp_order_priority.mail_template_confirmed_date_changed",
            raise_if_not_found=False,
        )
        notify = self.company_id.erp_confirmation_notify_customer
        notes = {}
        for order in orders:
            lines = [line for line in moved if line.order_id == order]
            items = Markup("").join(
                Markup("<li>%s: %s → %s</li>")
                % (
                    escape(line.product_id.display_name),
                    fields.Date.to_string(moved[line][0]) or "-",
                    fields.Date.to_string(moved[line][1])
                    or self.env._("not confirmed"),
                )
                for line in lines
            )
            note = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._(
                    "Allocation run %s moved the confirmed dates of this order:",
                    self.name,
                ),
                items,
            )
            notes[order.id] = note
            if notify and template and order.partner_id.email:
                self._erp_send_notice(order, template)
        # in batches: a first run may move the dates of thousands of orders
        orders._message_log_batch(bodies=notes)
        self._erp_schedule_notice_activities(orders, notes)
        self.message_post(
            body=self.env._(
                "Confirmed dates moved on %(lines)s lines of %(orders)s orders.",
                lines=len(moved),
                orders=len(orders),
            )
        )

    def _erp_schedule_notice_activities(self, orders, notes):
        """A to-do for each order's salesperson with its note, created in
        one batch (what ``activity_schedule`` does for one note)."""
        if self.env.context.get("mail_activity_automation_skip"):
            return
        activity_type = (
            self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
            or orders._default_activity_type()
        )
        model = self.env["ir.model"]._get("sale.order")
        today = fields.Date.context_today(self)
        # sudo: activities on the orders of other salespeople (see
        # _erp_notify_date_changes)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": self.env._("Confirmed dates moved"),
                    "automated": True,
                    "note": notes[order.id],
                    "date_deadline": today,
                    "res_model_id": model.id,
                    "res_id": order.id,
                    "user_id": order.user_id.id or self.env.uid,
                }
                for order in orders
            ]
        )

    def _erp_send_notice(self, order, template):
        """Email the customer the new dates; a failure to send must not undo
        the run: log it on the order."""
        try:
            with self.env.cr.savepoint():
                order.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment"
                )
        except UserError as error:
            _logger.warning("Order %s: date notice not sent: %s", order.name, error)
            order.message_post(
                body=self.env._("The date notice could not be sent: %s", str(error))
            )
