# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

import psycopg2

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, html2plaintext

_logger = logging.getLogger(__name__)

# states of an alert still waiting for its product
OPEN_STATES = ("open", "in_progress")


class ErpStockReplenishment(models.AbstractModel):
    """How a stock alert is replenished: a transfer from the warehouse with
    the largest surplus, or a procurement on the Buy route (a new or merged
    request for quotation). Inherited by ``erp.stock.alert``, whose fields
    (product, warehouse, rule, linked transfers and RFQs) it uses."""

    _name = "erp.stock.replenishment"
    _description = "Stock Alert Replenishment"

    # ------------------------------------------------------------------
    # Replenishment
    # ------------------------------------------------------------------

    def _get_pending_qty(self):
        """Quantity still on the way from the linked transfers and RFQs, in
        the product's unit."""
        self.ensure_one()
        qty = 0.0
        stock_locations = self.warehouse_id.view_location_id
        for move in self.picking_ids.move_ids:
            if (
                move.product_id == self.product_id
                and move.state not in ("done", "cancel")
                and move.location_dest_id._child_of(stock_locations)
            ):
                qty += move.product_qty
        for line in self.purchase_line_ids:
            if line.state == "cancel":
                continue
            ordered = line.product_uom._compute_quantity(
                line.product_qty, self.product_id.uom_id
            )
            received = line.product_uom._compute_quantity(
                line.qty_received, self.product_id.uom_id
            )
            qty += max(ordered - received, 0.0)
        return qty

    def _replenish(self, defer_conflicts=False):
        """Run each alert's action. One alert failing does not stop the
        others: each runs in a savepoint, a failure rolls back that alert's
        work only and lands in its note (``replenish_state`` failed).

        A conflict with a concurrent transaction (serialization failure,
        lock) is no failure of the alert: it is raised so that the whole
        transaction is retried, or with ``defer_conflicts`` (the job) the
        alert stays pending for the next run. Returns the deferred alerts."""
        deferred = self.browse()
        if not self:
            return deferred
        # our own transfers/RFQs must not re-trigger the alert being handled;
        # the next scan sees their effect
        alerts = self.with_context(erp_stock_alert_skip_trigger=True)
        surplus_map = alerts._get_surplus_map()
        for alert in alerts:
            # notes and messages are stored text that everyone following the
            # alert reads: write them in the company's language, whichever
            # job or user triggered the replenishment
            in_lang = alert.with_context(
                lang=alert.company_id.partner_id.lang or alert.env.lang
            )
            alert.replenish_state = "done"
            try:
                with self.env.cr.savepoint():
                    in_lang._replenish_one(surplus_map)
            except psycopg2.OperationalError:
                if not defer_conflicts:
                    raise
                _logger.info("Stock alert %s: replenishment deferred", alert.name)
                alert.replenish_state = "pending"
                deferred |= alert
            except UserError as error:
                _logger.info(
                    "Stock alert %s: replenishment failed: %s", alert.name, error
                )
                in_lang._report_problem(str(error))
            except Exception as error:
                _logger.exception("Stock alert %s: replenishment failed", alert.name)
                in_lang._report_problem(
                    in_lang.env._(
                        "The replenishment failed: %(error)s",
                        error=str(error) or type(error).__name__,
                    )
                )
        return deferred

    def _get_needed_qty(self):
        self.ensure_one()
        need = self.refill_qty or self.shortage_qty
        return max(need - self._get_pending_qty(), 0.0)

    def _replenish_one(self, surplus_map):
        self.ensure_one()
        action = self.threshold_id.action
        need = self._get_needed_qty()
        rounding = self.product_id.uom_id.rounding
        if float_is_zero(need, precision_rounding=rounding) or action == "notify":
            return
        if action in ("transfer", "transfer_then_purchase"):
            moved = self._replenish_by_transfer(need, surplus_map)
            need -= moved
            if action == "transfer" and not moved:
                self._report_problem(
                    self.env._(
                        "No warehouse of %(company)s has a surplus of %(product)s "
                        "to transfer.",
                        company=self.company_id.name,
                        product=self.product_id.display_name,
                    )
                )
        if (
            action in ("purchase", "transfer_then_purchase")
            and float_compare(need, 0.0, precision_rounding=rounding) > 0
        ):
            self._replenish_by_purchase(need)
        if (self.picking_ids or self.purchase_line_ids) and self.state == "open":
            self.state = "in_progress"

    def _report_problem(self, message):
        """Note the problem on the alert and ask the responsible users (or
        the rule's creator) to act, instead of crashing."""
        self.ensure_one()
        self.replenish_state = "failed"
        if html2plaintext(self.note or "").strip() == message.strip():
            return  # already reported: a retry must not flood the chatter
        self.note = message
        self.message_post(body=message)
        users = self.threshold_id.notify_user_ids or self.threshold_id.create_uid
        for user in users:
            # the summary comes from the activity type: in the user's language
            self.with_context(lang=user.lang or None).activity_schedule(
                "erp_virtual_stock.mail_activity_type_stock_alert",
                user_id=user.id,
                note=message,
            )

    def _get_surplus_map(self, actions=("transfer", "transfer_then_purchase")):
        """{(product_id, warehouse_id): surplus} for every warehouse of the
        alerts' companies that could give stock (set-based), for the alerts
        whose rule has one of ``actions`` (None: every alert)."""
        Threshold = self.env["erp.stock.threshold"]
        alerts = self.filtered(
            lambda a: actions is None or a.threshold_id.action in actions
        )
        result = {}
        for company, company_alerts in alerts.grouped("company_id").items():
            warehouses = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)]
            )
            product_ids = company_alerts.product_id.ids
            rules = Threshold._get_rule_map(warehouses, product_ids)
            for basis, basis_alerts in company_alerts.grouped(
                lambda a: a.threshold_id.basis
            ).items():
                qty_map = Threshold._get_quantity_map(
                    basis, warehouses, basis_alerts.product_id.ids
                )
                for product in basis_alerts.product_id:
                    for warehouse in warehouses:
                        key = (product.id, warehouse.id)
                        rule = rules.get(key)
                        keep = (rule.target_qty or rule.min_qty) if rule else 0.0
                        result[(basis, *key)] = qty_map.get(key, 0.0) - keep
        return result

    def _replenish_by_transfer(self, need, surplus_map):
        """Transfer from the same-company warehouse with the largest surplus.
        Returns the quantity transferred."""
        self.ensure_one()
        basis = self.threshold_id.basis
        candidates = [
            (surplus, wh_id)
            for (key_basis, product_id, wh_id), surplus in surplus_map.items()
            if key_basis == basis
            and product_id == self.product_id.id
            and wh_id != self.warehouse_id.id
            and surplus > 0
        ]
        if not candidates:
            return 0.0
        surplus, source_id = max(candidates)
        source = self.env["stock.warehouse"].browse(source_id)
        # whole pieces: the need rounded up, never more than the surplus
        Threshold = self.env["erp.stock.threshold"]
        qty = min(
            Threshold._round_to_unit(self.product_id, need),
            Threshold._round_to_unit(self.product_id, surplus, "DOWN"),
        )
        if (
            float_compare(qty, 0.0, precision_rounding=self.product_id.uom_id.rounding)
            <= 0
        ):
            return 0.0
        self._create_transfer(source, qty)
        surplus_map[(basis, self.product_id.id, source_id)] = surplus - qty
        return qty

    def _create_transfer(self, source, qty):
        """Move ``qty`` from ``source`` to the alert's warehouse.

        Uses the resupply route of the destination from ``source`` when it
        exists (Inventory > Configuration > Warehouses > Resupply From), so
        Odoo creates the delivery to transit and the receipt from transit;
        otherwise an internal transfer from the source's stock to the
        destination's stock.
        """
        self.ensure_one()
        dest = self.warehouse_id
        if source == dest:
            raise UserError(self.env._("A warehouse cannot transfer stock to itself."))
        if source.company_id != dest.company_id:
            raise UserError(
                self.env._(
                    "Stock cannot be transferred between warehouses of different "
                    "companies."
                )
            )
        group = self._get_procurement_group()
        product = self.product_id
        route = self._get_resupply_route(source)
        before = self.env["stock.picking"].search([("group_id", "=", group.id)])
        if route:
            procurement = self.env["procurement.group"].Procurement(
                product,
                qty,
                product.uom_id,
                dest.lot_stock_id,
                self.name,
                self.name,
                dest.company_id,
                {
                    "warehouse_id": dest,
                    "route_ids": route,
                    "group_id": group,
                    "date_planned": fields.Datetime.now(),
                },
            )
            self.env["procurement.group"].run([procurement])
            pickings = (
                self.env["stock.picking"].search([("group_id", "=", group.id)]) - before
            )
        else:
            pickings = self.env["stock.picking"].create(
                {
                    "picking_type_id": source.int_type_id.id,
                    "location_id": source.lot_stock_id.id,
                    "location_dest_id": dest.lot_stock_id.id,
                    "origin": self.name,
                    "group_id": group.id,
                    "company_id": dest.company_id.id,
                    "move_ids": [
                        fields.Command.create(
                            {
                                "name": self.name,
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "product_uom": product.uom_id.id,
                                "location_id": source.lot_stock_id.id,
                                "location_dest_id": dest.lot_stock_id.id,
                                "warehouse_id": dest.id,
                                "group_id": group.id,
                            }
                        )
                    ],
                }
            )
            pickings.action_confirm()
        self.picking_ids = [fields.Command.link(p.id) for p in pickings]
        self.message_post(
            body=self.env._(
                "Transfer of %(qty)s %(uom)s from %(warehouse)s created: %(pickings)s.",
                qty=qty,
                uom=product.uom_id.name,
                warehouse=source.display_name,
                pickings=", ".join(pickings.mapped("name")),
            )
        )
        return pickings

    def _get_resupply_route(self, source):
        """The alert's warehouse's active resupply route from ``source``."""
        self.ensure_one()
        routes = self.warehouse_id.resupply_route_ids
        return routes.filtered(lambda r: r.supplier_wh_id == source and r.active)[:1]

    def _get_procurement_group(self):
        self.ensure_one()
        if not self.procurement_group_id:
            self.procurement_group_id = self.env["procurement.group"].create(
                {"name": self.name, "move_type": "direct"}
            )
        return self.procurement_group_id

    def _get_purchase_qty(self, need, seller):
        """Round the need up to the product's unit (whole pieces), then honour
        the vendor's minimum quantity and the purchase packaging."""
        product = self.product_id
        qty = self.env["erp.stock.threshold"]._round_to_unit(product, need)
        if seller:
            min_qty = seller.product_uom._compute_quantity(
                seller.min_qty, product.uom_id
            )
            qty = max(qty, min_qty)
        packaging = product.packaging_ids.filtered(
            lambda p: p.purchase and p.qty > 0
        ).sorted("qty")[:1]
        if packaging:
            qty = packaging._check_qty(qty, product.uom_id, "UP")
        return qty

    def _get_replenishment_seller(self):
        """The vendor line the alert buys from: the product's usual vendor,
        else its first vendor of the alert's company; a clear error when the
        product has none."""
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        seller = (
            product._select_seller(quantity=None, uom_id=product.uom_id)
            or product._prepare_sellers(False).filtered(
                lambda s: not s.company_id or s.company_id == self.company_id
            )[:1]
        )
        if not seller:
            raise UserError(
                self.env._(
                    "%(product)s has no vendor: add one on the product's Purchase "
                    "tab, then click Replenish on the alert.",
                    product=product.display_name,
                )
            )
        return seller

    def _replenish_by_purchase(self, need):
        """Run a procurement on the buy route: purchase_stock creates or
        merges the RFQ of the product's vendor."""
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        warehouse = self.warehouse_id
        seller = self._get_replenishment_seller()
        buy_route = warehouse.buy_pull_id.route_id or self.env.ref(
            "purchase_stock.route_warehouse0_buy", raise_if_not_found=False
        )
        if not buy_route:
            raise UserError(self.env._("The Buy route is missing."))
        qty = self._get_purchase_qty(need, seller)
        Line = self.env["purchase.order.line"]
        line_domain = [
            ("product_id", "=", product.id),
            ("order_id.state", "=", "draft"),
            ("company_id", "=", self.company_id.id),
        ]
        before = {line.id: line.product_qty for line in Line.search(line_domain)}
        procurement = self.env["procurement.group"].Procurement(
            product,
            qty,
            product.uom_id,
            warehouse.lot_stock_id,
            self.name,
            self.name,
            self.company_id,
            {
                "warehouse_id": warehouse,
                "route_ids": buy_route,
                "supplierinfo_id": seller,
                "date_planned": fields.Datetime.now() + timedelta(days=seller.delay),
                "orderpoint_id": self.env["stock.warehouse.orderpoint"],
                "move_dest_ids": self.env["stock.move"],
            },
        )
        self.env["procurement.group"].run([procurement])
        lines = Line.search(line_domain).filtered(
            lambda line: line.id not in before or line.product_qty != before[line.id]
        )
        self.purchase_line_ids = [fields.Command.link(line.id) for line in lines]
        self.message_post(
            body=self.env._(
                "Procurement of %(qty)s %(uom)s run on the Buy route: %(orders)s.",
                qty=qty,
                uom=product.uom_id.name,
                orders=", ".join(lines.order_id.mapped("name")),
            )
        )
        return lines
