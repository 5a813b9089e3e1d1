# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import groupby

from .erp_shipment import EVENT_STATUSES, SHIPMENT_INTAKE_FIELDS

# first characters that make a spreadsheet read a cell as a formula (tab and
# carriage return too: some spreadsheets strip them and read what follows)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(text):
    """Return ``text`` prefixed with an apostrophe when it starts like a
    spreadsheet formula, so that an export opened in a spreadsheet shows it
    as text instead of evaluating it (CSV/formula injection). Idempotent.

    Applied to the texts of every event received from outside (webhook, CSV
    import, carrier API).
    """
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class ErpShipmentEvent(models.Model):
    _name = "erp.shipment.event"
    _description = "Shipment Tracking Event"
    _order = "event_time desc, id desc"
    _rec_name = "status"

    shipment_id = fields.Many2one(
        "erp.shipment", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="shipment_id.company_id", store=True)
    carrier_id = fields.Many2one(related="shipment_id.carrier_id", store=True)
    tracking_number = fields.Char(related="shipment_id.tracking_number")
    event_time = fields.Datetime(required=True, index=True)
    status = fields.Selection(EVENT_STATUSES, required=True)
    location = fields.Char(default="")
    description = fields.Char()
    received_by = fields.Char(help="Name of the person who signed for the goods.")
    provider_status = fields.Char(
        string="Carrier Status",
        help="The tracking service's own code and text of the event (e.g. "
        "快递100 301 签收, AfterShip Delivered_001).",
    )
    push_id = fields.Char(
        string="Push ID",
        index="btree_not_null",
        readonly=True,
        help="The tracking service's id of the push that brought the event "
        "(AfterShip event_id): a push received again is recognised by it.",
    )
    source = fields.Selection(
        [
            ("manual", "Manual"),
            ("webhook", "Webhook"),
            ("poll", "Carrier API"),
            ("import", "Import"),
        ],
        required=True,
        default="manual",
    )
    payload = fields.Text(help="Raw data received from the carrier.")
    is_applied = fields.Boolean(
        readonly=True,
        help="Whether this event changed the shipment's state. Events received "
        "out of order are stored but do not move the shipment backwards.",
    )

    def init(self):
        # Same shipment + status + time + location is the same event: enforce
        # the de-duplication in the database too (location may be empty).
        tools.create_unique_index(
            self.env.cr,
            "erp_shipment_event_dedupe_uniq",
            self._table,
            ["shipment_id", "status", "event_time", "COALESCE(location, '')"],
        )

    @api.model_create_multi
    def create(self, vals_list):
        """Create events and apply them to their shipments.

        Duplicates (same shipment, status, time and location) are skipped, so
        the result may hold fewer records than ``vals_list``.
        """
        if self.env.context.get("erp_skip_event_processing"):
            return super().create(vals_list)
        return self.env["erp.shipment"]._erp_process_events(vals_list)

    @api.model
    def _erp_create_applied(self, vals_list):
        """Create the events of ``vals_list`` and apply them to their
        shipments, oldest first (``vals_list`` holds no duplicate).

        Whether an event moves its shipment is decided before the insert, on
        an in-memory record of its values (``new``), and the shipment's
        company and carrier (stored related fields) are given with the
        values: the ``INSERT`` is the only write of the events. (The ORM still
        recomputes the related fields at the flush, in memory: it finds the
        values stored and writes nothing. ``precompute=True`` would not help:
        the ORM drops given values of precomputed read-only fields and builds
        one more in-memory record per event to compute them.)

        :return: the new events
        """
        if not vals_list:
            return self.browse()
        shipments = self.env["erp.shipment"].browse(
            {vals["shipment_id"] for vals in vals_list}
        )
        # no query when _erp_parse_events found the shipments: it fetched
        # these fields in the same transaction (same snapshot as after the
        # lock taken by _erp_process_events)
        shipments.fetch(SHIPMENT_INTAKE_FIELDS)
        # ids follow the order of vals_list: (time, position) is the order
        # (time, id) of the stored events
        by_shipment = groupby(
            sorted(
                enumerate(vals_list),
                key=lambda item: (
                    item[1]["shipment_id"],
                    item[1]["event_time"],
                    item[0],
                ),
            ),
            key=lambda item: item[1]["shipment_id"],
        )
        new_vals = [None] * len(vals_list)
        shipment_vals = {}
        delivered = set()
        for shipment_id, items in by_shipment:
            shipment = shipments.browse(shipment_id)
            state = shipment.state
            state_time = shipment.state_event_time
            vals = {}
            for index, event_vals in items:
                event = self.new(event_vals)
                applies = shipment._erp_event_moves_state(state, state_time, event)
                new_vals[index] = dict(
                    event_vals,
                    company_id=shipment.company_id.id,
                    carrier_id=shipment.carrier_id.id,
                    is_applied=applies,
                )
                if not applies:
                    continue
                state = event.status
                state_time = event.event_time
                vals.update(state=state, state_event_time=state_time)
                if state == "delivered":
                    vals["date_delivered"] = event.event_time
                    if event.received_by:
                        vals["received_by"] = event.received_by
                        delivered.add(shipment_id)
                if not shipment.date_shipped and state != "cancelled":
                    vals["date_shipped"] = event.event_time
            if vals:
                shipment_vals[shipment] = vals
        events = self.with_context(erp_skip_event_processing=True).create(new_vals)
        for shipment, vals in shipment_vals.items():
            # the events are the shipment's history: no chatter tracking
            # message per carrier update (it would triple the webhook's cost)
            shipment.with_context(mail_notrack=True).write(vals)
        shipments.browse(delivered).filtered(
            lambda s: s.company_id.erp_pod_closes_order and s.state == "delivered"
        )._erp_close_sale_orders(by_carrier=True)
        return events
