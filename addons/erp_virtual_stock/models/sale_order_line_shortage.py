# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero, float_round, format_date
from odoo.tools.misc import formatLang


class SaleOrderLine(models.Model):
    """What an order line lacks and what happens next: the shortfall, the
    planned supply of it and the note of the quotation banner."""

    _inherit = "sale.order.line"  # pylint: disable=consider-merging-classes-inherited

    availability_note = fields.Char(
        compute="_compute_availability_note",
        # as superuser, as the figures it is made of (see sale_order_line.py)
        compute_sudo=True,
        help="The shortfall of the line and when it is expected, or that no "
        "replenishment is planned.",
    )

    @api.depends(
        "shortage_qty",
        "shortage_arrival_qty",
        "shortage_arrival_date",
        "product_id",
    )
    def _compute_availability_note(self):
        for line in self:
            line.availability_note = (
                line._erp_availability_note() if line.shortage_qty else False
            )

    def _erp_promise_values(self, available, need, base, events, today):
        """Promise date and shortfall of the line: ``available`` is the
        virtual stock for the line, ``need`` its quantity (product UoM),
        ``base`` the quantity there today and ``events`` the supply timeline
        of the engine ([(date, qty)], ``_erp_supply_timeline``)."""
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding
        promise = self._erp_promise_date(base, need, events, today, rounding)
        values = {
            "promise_date": promise,
            "shortage_qty": 0.0,
            "shortage_arrival_qty": 0.0,
            "shortage_arrival_date": False,
        }
        if float_compare(available, need, precision_rounding=rounding) >= 0:
            return values
        shortage = float_round(need - max(available, 0.0), precision_rounding=rounding)
        values["shortage_qty"] = shortage
        if promise:
            # supply the virtual stock does not count yet covers it all
            values["shortage_arrival_qty"] = shortage
            values["shortage_arrival_date"] = promise
            return values
        final = base + sum(qty for _day, qty in events)
        coming = min(max(final, 0.0) - max(available, 0.0), shortage)
        if float_compare(coming, 0.0, precision_rounding=rounding) > 0:
            values["shortage_arrival_qty"] = float_round(
                coming, precision_rounding=rounding
            )
            values["shortage_arrival_date"] = self._erp_promise_date(
                base, final, events, today, rounding
            )
        if float_compare(available, 0.0, precision_rounding=rounding) > 0:
            # partially available: the day the available part is there
            values["promise_date"] = self._erp_promise_date(
                base, min(available, need), events, today, rounding
            )
        return values

    def _erp_format_qty(self, qty):
        """``qty`` in the digits of the product's unit of measure, without
        trailing zeros (3, not 3.00; 2.5 kg)."""
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding or 0.01
        digits = 0
        while digits < 6 and not float_is_zero(
            qty - round(qty, digits), precision_rounding=rounding
        ):
            digits += 1
        return formatLang(self.env, qty, digits=digits)

    def _erp_format_day(self, day):
        """MM-DD (with the year when it is not the current one)."""
        this_year = fields.Date.context_today(self).year
        return format_date(
            self.env,
            day,
            date_format="MM-dd" if day.year == this_year else "yyyy-MM-dd",
        )

    def _erp_availability_note(self):
        self.ensure_one()
        values = {
            # the product's own name and reference: without the customer of
            # the order, which makes the name look for the customer's
            # product codes (one read of the partner and one of supplier
            # info on every change of quantity)
            "product": self.product_id.with_context(partner_id=False).display_name,
            "qty": self._erp_format_qty(self.shortage_qty),
            "uom": self.product_id.uom_id.name,
        }
        if not self.shortage_arrival_date:
            return self.env._(
                "%(product)s: %(qty)s %(uom)s short, no replenishment planned",
                **values,
            )
        values["date"] = self._erp_format_day(self.shortage_arrival_date)
        rounding = self.product_id.uom_id.rounding
        if (
            float_compare(
                self.shortage_arrival_qty,
                self.shortage_qty,
                precision_rounding=rounding,
            )
            >= 0
        ):
            return self.env._(
                "%(product)s: %(qty)s %(uom)s short, expected on %(date)s", **values
            )
        return self.env._(
            "%(product)s: %(qty)s %(uom)s short, %(arrival)s %(uom)s expected on "
            "%(date)s, no replenishment planned for the rest",
            arrival=self._erp_format_qty(self.shortage_arrival_qty),
            **values,
        )

    def action_erp_open_forecast(self):
        """Odoo's forecast of the products of the lines in their warehouse
        (a list of the products when there are several)."""
        products = self.product_id
        warehouse = self.warehouse_id[:1]
        if len(products) == 1:
            action = self.env["ir.actions.actions"]._for_xml_id(
                "stock.stock_forecasted_product_product_action"
            )
            action["context"] = {
                "active_model": "product.product",
                "active_id": products.id,
                "warehouse_id": warehouse.id,
            }
            return action
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Products Short"),
            "res_model": "product.product",
            "view_mode": "list,form",
            "domain": [("id", "in", products.ids)],
            "context": {"warehouse_id": warehouse.id},
        }
