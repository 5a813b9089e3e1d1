# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class ErpStockAlert(models.Model):
    """Suggest, then approve: when the company's setting for an action
    (transfer, purchase) is *suggest*, the rule's action (the replenishment
    job, the Replenish button) collects a replenishment suggestion instead of
    creating the transfer or running the procurement. The Transfer and Buy
    buttons of an alert still act at once: the user asked for it."""

    _inherit = "erp.stock.alert"  # pylint: disable=consider-merging-classes-inherited

    suggestion_ids = fields.One2many(
        "erp.replenishment.suggestion", "alert_id", string="Suggestions"
    )
    suggestion_count = fields.Integer(compute="_compute_suggestion_count")
    suggestion_approved_by_id = fields.Many2one(
        "res.users",
        string="Suggestion Approved By",
        readonly=True,
        copy=False,
    )
    date_suggestion_approved = fields.Datetime(
        string="Suggestion Approved On", readonly=True, copy=False
    )

    @api.depends("suggestion_ids")
    def _compute_suggestion_count(self):
        counts = dict(
            self.env["erp.replenishment.suggestion"]._read_group(
                [("alert_id", "in", self.ids)], ["alert_id"], ["__count"]
            )
        )
        for alert in self:
            alert.suggestion_count = counts.get(alert, 0)

    # ------------------------------------------------------------------
    # The branch point: the rule's action, at once or suggested
    # ------------------------------------------------------------------

    @api.model
    def _get_alerts_to_retry(self, open_alerts):
        """Not the alerts whose suggestion waits for approval: there is
        nothing to retry, and the approver may have edited it."""
        alerts = super()._get_alerts_to_retry(open_alerts)
        if not alerts:
            return alerts
        # sudo: the evaluation runs for whoever changed the stock; the
        # suggestions are the approvers'
        waiting = (
            self.env["erp.replenishment.suggestion"]
            .sudo()
            .search([("alert_id", "in", alerts.ids), ("state", "=", "draft")])
            .alert_id
        )
        return alerts - waiting

    def _replenish_one(self, surplus_map):
        # only the rule's action (job, Replenish button) may be suggested
        alert = self.with_context(erp_replenish_rule_action=True)
        return super(ErpStockAlert, alert)._replenish_one(surplus_map)

    def _suggests(self, kind):
        self.ensure_one()
        return (
            self.env.context.get("erp_replenish_rule_action")
            and self.company_id[f"erp_replenish_{kind}_mode"] == "suggest"
        )

    def _create_transfer(self, source, qty):
        if not self._suggests("transfer"):
            return super()._create_transfer(source, qty)
        self._suggest("transfer", qty, source_warehouse=source)
        # the surplus counted by the caller stays set aside for it
        return self.env["stock.picking"]

    def _replenish_by_purchase(self, need):
        if not self._suggests("purchase"):
            return super()._replenish_by_purchase(need)
        seller = self._get_replenishment_seller()
        qty = self._get_purchase_qty(need, seller)
        self._suggest(
            "purchase",
            qty,
            vendor=seller.partner_id,
            date_expected=fields.Datetime.now() + timedelta(days=seller.delay),
        )
        return self.env["purchase.order.line"]

    def _suggest(
        self, kind, qty, vendor=None, source_warehouse=None, date_expected=None
    ):
        """Create the alert's suggestion of ``kind``, unless one is still to
        approve: that one is kept as it is (a second run of the job must not
        suggest twice, nor undo what the approver edited)."""
        self.ensure_one()
        # sudo: the rule's action runs on behalf of the rule, whoever
        # triggered it (a Virtual Stock user clicking Replenish cannot create
        # suggestions, only approvers do)
        draft = self.sudo().suggestion_ids.filtered(
            lambda s: s.kind == kind and s.state == "draft"
        )[:1]
        if draft:
            return draft
        vals = {
            "quantity": qty,
            "partner_id": vendor.id if vendor else False,
            "source_warehouse_id": source_warehouse.id if source_warehouse else False,
            "date_expected": date_expected or fields.Datetime.now(),
            "reason": self.env._(
                "%(alert)s: %(qty)s below the minimum %(min_qty)s (rule %(rule)s)",
                alert=self.name,
                qty=self.qty_at_trigger,
                min_qty=self.min_qty,
                rule=self.threshold_id.name,
            ),
        }
        # sudo: as above
        draft = (
            self.env["erp.replenishment.suggestion"]
            .sudo()
            .create(
                dict(
                    vals,
                    kind=kind,
                    alert_id=self.id,
                    company_id=self.company_id.id,
                    product_id=self.product_id.id,
                    warehouse_id=self.warehouse_id.id,
                )
            )
        )
        self.message_post(
            body=self.env._(
                "Suggested for approval: %(kind)s of %(qty)s %(uom)s "
                "(Inventory > Operations > Replenishment Suggestions).",
                kind=self.env._("purchase")
                if kind == "purchase"
                else self.env._("transfer"),
                qty=qty,
                uom=self.product_id.uom_id.name,
            )
        )
        return draft

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_suggestions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_virtual_stock.erp_replenishment_suggestion_action"
        )
        action["domain"] = [("alert_id", "=", self.id)]
        action["context"] = {}
        return action
