# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.erp_shipment import OPEN_STATES, SHIPMENT_STATES


class ErpDeliveryPerformanceReport(models.Model):
    _name = "erp.delivery.performance.report"
    _description = "Delivery Performance Report"
    _auto = False
    _rec_name = "shipment_id"
    _order = "date_shipped desc, id desc"
    _depends = {
        "erp.shipment": [
            "carrier_id",
            "company_id",
            "partner_id",
            "state",
            "date_shipped",
            "date_expected",
            "date_delivered",
        ],
        "erp.shipment.event": ["shipment_id", "status"],
    }

    shipment_id = fields.Many2one("erp.shipment", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    state = fields.Selection(SHIPMENT_STATES, readonly=True)
    date_shipped = fields.Datetime(readonly=True)
    date_expected = fields.Datetime(string="Expected Delivery", readonly=True)
    date_delivered = fields.Datetime(readonly=True)
    shipment_count = fields.Integer(string="Shipments", readonly=True)
    delivered_count = fields.Integer(string="Delivered", readonly=True)
    on_time_count = fields.Integer(string="Delivered On Time", readonly=True)
    on_time_rate = fields.Float(
        string="On-Time Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the shipments with an expected date that were delivered "
        "by that date. Shipments in exception and shipments still on their way "
        "past their expected date count as not on time; shipments on their way "
        "and not yet due are left out.",
    )
    lead_time_days = fields.Float(
        string="Average Lead Time (Days)",
        aggregator="avg",
        readonly=True,
        help="Days from shipping to delivery, for delivered shipments.",
    )
    exception_count = fields.Integer(
        string="Exceptions",
        readonly=True,
        help="Shipments that had at least one exception event.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT s.id AS id,
                   s.id AS shipment_id,
                   s.carrier_id,
                   s.company_id,
                   s.partner_id,
                   s.state,
                   s.date_shipped,
                   s.date_expected,
                   s.date_delivered,
                   1 AS shipment_count,
                   CASE WHEN s.state = %(delivered)s THEN 1 ELSE 0 END
                       AS delivered_count,
                   CASE WHEN s.state = %(delivered)s
                             AND s.date_delivered <= s.date_expected
                        THEN 1 ELSE 0 END AS on_time_count,
                   CASE WHEN s.state = %(delivered)s AND s.date_expected IS NOT NULL
                        THEN CASE WHEN s.date_delivered <= s.date_expected
                                  THEN 100.0 ELSE 0.0 END
                        WHEN s.state = %(exception)s
                        THEN 0.0
                        WHEN s.state IN %(open)s
                             AND s.date_expected < (now() AT TIME ZONE 'UTC')
                        THEN 0.0
                   END AS on_time_rate,
                   CASE WHEN s.state = %(delivered)s AND s.date_shipped IS NOT NULL
                        THEN EXTRACT(EPOCH FROM s.date_delivered - s.date_shipped)
                             / 86400.0
                   END AS lead_time_days,
                   CASE WHEN s.state = %(exception)s OR EXISTS (
                            SELECT 1 FROM erp_shipment_event e
                             WHERE e.shipment_id = s.id AND e.status = %(exception)s
                        ) THEN 1 ELSE 0 END AS exception_count
              FROM erp_shipment s
             WHERE s.state NOT IN %(excluded)s
            """,
            delivered="delivered",
            exception="exception",
            excluded=("draft", "cancelled"),
            open=OPEN_STATES,
        )
