# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ErpStockThreshold(models.Model):
    """A threshold and Odoo's reordering rules: the rules of the same
    products and warehouse (opened in the Replenishment screen), and the
    conversion of thresholds into reordering rules."""

    _inherit = "erp.stock.threshold"  # pylint: disable=consider-merging-classes-inherited

    orderpoint_count = fields.Integer(
        string="Reordering Rules",
        compute="_compute_orderpoint_count",
        help="Odoo reordering rules of the products this threshold watches, in "
        "its warehouse.",
    )
    converted_orderpoint_ids = fields.One2many(
        "stock.warehouse.orderpoint",
        "erp_converted_threshold_id",
        string="Converted Reordering Rules",
        context={"active_test": False},
        readonly=True,
        help="Reordering rules this threshold was converted into, or from.",
    )

    def _get_orderpoint_domain(self):
        """Domain of the reordering rules of the threshold's products in its
        warehouse."""
        self.ensure_one()
        domain = [("warehouse_id", "=", self.warehouse_id.id)]
        if self.product_id:
            domain.append(("product_id", "=", self.product_id.id))
        elif self.product_categ_id:
            domain.append(("product_id.categ_id", "child_of", self.product_categ_id.id))
        return domain

    @api.depends("product_id", "product_categ_id", "warehouse_id")
    def _compute_orderpoint_count(self):
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        for rule in self:
            rule.orderpoint_count = (
                Orderpoint.search_count(rule._get_orderpoint_domain())
                if rule.warehouse_id
                else 0
            )

    def action_view_orderpoints(self):
        """Odoo's Replenishment screen, on the rules of this threshold's
        products and warehouse."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_orderpoint_replenish"
        )
        action["domain"] = self._get_orderpoint_domain()
        action["context"] = {"search_default_filter_to_reorder": 0}
        return action

    def _action_open_converted(self):
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Stock Thresholds"),
            "res_model": "erp.stock.threshold",
            "domain": [("id", "in", self.ids)],
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
        }
        return action

    def _get_conversion_products(self):
        """Storable products a threshold converts into reordering rules."""
        self.ensure_one()
        if self.product_id:
            return self.product_id
        if not self.product_categ_id:
            raise UserError(
                self.env._(
                    "Stock threshold %(rule)s watches every product: convert "
                    "thresholds of a product or a category only.",
                    rule=self.display_name,
                )
            )
        return self.env["product.product"].search(
            [
                ("categ_id", "child_of", self.product_categ_id.id),
                ("is_storable", "=", True),
                ("company_id", "in", (False, self.company_id.id)),
            ]
        )

    def action_convert_to_orderpoint(self):
        """Replace each threshold by Odoo reordering rules (one per product,
        at the warehouse's stock location; min and max from the threshold's
        minimum and target, automatic when the threshold buys or transfers).
        Reordering rules count in the product's unit, as thresholds do.
        A rule already there is updated (reactivated when archived). The
        threshold is archived, not deleted, so its alerts stay with it, and
        the rules are linked to it."""
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_context(
            active_test=False
        )
        orderpoints = Orderpoint
        for rule in self.filtered("active"):
            products = rule._get_conversion_products()
            location = rule.warehouse_id.lot_stock_id
            existing = {
                op.product_id: op
                for op in Orderpoint.search(
                    [
                        ("product_id", "in", products.ids),
                        ("location_id", "=", location.id),
                        ("company_id", "=", rule.company_id.id),
                    ]
                )
            }
            values = {
                "product_min_qty": rule.min_qty,
                "product_max_qty": rule.target_qty,
                "trigger": "manual" if rule.action == "notify" else "auto",
                "erp_converted_threshold_id": rule.id,
                "active": True,
            }
            to_create = []
            for product in products:
                if product in existing:
                    existing[product].write(values)
                    orderpoints |= existing[product]
                else:
                    to_create.append(
                        {
                            **values,
                            "product_id": product.id,
                            "warehouse_id": rule.warehouse_id.id,
                            "location_id": location.id,
                            "company_id": rule.company_id.id,
                        }
                    )
            orderpoints |= Orderpoint.create(to_create)
            rule.active = False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reordering Rules"),
            "res_model": "stock.warehouse.orderpoint",
            "domain": [("id", "in", orderpoints.ids)],
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
        }
