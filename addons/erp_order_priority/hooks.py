# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists


def pre_init_hook(env):
    """Initialise the stored computed fields the addon adds to Odoo's tables
    with one statement per table, before the ORM creates their columns.

    The ORM computes a new stored field record by record on every existing
    row, but only when it creates the column itself: on a database holding
    years of orders and moves this made the installation take minutes.  The
    values set here are what the computes give before the addon holds any
    data (no priority rule, no override, default company thresholds); the
    addon's data files trigger the computes of whatever they change."""
    cr = env.cr
    _init_priority(env)
    _init_fulfillment(cr)
    _init_move_priority(cr)


def uninstall_hook(env):
    """Remove the activities of the addon's activity type, which would
    otherwise prevent the type from being deleted."""
    activity_type = env.ref(
        "erp_order_priority.mail_activity_type_assigned", raise_if_not_found=False
    )
    if activity_type:
        env["mail.activity"].with_context(active_test=False).search(
            [("activity_type_id", "=", activity_type.id)]
        ).unlink()


def _add_column(cr, table, column, sql_type, value):
    """Add ``column`` holding ``value`` on every existing row.  The default is
    dropped at once: PostgreSQL keeps the value of the existing rows without
    rewriting the table, new rows get what the ORM writes."""
    if column_exists(cr, table, column):
        return
    cr.execute(
        SQL(
            "ALTER TABLE %(table)s ADD COLUMN %(column)s %(type)s DEFAULT %(value)s;"
            " ALTER TABLE %(table)s ALTER COLUMN %(column)s DROP DEFAULT",
            table=SQL.identifier(table),
            column=SQL.identifier(column),
            type=SQL(sql_type),
            value=value,
        )
    )


def _init_priority(env):
    """No priority rule exists yet: every order scores 0 with no score
    details (explained as matching no rule), is of normal priority (the
    thresholds are positive) and matched no rule; its moves score 0 too (no
    override yet)."""
    cr = env.cr
    _add_column(cr, "sale_order", "priority_score", "int4", 0)
    # no rule matched: no details (the explanation is written when read)
    _add_column(cr, "sale_order", "priority_score_details", "jsonb", None)
    _add_column(cr, "sale_order", "priority_level", "varchar", "normal")
    # the relation table of the matched rules: created empty here, else the
    # ORM would compute the score of every order to fill it
    if not table_exists(cr, "erp_order_priority_rule_sale_order_rel"):
        cr.execute(
            SQL(
                "CREATE TABLE erp_order_priority_rule_sale_order_rel"
                " (order_id INTEGER NOT NULL, rule_id INTEGER NOT NULL,"
                " PRIMARY KEY (order_id, rule_id));"
                " COMMENT ON TABLE erp_order_priority_rule_sale_order_rel"
                " IS 'RELATION BETWEEN sale_order AND erp_order_priority_rule';"
                " CREATE INDEX ON erp_order_priority_rule_sale_order_rel"
                " (rule_id, order_id)"
            )
        )


def _init_move_priority(cr):
    _add_column(cr, "stock_move", "erp_priority_score", "int4", 0)


def _init_fulfillment(cr):
    """Fulfillment state of the confirmed orders from their lines and
    deliveries, as ``sale.order._erp_base_fulfillment_state`` gives it (no
    order is closed yet); the date of the state reached is now."""
    states = ("pending", "processing", "completed", "closed")
    if column_exists(cr, "sale_order", "fulfillment_state"):
        return
    create_column(cr, "sale_order", "fulfillment_state", "varchar")
    for state in states:
        if not column_exists(cr, "sale_order", f"fulfillment_date_{state}"):
            create_column(cr, "sale_order", f"fulfillment_date_{state}", "timestamp")
    cr.execute(
        SQL(
            """
            WITH goods AS (
                SELECT l.order_id,
                       bool_or(ROUND(l.qty_delivered
                                     / COALESCE(NULLIF(u.rounding, 0), 0.01)) > 0)
                           AS delivered
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id AND o.state = 'sale'
                  JOIN product_product p ON p.id = l.product_id
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  LEFT JOIN uom_uom u ON u.id = l.product_uom
                 WHERE l.display_type IS NULL AND t.type = 'consu'
                 GROUP BY l.order_id
            ), deliveries AS (
                SELECT sp.sale_id AS order_id,
                       bool_and(sp.state = 'done')
                           FILTER (WHERE spt.code IN ('outgoing', 'dropship'))
                           AS outgoing_done,
                       bool_or(sp.state = 'done' OR sp.printed IS TRUE) AS started,
                       bool_or(EXISTS (SELECT 1 FROM stock_move m
                                        WHERE m.picking_id = sp.id
                                          AND m.picked IS TRUE)) AS picked
                  FROM stock_picking sp
                  JOIN sale_order o ON o.id = sp.sale_id AND o.state = 'sale'
                  JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                 WHERE sp.state != 'cancel'
                 GROUP BY sp.sale_id
            ), fulfillment AS (
                SELECT o.id,
                       CASE WHEN g.order_id IS NULL THEN 'completed'
                            WHEN d.outgoing_done THEN 'completed'
                            WHEN d.started OR d.picked OR g.delivered
                            THEN 'processing'
                            ELSE 'pending' END AS state
                  FROM sale_order o
                  LEFT JOIN goods g ON g.order_id = o.id
                  LEFT JOIN deliveries d ON d.order_id = o.id
                 WHERE o.state = 'sale'
            )
            UPDATE sale_order o
               SET fulfillment_state = f.state,
                   fulfillment_date_pending = CASE WHEN f.state = 'pending'
                                              THEN %(now)s END,
                   fulfillment_date_processing = CASE WHEN f.state = 'processing'
                                                 THEN %(now)s END,
                   fulfillment_date_completed = CASE WHEN f.state = 'completed'
                                                THEN %(now)s END
              FROM fulfillment f
             WHERE f.id = o.id
            """,
            now=SQL("date_trunc('second', now() AT TIME ZONE 'UTC')"),
        )
    )
