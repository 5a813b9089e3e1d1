from odoo import api, fields, models
from odoo.tools import SQL


class ErpVirtualStockReport(models.Model):
    """Virtual stock per product and warehouse (analysis and PDF report).

    Same formula as ``product.product._erp_virtual_stock_map``."""

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
        return SQL(
            """
            WITH f AS (
                SELECT q.product_id, l.warehouse_id, q.quantity AS on_hand,
                       0.0 AS committed, 0.0 AS incoming, 0.0 AS manual
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                 WHERE l.warehouse_id IS NOT NULL
                UNION ALL
                SELECT sm.product_id, src.warehouse_id, 0.0, sm.product_qty, 0.0, 0.0
                  FROM stock_move sm
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dst
                    ON dst.id = COALESCE(sm.location_final_id, sm.location_dest_id)
                 WHERE sm.state IN %(states)s
                   AND src.warehouse_id IS NOT NULL
                   AND dst.warehouse_id IS DISTINCT FROM src.warehouse_id
                UNION ALL
                SELECT sm.product_id, dst.warehouse_id, 0.0, 0.0, sm.product_qty, 0.0
                  FROM stock_move sm
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dst
                    ON dst.id = COALESCE(sm.location_final_id, sm.location_dest_id)
                  JOIN stock_warehouse w ON w.id = dst.warehouse_id
                 WHERE sm.state IN %(states)s
                   AND src.warehouse_id IS DISTINCT FROM dst.warehouse_id
                   AND (w.virtual_incoming_days < 0
                        OR (w.virtual_incoming_days > 0
                            AND sm.date <= (now() AT TIME ZONE 'UTC')
                                + make_interval(days => w.virtual_incoming_days)))
                UNION ALL
                SELECT e.product_id, e.warehouse_id, 0.0, 0.0, 0.0, e.quantity
                  FROM erp_virtual_stock e
                 WHERE e.state = 'active'
                   AND (e.date_start IS NULL OR e.date_start <= current_date)
            )
            SELECT row_number() OVER (ORDER BY f.warehouse_id, f.product_id) AS id,
                   f.product_id, pt.id AS product_tmpl_id, pt.categ_id,
                   f.warehouse_id, w.company_id,
                   SUM(f.on_hand) AS on_hand_qty,
                   SUM(f.committed) AS committed_qty,
                   SUM(f.incoming) AS incoming_qty,
                   SUM(f.manual) AS manual_qty,
                   SUM(f.on_hand - f.committed + f.incoming + f.manual)
                       AS virtual_stock_qty
              FROM f
              JOIN product_product pp ON pp.id = f.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN stock_warehouse w ON w.id = f.warehouse_id
             WHERE pt.is_storable
             GROUP BY f.product_id, pt.id, pt.categ_id, f.warehouse_id, w.company_id
            """,
            states=("waiting", "confirmed", "assigned", "partially_available"),
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
