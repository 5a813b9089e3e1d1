# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_round


class ErpStockThreshold(models.Model):
    _name = "erp.stock.threshold"
    _description = "Stock Threshold Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="Warehouse whose stock this rule watches.",
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_storable', '=', True)]",
        help="Leave empty to apply the rule to a category or to every storable "
        "product.",
    )
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index=True,
        ondelete="cascade",
        help="Apply the rule to every storable product of this category and its "
        "sub-categories. Ignored when a product is set.",
    )
    scope = fields.Selection(
        [("product", "Product"), ("category", "Category"), ("all", "All Products")],
        compute="_compute_scope",
        store=True,
        help="Most specific scope wins: product, then category, then all products.",
    )
    basis = fields.Selection(
        [
            ("virtual_stock", "Virtual Stock"),
            ("on_hand", "On Hand"),
            ("forecast", "Forecasted"),
        ],
        required=True,
        default="virtual_stock",
        help="Quantity compared with the minimum: the virtual stock, the physical "
        "quantity on hand or Odoo's forecasted quantity of the warehouse.",
    )
    # quantities of one product each: a group of rules does not sum them
    min_qty = fields.Float(
        string="Minimum Quantity",
        digits="Product Unit of Measure",
        aggregator=False,
        required=True,
        default=0.0,
        help="An alert is raised when the quantity falls below this value.",
    )
    target_qty = fields.Float(
        string="Target Quantity",
        digits="Product Unit of Measure",
        aggregator=False,
        required=True,
        default=0.0,
        help="Replenishment refills the warehouse up to this quantity.",
    )
    max_qty = fields.Float(
        string="Maximum Quantity",
        digits="Product Unit of Measure",
        aggregator=False,
        default=0.0,
        help="Optional: above this quantity an overstock alert suggests moving "
        "the excess to the warehouse that lacks the product most; quantities "
        "computed from the demand never exceed it. 0: no maximum.",
    )
    action = fields.Selection(
        [
            ("notify", "Notify Only"),
            ("transfer", "Transfer from Another Warehouse"),
            ("purchase", "Purchase"),
            ("transfer_then_purchase", "Transfer, then Purchase the Rest"),
        ],
        required=True,
        default="notify",
        help="What the system does when an alert is raised.",
    )
    notify_user_ids = fields.Many2many(
        "res.users",
        string="Responsible Users",
        help="Users who receive an activity and an email for each alert.",
    )
    alert_ids = fields.One2many("erp.stock.alert", "threshold_id")
    open_alert_count = fields.Integer(compute="_compute_open_alert_count")

    _sql_constraints = [
        (
            "min_qty_positive",
            "CHECK(min_qty >= 0)",
            "The minimum quantity of a stock threshold cannot be negative.",
        ),
        (
            "target_qty_above_min",
            "CHECK(target_qty >= min_qty)",
            "The target quantity of a stock threshold must be greater than or "
            "equal to its minimum quantity.",
        ),
        (
            "max_qty_above_target",
            "CHECK(max_qty = 0 OR max_qty >= target_qty)",
            "The maximum quantity of a stock threshold must be 0 (none) or "
            "greater than or equal to its target quantity.",
        ),
    ]

    @api.depends("product_id", "product_categ_id")
    def _compute_scope(self):
        for rule in self:
            if rule.product_id:
                rule.scope = "product"
            elif rule.product_categ_id:
                rule.scope = "category"
            else:
                rule.scope = "all"

    def _compute_open_alert_count(self):
        counts = dict(
            self.env["erp.stock.alert"]._read_group(
                [
                    ("threshold_id", "in", self.ids),
                    ("state", "in", ("open", "in_progress")),
                ],
                groupby=["threshold_id"],
                aggregates=["__count"],
            )
        )
        for rule in self:
            rule.open_alert_count = counts.get(rule, 0)

    @api.constrains("min_qty", "target_qty")
    def _check_quantities(self):
        for rule in self:
            if rule.min_qty < 0 or rule.target_qty < rule.min_qty:
                raise ValidationError(
                    self.env._(
                        "Stock threshold %(rule)s: the quantities must satisfy "
                        "0 <= minimum <= target (minimum %(min)s, target "
                        "%(target)s).",
                        rule=rule.display_name,
                        min=rule.min_qty,
                        target=rule.target_qty,
                    )
                )

    @api.constrains("product_id")
    def _check_product_storable(self):
        for rule in self:
            if rule.product_id and not rule.product_id.is_storable:
                raise ValidationError(
                    self.env._(
                        "Stock threshold %(rule)s: product %(product)s does not "
                        "track inventory; thresholds apply to storable products "
                        "only.",
                        rule=rule.display_name,
                        product=rule.product_id.display_name,
                    )
                )

    @api.constrains(
        "product_id", "product_categ_id", "warehouse_id", "company_id", "active"
    )
    def _check_unique_scope(self):
        rules = self.filtered("active")
        if not rules:
            return
        self.flush_model(
            ["product_id", "product_categ_id", "warehouse_id", "company_id", "active"]
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT a.id FROM erp_stock_threshold a"
                " JOIN erp_stock_threshold b ON b.id != a.id"
                "  AND b.active AND b.warehouse_id = a.warehouse_id"
                "  AND b.company_id = a.company_id"
                "  AND b.product_id IS NOT DISTINCT FROM a.product_id"
                "  AND (a.product_id IS NOT NULL"
                "       OR b.product_categ_id IS NOT DISTINCT FROM a.product_categ_id)"
                " WHERE a.id IN %s LIMIT 1",
                tuple(rules.ids),
            )
        )
        if rows:
            rule = self.browse(rows[0][0])
            raise ValidationError(
                self.env._(
                    "Another active stock threshold already covers the same "
                    "product, category and warehouse as %(rule)s.",
                    rule=rule.display_name,
                )
            )

    def action_view_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_virtual_stock.erp_stock_alert_action"
        )
        action["domain"] = [("threshold_id", "=", self.id)]
        action["context"] = {"search_default_filter_active": 1}
        return action

    # ------------------------------------------------------------------
    # Business: rule resolution and quantities (set-based)
    # ------------------------------------------------------------------

    @api.model
    def _get_storable_products(self, company, product_ids=None):
        """Return {product_id: categ_parent_path} for the storable, active
        products of the company (one SQL query)."""
        self.env["product.product"].flush_model(["active", "product_tmpl_id"])
        self.env["product.template"].flush_model(
            ["is_storable", "company_id", "categ_id", "active"]
        )
        self.env["product.category"].flush_model(["parent_path"])
        query = SQL(
            "SELECT pp.id, pc.parent_path FROM product_product pp"
            " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
            " JOIN product_category pc ON pc.id = pt.categ_id"
            " WHERE pp.active AND pt.is_storable"
            " AND (pt.company_id IS NULL OR pt.company_id = %(company)s)"
            " %(restrict)s",
            company=company.id,
            restrict=SQL("AND pp.id IN %s", tuple(product_ids))
            if product_ids is not None
            else SQL(""),
        )
        return dict(self.env.execute_query(query))

    @api.model
    def _get_rule_map(self, warehouses, product_ids=None):
        """Resolve the winning rule of each (product, warehouse).

        The most specific rule wins: a product rule, then the rule of the
        deepest category of the product, then the rule for every product; ties
        break on ``sequence``. Returns {(product_id, warehouse_id): rule}.
        """
        rule_ids = self._get_rule_id_map(warehouses, product_ids)
        rules = {rule.id: rule for rule in self.browse(set(rule_ids.values()))}
        return {key: rules[rule_id] for key, rule_id in rule_ids.items()}

    @api.model
    def _get_rule_id_map(self, warehouses, product_ids=None, rules=None):
        """Same as :meth:`_get_rule_map` with rule ids as values. Costs two
        queries whatever the number of products (one when the active
        ``rules`` of the warehouses are given), and no ORM access per
        product."""
        result = {}
        if product_ids is not None and not product_ids:
            return result
        if rules is None:
            rules = self.search([("warehouse_id", "in", warehouses.ids)])
        rules = rules.sorted(lambda r: (r.sequence, r.id), reverse=True)
        if not rules:
            return result
        by_product, by_categ, by_all = self._index_rules(rules)
        for company, company_rules in rules.grouped("company_id").items():
            restrict = product_ids
            wh_ids = company_rules.warehouse_id.ids
            if restrict is None and not (
                any(wh_id in by_all for wh_id in wh_ids)
                or any(r.product_categ_id for r in company_rules)
            ):
                restrict = company_rules.product_id.ids
            products = self._get_storable_products(company, restrict)
            categ_cache = {}
            for product_id, parent_path in products.items():
                fallback = categ_cache.get(parent_path)
                if fallback is None:
                    fallback = self._resolve_category_rules(
                        parent_path, wh_ids, by_categ, by_all
                    )
                    categ_cache[parent_path] = fallback
                for wh_id, rule_id in fallback.items():
                    result[(product_id, wh_id)] = rule_id
            for (product_id, wh_id), rule_id in by_product.items():
                if product_id in products and wh_id in wh_ids:
                    result[(product_id, wh_id)] = rule_id
        return result

    @api.model
    def _index_rules(self, rules):
        """Index rules by scope; ``rules`` come by decreasing sequence so that
        the lowest sequence wins a tie."""
        by_product, by_categ, by_all = {}, {}, {}
        for rule in rules:
            wh_id = rule.warehouse_id.id
            if rule.product_id:
                by_product[(rule.product_id.id, wh_id)] = rule.id
            elif rule.product_categ_id:
                by_categ[(rule.product_categ_id.id, wh_id)] = rule.id
            else:
                by_all[wh_id] = rule.id
        return by_product, by_categ, by_all

    @api.model
    def _resolve_category_rules(self, parent_path, wh_ids, by_categ, by_all):
        """{warehouse_id: rule_id} for a category: the rule of its deepest
        category with a rule, else the rule for every product."""
        chain = [int(cid) for cid in reversed(parent_path.split("/")) if cid]
        result = {}
        for wh_id in wh_ids:
            for categ_id in chain:
                rule_id = by_categ.get((categ_id, wh_id))
                if rule_id is not None:
                    break
            else:
                rule_id = by_all.get(wh_id)
            if rule_id is not None:
                result[wh_id] = rule_id
        return result

    @api.model
    def _round_to_unit(self, product, qty, rounding_method="UP"):
        """``qty`` of ``product`` in its unit, rounded to what can be counted:
        the rounding of its unit of measure and, for a product counted in
        pieces (the reference unit of the Units category), whole pieces, so
        that no RFQ, transfer or threshold asks for 45.22 chairs. Rounds up by
        default (never short)."""
        uom = product.uom_id
        if not uom:
            return qty
        step = uom.rounding
        if uom.uom_type == "reference" and uom.category_id == self.env.ref(
            "uom.product_uom_categ_unit", raise_if_not_found=False
        ):
            step = max(step, 1.0)
        return float_round(
            qty, precision_rounding=step, rounding_method=rounding_method
        )
