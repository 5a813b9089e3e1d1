# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .erp_shipment import RECEIPT_STATUS, STATE_RANK


class ErpShipment(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "erp.shipment"  # pylint: disable=consider-merging-classes-inherited

    @api.depends("event_ids")
    def _compute_event_count(self):
        counts = dict(
            self.env["erp.shipment.event"]._read_group(
                [("shipment_id", "in", self.ids)],
                groupby=["shipment_id"],
                aggregates=["__count"],
            )
        )
        for shipment in self:
            shipment.event_count = counts.get(shipment, 0)

    @api.depends("event_ids.event_time", "event_ids.location", "event_ids.status")
    def _compute_last_event(self):
        for shipment in self:
            # where the carrier last saw the parcel: not the customer's receipt
            last = shipment.event_ids.filtered(
                lambda e: e.status != RECEIPT_STATUS
            ).sorted(lambda e: (e.event_time, e.id))[-1:]
            shipment.last_location = last.location or False
            shipment.last_event_time = last.event_time or False

    @api.model
    def _erp_process_events(self, vals_list):
        """Store tracking events and move the shipments forward.

        ``vals_list`` holds ``erp.shipment.event`` values. Events already
        stored (same shipment, status, time and location), in the database or
        earlier in the list, are ignored. Events are applied to their shipment
        in chronological order; an event older than the one that set the
        current state, or of a lower rank, is stored but leaves the state as
        it is.

        :return: the new ``erp.shipment.event`` records
        """
        Event = self.env["erp.shipment.event"]
        if not vals_list:
            return Event
        if any(vals.get("status") == RECEIPT_STATUS for vals in vals_list):
            raise UserError(
                self.env._(
                    "The customer's receipt is recorded with Confirm Receipt, "
                    "which also records who received the goods; it cannot be "
                    "added as a tracking event."
                )
            )
        vals_list = [
            dict(
                vals,
                event_time=fields.Datetime.to_datetime(vals["event_time"]),
                location=vals.get("location") or "",
            )
            for vals in vals_list
        ]
        shipments = self.browse({vals["shipment_id"] for vals in vals_list})
        # Serialise concurrent deliveries of events of the same shipments: a
        # second transaction updating these rows after the first one committed
        # fails with a serialization error, and Odoo retries the whole request,
        # which then sees the first one's events as duplicates.
        self.env.cr.execute(
            SQL(
                "UPDATE erp_shipment SET write_date = write_date WHERE id IN %s",
                tuple(shipments.ids),
            )
        )
        existing = Event.search_fetch(
            [("shipment_id", "in", shipments.ids)],
            ["shipment_id", "status", "event_time", "location"],
        )
        seen = {
            (e.shipment_id.id, e.status, e.event_time, e.location or "")
            for e in existing
        }
        new_vals = []
        for vals in vals_list:
            key = (
                vals["shipment_id"],
                vals["status"],
                vals["event_time"],
                vals["location"],
            )
            if key in seen:
                continue
            seen.add(key)
            new_vals.append(vals)
        return Event._erp_create_applied(new_vals)

    @api.model
    def _erp_event_moves_state(self, state, state_time, event):
        """Whether ``event`` moves a shipment currently in ``state`` (set by an
        event at ``state_time``) forward. Extension hook."""
        final = state in ("delivered", "returned", "cancelled")
        if final and event.status != "returned":
            return False
        if state_time and event.event_time < state_time:
            return False
        # a return moves any final state (a cancelled shipment's parcel sent
        # back included); an exception any state before it
        if final or event.status == "exception":
            return True
        return STATE_RANK[event.status] >= STATE_RANK[state]
