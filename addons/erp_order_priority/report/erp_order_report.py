# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.res_partner import CUSTOMER_TIERS
from ..models.sale_order import (
    FULFILLMENT_STATE_HELP,
    FULFILLMENT_STATES,
    PRIORITY_LEVELS,
)


class ErpOrderReport(models.Model):
    _name = "erp.order.report"
    _description = "Order Analysis"
    _auto = False
    _order = "date_order desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    date_order = fields.Datetime(string="Order Date", readonly=True)
    commitment_date = fields.Datetime(string="Delivery Date", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_tier = fields.Selection(CUSTOMER_TIERS, readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    fulfillment_state = fields.Selection(
        FULFILLMENT_STATES,
        readonly=True,
        group_expand=True,
        help=FULFILLMENT_STATE_HELP,
    )
    priority_level = fields.Selection(PRIORITY_LEVELS, readonly=True, group_expand=True)
    priority_score = fields.Integer(readonly=True, aggregator="avg")
    order_count = fields.Integer(string="# Orders", readonly=True)
    unfinished_count = fields.Integer(string="# Unfinished", readonly=True)
    late_count = fields.Integer(string="# Late", readonly=True)
    amount_total = fields.Monetary(
        string="Amount", readonly=True, currency_field="currency_id"
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    is_late = fields.Boolean(string="Late", readonly=True)

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Give the groups of the selection fields in their defined order.

        The pivot and the graph read all their groupbys at once (``lazy=False``),
        where ``group_expand`` does not apply and SQL sorts selections by their
        technical value (closed, completed, pending, processing). Without an
        explicit order, sort the rows by the position of each selection value in
        its definition; other groupbys keep the order of the database.
        """
        rows = super().read_group(
            domain,
            fields,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        groupbys = [groupby] if isinstance(groupby, str) else list(groupby or [])
        if lazy:
            groupbys = groupbys[:1]
        if orderby or not rows or not groupbys:
            return rows
        return sorted(rows, key=self._erp_group_sort_key(groupbys, rows))

    def _erp_group_sort_key(self, groupbys, rows):
        """Key sorting read_group rows level by level: selection values by their
        position in the selection, other values by their first appearance."""
        ranks = []
        for spec in groupbys:
            field = self._fields.get(spec.split(":")[0])
            if field and field.type == "selection":
                values = field.get_values(self.env)
                rank = {value: pos for pos, value in enumerate(values)}
            else:
                rank = {}
                for row in rows:
                    rank.setdefault(self._erp_group_value(row.get(spec)), len(rank))
            ranks.append(rank)

        def key(row):
            return tuple(
                rank.get(self._erp_group_value(row.get(spec)), len(rank))
                for spec, rank in zip(groupbys, ranks, strict=True)
            )

        return key

    @staticmethod
    def _erp_group_value(value):
        # many2one groups come as (id, name) pairs, hashable in tuple form
        return tuple(value) if isinstance(value, list) else value

    def _query(self):
        return SQL(
            """
            SELECT so.id AS id,
                   so.id AS order_id,
                   so.date_order AS date_order,
                   so.commitment_date AS commitment_date,
                   partner.commercial_partner_id AS partner_id,
                   commercial.customer_tier AS customer_tier,
                   so.team_id AS team_id,
                   so.user_id AS user_id,
                   so.company_id AS company_id,
                   so.warehouse_id AS warehouse_id,
                   so.fulfillment_state AS fulfillment_state,
                   so.priority_level AS priority_level,
                   so.priority_score AS priority_score,
                   1 AS order_count,
                   CASE WHEN so.fulfillment_state IN ('pending', 'processing')
                        THEN 1 ELSE 0 END AS unfinished_count,
                   CASE WHEN so.fulfillment_state IN ('pending', 'processing')
                         AND so.commitment_date < (now() AT TIME ZONE 'UTC')
                        THEN 1 ELSE 0 END AS late_count,
                   (so.fulfillment_state IN ('pending', 'processing')
                    AND so.commitment_date IS NOT NULL
                    AND so.commitment_date < (now() AT TIME ZONE 'UTC')) AS is_late,
                   so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       AS amount_total,
                   company.currency_id AS currency_id
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
              JOIN res_partner commercial
                ON commercial.id = partner.commercial_partner_id
              JOIN res_company company ON company.id = so.company_id
             WHERE so.state = 'sale'
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
