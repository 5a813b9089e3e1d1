# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class ErpVirtualStockReport(models.Model):
    """Virtual stock per product and warehouse (analysis and PDF report).

    Built from the virtual stock engine's query
    (``product.product._erp_virtual_stock_components_query``): the same
    components, locations and formula as the fields."""

    _name = "erp.virtual.stock.report"
    _description = "Virtual Stock Analysis"
    _auto = False
    _order = "warehouse_id, product_id, id"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one(
        "product.template", "Product Template", readonly=True
    )
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    on_hand_qty = fields.Float(
        "On Hand", digits="Product Unit of Measure", readonly=True
    )
    committed_qty = fields.Float(
        "Committed", digits="Product Unit of Measure", readonly=True
    )
    incoming_qty = fields.Float(
        "Incoming", digits="Product Unit of Measure", readonly=True
    )
    manual_qty = fields.Float("Manual", digits="Product Unit of Measure", readonly=True)
    virtual_stock_qty = fields.Float(
        "Virtual Stock", digits="Product Unit of Measure", readonly=True
    )

    @property
    def _table_query(self):
        # every warehouse, as the analysis always listed (archived ones
        # included); sudo: the view is built once for all users, the report's
        # own record rules then keep the user's companies
        warehouses = (
            self.env["stock.warehouse"]
            .sudo()
            .with_context(active_test=False)
            .search([])
        )
        Product = self.env["product.product"]
        components = Product._erp_virtual_stock_components_table(
            warehouses, storable_only=False
        )
        return SQL(
            "SELECT row_number() OVER (ORDER BY c.warehouse_id, c.product_id) AS id,"
            " c.product_id, pt.id AS product_tmpl_id, pt.categ_id,"
            " c.warehouse_id, w.company_id, c.on_hand AS on_hand_qty,"
            " c.committed AS committed_qty, c.incoming AS incoming_qty,"
            " c.manual AS manual_qty, %(virtual)s AS virtual_stock_qty"
            " FROM (%(components)s) c"
            " JOIN product_product pp ON pp.id = c.product_id"
            " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
            " JOIN stock_warehouse w ON w.id = c.warehouse_id"
            " WHERE pt.is_storable",
            components=components,
            virtual=Product._erp_virtual_stock_total_sql("c"),
        )

    @api.model
    def action_open_for_products(self, products):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_virtual_stock.erp_virtual_stock_report_action"
        )
        action["domain"] = [("product_id", "in", products.ids)]
        action["view_mode"] = "list,pivot,graph"
        action["views"] = [
            (
                self.env.ref("erp_virtual_stock.erp_virtual_stock_report_view_list").id,
                "list",
            ),
            (False, "pivot"),
            (False, "graph"),
        ]
        action["context"] = {}
        return action
