# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # The availability figures are computed as superuser (compute_sudo, as
    # Odoo computes its stored fields): they come from the engine's read of
    # the warehouse, which is done as superuser anyway (_compute_erp_supply);
    # computed as the user, the first read of the line's product in a request
    # also evaluated the product's record rules, for nothing.
    virtual_stock_qty = fields.Float(
        "Virtual Stock",
        compute="_compute_erp_virtual_stock",
        compute_sudo=True,
        digits="Product Unit of Measure",
        help="Virtual stock of the product in the line's warehouse.",
    )
    availability_state = fields.Selection(
        [
            ("available", "Available"),
            ("partial", "Partially Available"),
            ("unavailable", "Unavailable"),
        ],
        compute="_compute_erp_virtual_stock",
        compute_sudo=True,
        help="Whether the virtual stock covers the quantity of the line.",
    )
    promise_date = fields.Date(
        compute="_compute_erp_virtual_stock",
        compute_sudo=True,
        help="Earliest day the full quantity is available, from on hand stock, "
        "incoming moves by date (within the warehouse horizon) and manual "
        "entries by their dates. When the known supply does not cover the "
        "full quantity (partially available), the day the available part is "
        "there; the shortfall is shown in the banner. Empty when nothing is "
        "available.",
    )
    shortage_qty = fields.Float(
        "Shortfall",
        compute="_compute_erp_virtual_stock",
        compute_sudo=True,
        digits="Product Unit of Measure",
        help="Quantity of the line (in the product's unit) not covered by the "
        "virtual stock.",
    )
    shortage_arrival_qty = fields.Float(
        "Expected to Arrive",
        compute="_compute_erp_virtual_stock",
        compute_sudo=True,
        digits="Product Unit of Measure",
        help="Part of the shortfall covered by supply planned after today "
        "that the virtual stock does not count yet (e.g. manual entries "
        "starting later).",
    )
    shortage_arrival_date = fields.Date(
        "Expected Arrival",
        compute="_compute_erp_virtual_stock",
        compute_sudo=True,
        help="Day the planned supply of the shortfall is in; empty when no "
        "replenishment is planned.",
    )

    erp_supply = fields.Json(
        "Supply of the Line's Product",
        compute="_compute_erp_supply",
        compute_sudo=True,
        # the stock figures behind the availability: for the company's own
        # users, not for portal customers reading their order lines
        groups="base.group_user",
        help="What the virtual-stock engine knows of the product in the line's "
        "warehouse (its components, the supply still to come by date and the "
        "stock the demand forecast keeps back), from which the availability "
        "and the promise date are computed. A change of quantity in the form "
        "reuses it instead of asking the engine again.",
    )

    # what the line's warehouse is computed from (sale_stock), without the
    # packaging it also lists: a change of quantity recomputes the packaging
    # and would ask the engine again for the same warehouse. A confirmation,
    # a cancellation and a delivery change the supply (state, qty_delivered);
    # a new quantity of a confirmed line does too (see write)
    @api.depends(
        "product_id",
        "display_type",
        "route_id",
        "order_id.warehouse_id",
        "order_id.partner_shipping_id",
        "state",
        "qty_delivered",
    )
    def _compute_erp_supply(self):
        lines = self.filtered(
            lambda line: line.product_id.is_storable
            and line.warehouse_id
            and not line.display_type
        )
        (self - lines).erp_supply = False
        if not lines:
            return
        # sudo: a salesman sees the true virtual stock of the warehouse even
        # if he may not read every quant, move or manual entry behind it
        Product = self.env["product.product"].sudo()
        # the components and the supply timeline in one statement
        components, timeline = Product._erp_virtual_stock_with_timeline(
            lines.warehouse_id._origin.sudo(), lines.product_id._origin.sudo()
        )
        # the user's day the supply is read on: promise dates count from it
        today = fields.Date.context_today(self)
        empty = {"future_incoming": 0.0, "events": []}
        pairs = {
            line: (line.product_id._origin.id, line.warehouse_id._origin.id)
            for line in lines
        }
        # what the forecast keeps back does not depend on the line's
        # quantity: read with the supply, not again on every change of
        # quantity; nothing to keep back (and no forecast to read) where no
        # stock is there today
        stocked = lines.filtered(
            lambda line: Product._erp_virtual_stock_total(
                components.get(pairs[line], {})
            )
            > timeline.get(pairs[line], empty)["future_incoming"]
        )
        reserved = stocked._erp_forecast_reserved(timeline, today) if stocked else {}
        for line in lines:
            pair = pairs[line]
            supply = timeline.get(pair, empty)
            line.erp_supply = {
                "today": fields.Date.to_string(today),
                "components": components.get(pair, {}),
                "future_incoming": supply["future_incoming"],
                # the dates as ISO text: the value goes to the web client and
                # comes back with the next change of the line
                "events": [
                    [fields.Date.to_string(day), qty] for day, qty in supply["events"]
                ],
                "forecast_reserved": reserved.get(line, 0.0),
            }

    @api.depends(
        "erp_supply",
        "product_uom_qty",
        "product_uom",
        "state",
        "qty_delivered",
    )
    def _compute_erp_virtual_stock(self):
        # the lines with a storable product in a warehouse: those with a supply
        lines = self.filtered("erp_supply")
        (self - lines).update(
            {
                "virtual_stock_qty": 0.0,
                "availability_state": False,
                "promise_date": False,
                "shortage_qty": 0.0,
                "shortage_arrival_qty": 0.0,
                "shortage_arrival_date": False,
            }
        )
        if not lines:
            return
        Product = self.env["product.product"]
        # the day of the supply the lines hold (not read again: the user's
        # timezone is a read of the user and his partner)
        today = max(
            fields.Date.to_date(line.erp_supply.get("today"))
            or fields.Date.context_today(self)
            for line in lines
        )
        figures = {}
        timeline = {}
        for line in lines:
            pair = (line.product_id._origin.id, line.warehouse_id._origin.id)
            supply = line.erp_supply
            events = timeline[pair] = {
                "future_incoming": supply["future_incoming"],
                "events": [
                    (fields.Date.to_date(day), qty) for day, qty in supply["events"]
                ],
            }
            virtual = Product._erp_virtual_stock_total(supply["components"])
            line.virtual_stock_qty = virtual
            need = line._erp_qty_in_product_uom()
            available = virtual
            if line.state == "sale" and line._origin:
                # the line's own open demand is already in the committed qty
                delivered = line.product_uom._compute_quantity(
                    line.qty_delivered, line.product_id.uom_id, round=False
                )
                need = max(need - delivered, 0.0)
                available += need
            rounding = line.product_id.uom_id.rounding
            if float_compare(available, need, precision_rounding=rounding) >= 0:
                line.availability_state = "available"
            elif float_compare(available, 0.0, precision_rounding=rounding) > 0:
                line.availability_state = "partial"
            else:
                line.availability_state = "unavailable"
            base = available - events["future_incoming"]
            figures[line] = (available, need, base, events["events"])
        # the forecast keeps back part of the stock there today (read with
        # the supply; read here for a supply given without it)
        unread = lines.filtered(
            lambda line: "forecast_reserved" not in line.erp_supply
            and figures[line][2] > 0
        )
        reserved = unread._erp_forecast_reserved(timeline, today) if unread else {}
        for line, (available, need, base, events) in figures.items():
            kept = min(
                reserved.get(line, line.erp_supply.get("forecast_reserved", 0.0)),
                max(base, 0.0),
            )
            line.update(
                line._erp_promise_values(
                    available - kept, need, base - kept, events, today
                )
            )

    @api.model
    def _erp_promise_date(self, base, need, events, today, rounding):
        """Earliest day from which the cumulative supply stays >= ``need``.

        ``base``: quantity available today; ``events``: [(date, qty)]."""
        running = base
        candidate = (
            today
            if float_compare(running, need, precision_rounding=rounding) >= 0
            else None
        )
        for day, qty in sorted(events):
            running += qty
            covered = float_compare(running, need, precision_rounding=rounding) >= 0
            if covered and candidate is None:
                candidate = max(day, today)
            elif not covered:
                candidate = None
        return candidate or False

    # ------------------------------------------------------------------
    # Changes of confirmed orders
    # ------------------------------------------------------------------
    def _erp_pairs(self):
        return {
            (line.product_id.id, line.warehouse_id.id)
            for line in self
            if line.product_id.is_storable
            and line.warehouse_id
            and not line.display_type
        }

    @api.model_create_multi
    def create(self, vals_list):
        ledger = self.env["erp.virtual.stock.ledger"]
        if ledger._erp_current_operation() is not None:
            return super().create(vals_list)
        order_ids = {vals.get("order_id") for vals in vals_list}
        orders = self.env["sale.order"].browse(order_ids - {None, False})
        if not orders.filtered(lambda o: o.state == "sale"):
            return super().create(vals_list)
        with ledger._erp_operation("order_changed", source=orders[:1]) as operation:
            product_ids = [vals.get("product_id") for vals in vals_list]
            products = self.env["product.product"].browse(
                [pid for pid in product_ids if pid]
            )
            pairs = {
                (product.id, warehouse.id)
                for product in products.filtered("is_storable")
                for warehouse in orders.warehouse_id
            }
            operation.bind(ledger)._erp_watch(pairs)
            lines = super(SaleOrderLine, operation.bind(self)).create(vals_list)
            confirmed = lines.filtered(lambda line: line.state == "sale")
            self._erp_check_increase(
                confirmed, dict.fromkeys(confirmed, 0.0), operation
            )
            return lines

    def write(self, vals):
        ledger = self.env["erp.virtual.stock.ledger"]
        if (
            "product_uom_qty" not in vals and "product_uom" not in vals
        ) or ledger._erp_current_operation() is not None:
            return super().write(vals)
        confirmed = self.filtered(lambda line: line.state == "sale")
        if not confirmed:
            return super().write(vals)
        previous = {line: line._erp_qty_in_product_uom() for line in confirmed}
        with ledger._erp_operation(
            "order_changed",
            source=confirmed.order_id[:1],
            pairs=confirmed._erp_pairs(),
            sources={
                (line.product_id.id, line.warehouse_id.id): line.order_id
                for line in confirmed
            },
        ) as operation:
            res = super(SaleOrderLine, operation.bind(self)).write(vals)
            # their own demand is in the supply they hold: read it again
            confirmed.invalidate_recordset(["erp_supply"])
            self._erp_check_increase(confirmed, previous, operation)
            return res

    @api.model
    def _erp_check_increase(self, lines, previous, operation):
        demand = defaultdict(lambda: [0.0, self.env["sale.order.line"]])
        for line in lines:
            if not (line.product_id.is_storable and line.warehouse_id):
                continue
            increase = line._erp_qty_in_product_uom() - previous.get(line, 0.0)
            if increase > 0:
                pair = (line.product_id.id, line.warehouse_id.id)
                demand[pair][0] += increase
                demand[pair][1] |= line
        if demand:
            self._erp_check_policy(
                {pair: tuple(values) for pair, values in demand.items()},
                operation.before,
            )

    def _erp_qty_in_product_uom(self):
        self.ensure_one()
        return self.product_uom._compute_quantity(
            self.product_uom_qty, self.product_id.uom_id, round=False
        )

    def _erp_shortage_text(self, asked, available):
        self.ensure_one()
        return self.env._(
            "%(order)s - %(product)s: %(asked)s %(uom)s asked, %(available)s "
            "available in the virtual stock of %(warehouse)s",
            order=self.order_id.name,
            product=self.product_id.display_name,
            asked=self._erp_format_qty(asked),
            available=self._erp_format_qty(available),
            uom=self.product_id.uom_id.name,
            warehouse=self.warehouse_id.name,
        )

    @api.model
    def _erp_check_policy(self, demand, available_map):
        """Raise for the pairs of ``block`` warehouses whose demand exceeds
        the virtual stock. ``demand``: {pair: (qty, lines)}."""
        messages = []
        warehouses = self.env["stock.warehouse"].browse({w for _p, w in demand})
        blocking = set(
            warehouses.filtered(lambda w: w.virtual_stock_policy == "block").ids
        )
        for pair, (qty, lines) in demand.items():
            if pair[1] not in blocking:
                continue
            available = available_map.get(pair, 0.0)
            rounding = lines[:1].product_id.uom_id.rounding
            if float_compare(qty, available, precision_rounding=rounding) > 0:
                messages.extend(
                    line._erp_shortage_text(line._erp_qty_in_product_uom(), available)
                    for line in lines
                )
        if messages:
            raise UserError(
                self.env._(
                    "Not enough virtual stock to confirm:\n%(lines)s",
                    lines="\n".join(messages),
                )
            )
