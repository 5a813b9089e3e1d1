# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .erp_stock_replenishment import OPEN_STATES

THRESHOLD_GROUP = "erp_virtual_stock.erp_virtual_stock_group_user"


class StockWarehouseOrderpoint(models.Model):
    """Odoo's reordering rules (the Replenishment screen) show the stock
    threshold that watches the same product and warehouse and its open alert,
    and convert into a threshold and back."""

    _inherit = "stock.warehouse.orderpoint"

    # for the addon's users only: a standard Inventory user without them
    # keeps the Replenishment screen as it is
    erp_threshold_id = fields.Many2one(
        "erp.stock.threshold",
        string="Stock Threshold",
        compute="_compute_erp_threshold",
        search="_search_erp_threshold_id",
        groups=THRESHOLD_GROUP,
        help="The active stock threshold that watches this product in this "
        "warehouse (the most specific one).",
    )
    erp_alert_id = fields.Many2one(
        "erp.stock.alert",
        string="Open Stock Alert",
        compute="_compute_erp_threshold",
        search="_search_erp_alert_id",
        groups=THRESHOLD_GROUP,
        help="The open shortage alert of the threshold for this product and "
        "warehouse.",
    )
    erp_alert_refill_qty = fields.Float(
        string="Threshold Need",
        compute="_compute_erp_threshold",
        digits="Product Unit of Measure",
        groups=THRESHOLD_GROUP,
        help="Quantity the open alert asks for to refill the warehouse up to "
        "the threshold's target.",
    )
    erp_converted_threshold_id = fields.Many2one(
        "erp.stock.threshold",
        string="Converted Threshold",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="set null",
        groups=THRESHOLD_GROUP,
        help="The stock threshold this reordering rule was converted from, or into.",
    )

    @api.depends("product_id", "warehouse_id")
    @api.depends_context("company")
    def _compute_erp_threshold(self):
        Threshold = self.env["erp.stock.threshold"]
        rules = {}
        for warehouse, orderpoints in self.grouped("warehouse_id").items():
            if warehouse:
                rules.update(
                    Threshold._get_rule_map(warehouse, orderpoints.product_id.ids)
                )
        alerts = {}
        for alert in self.env["erp.stock.alert"].search(
            [
                ("product_id", "in", self.product_id.ids),
                ("warehouse_id", "in", self.warehouse_id.ids),
                ("state", "in", OPEN_STATES),
                ("alert_type", "=", "shortage"),
            ],
            order="id",
        ):
            alerts[(alert.product_id.id, alert.warehouse_id.id)] = alert
        for orderpoint in self:
            key = (orderpoint.product_id.id, orderpoint.warehouse_id.id)
            alert = alerts.get(key, self.env["erp.stock.alert"])
            orderpoint.erp_threshold_id = rules.get(key, Threshold)
            orderpoint.erp_alert_id = alert
            orderpoint.erp_alert_refill_qty = alert.refill_qty or alert.shortage_qty

    def _search_erp_pairs(self, operator, value, query):
        """Domain on the orderpoints whose (product, warehouse) ``query``
        (SQL over ``op``, the orderpoint) finds; only "is set" and "is not
        set" are supported."""
        if operator not in ("=", "!=") or value is not False:
            raise UserError(self.env._("Unsupported search on a stock threshold."))
        self.env["stock.warehouse.orderpoint"].flush_model(
            ["product_id", "warehouse_id"]
        )
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL("SELECT op.id FROM stock_warehouse_orderpoint op WHERE %s", query)
            )
        ]
        return [("id", "in" if operator == "!=" else "not in", ids)]

    def _search_erp_threshold_id(self, operator, value):
        for model in ("erp.stock.threshold", "product.product", "product.template"):
            self.env[model].flush_model()
        self.env["product.category"].flush_model(["parent_path"])
        company_ids = self.env.companies.ids
        return self._search_erp_pairs(
            operator,
            value,
            SQL(
                "EXISTS (SELECT 1 FROM erp_stock_threshold t"
                " JOIN product_product pp ON pp.id = op.product_id"
                " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                " JOIN product_category pc ON pc.id = pt.categ_id"
                " LEFT JOIN product_category tc ON tc.id = t.product_categ_id"
                " WHERE t.active AND t.warehouse_id = op.warehouse_id"
                " AND t.company_id IN %(companies)s"
                " AND (t.product_id = op.product_id"
                "  OR (t.product_id IS NULL AND t.product_categ_id IS NULL)"
                "  OR (t.product_id IS NULL"
                "   AND pc.parent_path LIKE tc.parent_path || %(any)s)))",
                companies=tuple(company_ids),
                any="%",
            ),
        )

    def _search_erp_alert_id(self, operator, value):
        self.env["erp.stock.alert"].flush_model(
            ["product_id", "warehouse_id", "state", "alert_type"]
        )
        return self._search_erp_pairs(
            operator,
            value,
            SQL(
                "EXISTS (SELECT 1 FROM erp_stock_alert a"
                " WHERE a.product_id = op.product_id"
                " AND a.warehouse_id = op.warehouse_id"
                " AND a.state IN %(states)s AND a.alert_type = 'shortage'"
                " AND a.company_id IN %(companies)s)",
                states=OPEN_STATES,
                companies=tuple(self.env.companies.ids),
            ),
        )

    def action_open_erp_threshold(self):
        """Open the threshold watching this product and warehouse."""
        self.ensure_one()
        if not self.erp_threshold_id:
            raise UserError(
                self.env._(
                    "No stock threshold watches %(product)s in %(warehouse)s.",
                    product=self.product_id.display_name,
                    warehouse=self.warehouse_id.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "erp.stock.threshold",
            "res_id": self.erp_threshold_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_convert_to_erp_threshold(self):
        """Replace each reordering rule by a stock threshold of its product
        and warehouse (minimum and target from the rule's min and max): the
        threshold it was converted from is reactivated when there is one,
        otherwise a new one is created. The rule is archived, not deleted,
        and linked to the threshold both ways."""
        Threshold = self.env["erp.stock.threshold"]
        thresholds = Threshold
        for orderpoint in self.filtered("active"):
            # both count in the product's unit
            values = {
                "min_qty": orderpoint.product_min_qty,
                "target_qty": orderpoint.product_max_qty,
            }
            threshold = orderpoint.erp_converted_threshold_id
            if (
                threshold
                and threshold.product_id == orderpoint.product_id
                and threshold.warehouse_id == orderpoint.warehouse_id
            ):
                threshold.write({**values, "active": True})
            else:
                threshold = Threshold.create(
                    {
                        **values,
                        "name": self.env._(
                            "%(product)s in %(warehouse)s",
                            product=orderpoint.product_id.display_name,
                            warehouse=orderpoint.warehouse_id.code,
                        ),
                        "product_id": orderpoint.product_id.id,
                        "warehouse_id": orderpoint.warehouse_id.id,
                        "company_id": orderpoint.company_id.id,
                        # what the rule compares: Odoo's forecast
                        "basis": "forecast",
                        "action": "purchase"
                        if orderpoint.trigger == "auto"
                        else "notify",
                    }
                )
            orderpoint.erp_converted_threshold_id = threshold
            thresholds |= threshold
        self.filtered("active").active = False
        return thresholds._action_open_converted()
