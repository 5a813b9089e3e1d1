# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class ErpStockThreshold(models.Model):
    """The quantities a rule compares with its minimum, set-based, per
    basis (on hand, virtual stock...)."""

    _inherit = "erp.stock.threshold"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _get_quantity_map(self, basis, warehouses, product_ids):
        """Quantities on the given basis, set-based.

        Returns {(product_id, warehouse_id): qty}; missing keys mean 0.
        ``product_ids=None`` (full scan of on-hand stock) reads every product.
        """
        if not warehouses or (product_ids is not None and not product_ids):
            return {}
        if basis == "on_hand":
            return self._get_on_hand_map(warehouses, product_ids)
        Product = self.env["product.product"]
        if basis == "virtual_stock" and hasattr(Product, "_erp_virtual_stock_map"):
            return Product._erp_virtual_stock_map(
                warehouses, Product.browse(product_ids) if product_ids else None
            )
        if product_ids is None:
            product_ids = Product.search(
                [
                    ("is_storable", "=", True),
                    ("company_id", "in", [False, *warehouses.company_id.ids]),
                ]
            ).ids
        products = Product.browse(product_ids)
        # forecast (and virtual stock until the virtual stock core is there)
        result = {}
        for warehouse in warehouses:
            quantities = products.with_context(
                warehouse_id=warehouse.id
            )._compute_quantities_dict(None, None, None)
            for product_id, values in quantities.items():
                result[(product_id, warehouse.id)] = values["virtual_available"]
        return result

    @api.model
    def _get_on_hand_short_products(self, rules, precision):
        """Full scan of on-hand rules in one SQL query: ids of the storable
        products whose on-hand quantity (0 without quants) is below the
        highest minimum of an on-hand rule of a warehouse."""
        limits = {}
        for rule in rules:
            wh_id = rule.warehouse_id.id
            limits[wh_id] = max(limits.get(wh_id, 0.0), rule.min_qty)
        if not limits:
            return set()
        warehouses = rules.warehouse_id
        locations = self.env["stock.location"].search_fetch(
            [
                ("id", "child_of", warehouses.view_location_id.ids),
                ("usage", "=", "internal"),
            ],
            ["warehouse_id"],
        )
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        self.env["product.product"].flush_model(["active", "product_tmpl_id"])
        self.env["product.template"].flush_model(["is_storable", "company_id"])
        epsilon = 0.5 * 10**-precision
        rows = self.env.execute_query(
            SQL(
                "WITH lim AS ("
                "  SELECT * FROM unnest(%(whs)s::int[], %(limits)s::float8[])"
                "  AS l(wh_id, min_qty)),"
                " loc AS ("
                "  SELECT * FROM unnest(%(locs)s::int[], %(locwhs)s::int[])"
                "  AS m(loc_id, wh_id)),"
                " qty AS ("
                "  SELECT q.product_id, loc.wh_id, SUM(q.quantity) AS qty"
                "  FROM stock_quant q JOIN loc ON loc.loc_id = q.location_id"
                "  WHERE q.location_id = ANY(%(locs)s)"
                "  GROUP BY q.product_id, loc.wh_id)"
                " SELECT DISTINCT pp.id FROM product_product pp"
                " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                " CROSS JOIN lim"
                " LEFT JOIN qty ON qty.product_id = pp.id AND qty.wh_id = lim.wh_id"
                " WHERE pp.active AND pt.is_storable"
                " AND (pt.company_id IS NULL OR pt.company_id = ANY(%(companies)s))"
                " AND COALESCE(qty.qty, 0) < lim.min_qty - %(epsilon)s",
                whs=list(limits),
                limits=[limits[wh_id] for wh_id in limits],
                locs=locations.ids or [0],
                locwhs=[location.warehouse_id.id for location in locations] or [0],
                companies=rules.company_id.ids,
                epsilon=epsilon,
            )
        )
        return {row[0] for row in rows}

    @api.model
    def _get_on_hand_map(self, warehouses, product_ids):
        """One SQL aggregate of the quants of the warehouses' internal
        locations (index-friendly: locations are resolved first)."""
        locations = self.env["stock.location"].search_fetch(
            [
                ("id", "child_of", warehouses.view_location_id.ids),
                ("usage", "=", "internal"),
            ],
            ["warehouse_id"],
        )
        if not locations:
            return {}
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        rows = self.env.execute_query(
            SQL(
                "SELECT q.product_id, m.wh_id, SUM(q.quantity)"
                " FROM stock_quant q"
                " JOIN unnest(%(locs)s::int[], %(whs)s::int[]) AS m(loc_id, wh_id)"
                "  ON m.loc_id = q.location_id"
                " WHERE q.location_id = ANY(%(locs)s) %(restrict)s"
                " GROUP BY q.product_id, m.wh_id",
                locs=locations.ids,
                whs=[location.warehouse_id.id for location in locations],
                restrict=SQL("AND q.product_id = ANY(%s)", list(product_ids))
                if product_ids is not None
                else SQL(""),
            )
        )
        return {(product_id, wh_id): qty or 0.0 for product_id, wh_id, qty in rows}
