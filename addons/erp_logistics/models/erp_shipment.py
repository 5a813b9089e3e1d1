# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import uuid
from urllib.parse import quote, urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, groupby, split_every

_logger = logging.getLogger(__name__)

SHIPMENT_STATES = [
    ("draft", "Draft"),
    ("shipped", "Shipped"),
    ("in_transit", "In Transit"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("exception", "Exception"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
]
# statuses a carrier event may report: the shipment states from "shipped" on
CARRIER_EVENT_STATUSES = [s for s in SHIPMENT_STATES if s[0] != "draft"]
EVENT_STATUS_CODES = {code for code, _label in CARRIER_EVENT_STATUSES}
# the customer's confirmation of the receipt (签收) in the shipment's history:
# recorded by Confirm Receipt only, never reported by a carrier
RECEIPT_STATUS = "received"
EVENT_STATUSES = [*CARRIER_EVENT_STATUSES, (RECEIPT_STATUS, "Receipt Confirmed")]
# progress of a shipment: an event never moves a shipment to a lower rank
STATE_RANK = {
    "draft": 0,
    "shipped": 1,
    "in_transit": 2,
    "exception": 2,
    "out_for_delivery": 3,
    "delivered": 4,
    "returned": 5,
    "cancelled": 6,
}
OPEN_STATES = ("shipped", "in_transit", "out_for_delivery", "exception")
NOTIFY_TEMPLATES = {
    "shipped": "erp_logistics.mail_template_shipment_shipped",
    "out_for_delivery": "erp_logistics.mail_template_shipment_out_for_delivery",
    "delivered": "erp_logistics.mail_template_shipment_delivered",
    "exception": "erp_logistics.mail_template_shipment_exception",
}


def erp_is_http_url(url):
    """Whether ``url`` is an absolute http(s) address: a link that cannot run
    script when shown on the portal (browsers ignore blanks and control
    characters inside a scheme, so none is accepted anywhere)."""
    url = (url or "").strip()
    if not url or any(ord(char) < 33 or ord(char) == 127 for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class ErpShipment(models.Model):
    _name = "erp.shipment"
    _description = "Shipment"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_shipped desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, copy=False, readonly=True, default="New", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('picking_type_code', '=', 'outgoing')]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        compute="_compute_sale_order_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    carrier_id = fields.Many2one(
        "delivery.carrier",
        compute="_compute_carrier_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
    )
    tracking_number = fields.Char(
        compute="_compute_tracking_number",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        index=True,
        tracking=True,
    )
    tracking_url = fields.Char(
        compute="_compute_tracking_url",
        store=True,
        readonly=False,
        help="Carrier's tracking page for this shipment.",
    )
    state = fields.Selection(
        SHIPMENT_STATES,
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
        # kanban columns in the order of the journey, empty states included
        group_expand=True,
    )
    date_shipped = fields.Datetime(copy=False, tracking=True)
    date_expected = fields.Datetime(
        string="Expected Delivery",
        tracking=True,
        help="When the parcel should reach the customer: the shipping time "
        "plus the carrier's transit days; used for the on-time rate.",
    )
    date_delivered = fields.Datetime(copy=False, tracking=True)
    state_event_time = fields.Datetime(
        readonly=True,
        copy=False,
        help="Time of the carrier event that set the current state.",
    )
    event_ids = fields.One2many("erp.shipment.event", "shipment_id", copy=False)
    event_count = fields.Integer(compute="_compute_event_count")
    last_location = fields.Char(compute="_compute_last_event")
    last_event_time = fields.Datetime(compute="_compute_last_event")
    erp_can_poll = fields.Boolean(
        string="Tracking API",
        compute="_compute_erp_can_poll",
        help="Whether the carrier has a tracking API Odoo asks for new events "
        "(Update Tracking); the events of other carriers are pushed by the "
        "carrier, imported or entered by hand.",
    )
    is_late = fields.Boolean(
        compute="_compute_is_late",
        search="_search_is_late",
        help="Not delivered yet and past the expected delivery date, or delivered "
        "after it.",
    )
    # proof of delivery (签收)
    received_by = fields.Char(copy=False, tracking=True)
    received_at = fields.Datetime(copy=False, tracking=True)
    pod_signature = fields.Image(
        string="Signature", copy=False, max_width=1024, max_height=1024
    )
    pod_note = fields.Text(string="Delivery Note", copy=False)
    notes = fields.Html()
    erp_polled_at = fields.Datetime(
        string="Last Tracking Poll",
        readonly=True,
        copy=False,
        help="When the polling cron last asked the carrier for this shipment's "
        "events.",
    )

    _sql_constraints = [
        (
            "tracking_number_carrier_uniq",
            "UNIQUE(carrier_id, tracking_number)",
            "A tracking number must be unique per carrier.",
        ),
    ]

    @api.depends("picking_id")
    def _compute_sale_order_id(self):
        for shipment in self:
            shipment.sale_order_id = (
                shipment.picking_id.sale_id or shipment.sale_order_id or False
            )

    @api.depends("picking_id", "sale_order_id")
    def _compute_partner_id(self):
        for shipment in self:
            shipment.partner_id = (
                shipment.picking_id.partner_id
                or shipment.sale_order_id.partner_shipping_id
                or shipment.partner_id
                or False
            )

    @api.depends("picking_id")
    def _compute_carrier_id(self):
        for shipment in self:
            shipment.carrier_id = (
                shipment.picking_id.carrier_id or shipment.carrier_id or False
            )

    @api.depends("picking_id")
    def _compute_tracking_number(self):
        for shipment in self:
            shipment.tracking_number = (
                shipment.picking_id.carrier_tracking_ref
                or shipment.tracking_number
                or False
            )

    @api.depends("carrier_id", "tracking_number")
    def _compute_tracking_url(self):
        for shipment in self:
            template = shipment.carrier_id.tracking_url
            if template and shipment.tracking_number:
                # the number is quoted: it cannot add a path, query or scheme
                shipment.tracking_url = template.replace(
                    "<shipmenttrackingnumber>", quote(shipment.tracking_number, safe="")
                )
            else:
                shipment.tracking_url = False

    @api.constrains("tracking_url")
    def _check_tracking_url(self):
        for shipment in self:
            if shipment.tracking_url and not erp_is_http_url(shipment.tracking_url):
                raise ValidationError(
                    self.env._(
                        "The tracking URL of shipment %(shipment)s must be an "
                        "http or https address.",
                        shipment=shipment.name,
                    )
                )

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

    @api.depends("carrier_id")
    def _compute_erp_can_poll(self):
        polling = self.env["delivery.carrier"]._erp_polling_providers()
        for shipment in self:
            # sudo: the provider is readable by logistics administrators only;
            # only whether it is polled is shown
            shipment.erp_can_poll = (
                shipment.carrier_id.sudo().tracking_provider in polling
            )

    @api.depends("state", "date_expected", "date_delivered")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for shipment in self:
            if not shipment.date_expected or shipment.state in (
                "draft",
                "cancelled",
                "returned",
            ):
                shipment.is_late = False
            elif shipment.state == "delivered":
                shipment.is_late = bool(
                    shipment.date_delivered
                    and shipment.date_delivered > shipment.date_expected
                )
            else:
                shipment.is_late = shipment.date_expected < now

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'is late'."))
        now = fields.Datetime.now()
        # no field-to-field comparison in domains: delivered late shipments
        # are found with SQL, the open ones with a plain domain
        self.env["erp.shipment"].flush_model(
            ["state", "date_expected", "date_delivered"]
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM erp_shipment WHERE state = %(state)s"
                " AND date_delivered > date_expected",
                state="delivered",
            )
        )
        delivered_late_ids = [row[0] for row in rows]
        domain = [
            "|",
            ("id", "in", delivered_late_ids),
            "&",
            ("state", "in", OPEN_STATES),
            ("date_expected", "<", now),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    def _compute_access_url(self):
        for shipment in self:
            shipment.access_url = f"/my/shipments/{shipment.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Shipment %s", self.name)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("erp.shipment")
                    or "New"
                )
        shipments = super().create(vals_list)
        shipments.filtered(lambda s: s.state == "shipped")._erp_notify_customer()
        return shipments

    def write(self, vals):
        # the tracking link (access token) is printed on the slip and sent in
        # the emails: once the shipment is delivered or its receipt confirmed,
        # a new token ends what the old link shows to whoever holds the parcel
        rotate = self.filtered(
            lambda s: (vals.get("state") == "delivered" and s.state != "delivered")
            or (vals.get("received_at") and not s.received_at)
        )
        if "state" not in vals:
            res = super().write(vals)
            rotate._erp_rotate_access_token()
            return res
        changed = self.filtered(lambda s: s.state != vals["state"])
        res = super().write(vals)
        # before the notifications: the delivered mail carries the new link
        rotate._erp_rotate_access_token()
        changed._erp_notify_customer()
        return res

    def _erp_rotate_access_token(self):
        for shipment in self:
            super(ErpShipment, shipment).write({"access_token": str(uuid.uuid4())})
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_shipped(self):
        if any(s.state not in ("draft", "cancelled") for s in self):
            raise UserError(
                self.env._("Only draft or cancelled shipments can be deleted.")
            )

    # ------------------------------------------------------------ actions
    def action_ship(self):
        """Mark draft shipments as shipped (handed over to the carrier)."""
        if any(s.state != "draft" for s in self):
            raise UserError(self.env._("Only draft shipments can be shipped."))
        now = fields.Datetime.now()
        for shipment in self:
            vals = {"state": "shipped", "date_shipped": now}
            if not shipment.date_expected and shipment.carrier_id:
                vals["date_expected"] = shipment.carrier_id._erp_expected_delivery(now)
            shipment.write(vals)

    def action_cancel(self):
        if any(s.state in ("delivered", "returned") for s in self):
            raise UserError(
                self.env._("Delivered or returned shipments cannot be cancelled.")
            )
        self.write({"state": "cancelled"})

    def action_reset_draft(self):
        if any(s.state != "cancelled" for s in self):
            raise UserError(
                self.env._("Only cancelled shipments can be reset to draft.")
            )
        self.write({"state": "draft", "state_event_time": False})

    def action_poll_tracking(self):
        """Fetch the latest events from the carrier's tracking API now."""
        if not any(self.mapped("erp_can_poll")):
            # "0 new events" would read as "the carrier has nothing new"
            raise UserError(
                self.env._(
                    "%(carrier)s has no tracking API to ask for events: its "
                    "events are pushed by the carrier, imported or entered by "
                    "hand (Events button).",
                    carrier=", ".join(self.carrier_id.mapped("name"))
                    or self.env._("This shipment's carrier"),
                )
            )
        new_events = self.filtered("erp_can_poll")._erp_poll_tracking()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s new tracking events.", len(new_events)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _erp_get_action(self):
        """Window action showing these shipments (form view for a single one)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_logistics.erp_shipment_action"
        )
        if len(self) == 1:
            action.update(views=[(False, "form")], res_id=self.id)
        else:
            # all of them: without the default filter on open shipments
            action.update(domain=[("id", "in", self.ids)], context={})
        return action

    def action_preview(self):
        """Open the customer's tracking page of the shipment."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self.get_portal_url(),
        }

    def _erp_get_tracking_link(self):
        """Absolute public tracking link (with the access token) of the
        shipment, as printed in the QR code and sent in the emails."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    def _erp_portal_can_confirm(self):
        """Whether the customer can still confirm the receipt from the portal."""
        self.ensure_one()
        return not self.received_at and self.state in (
            "shipped",
            "in_transit",
            "out_for_delivery",
            "delivered",
        )

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_logistics.erp_shipment_event_action"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {"default_shipment_id": self.id}
        return action

    def action_confirm_receipt(self, received_by=None, note=None):
        """Record the customer's receipt (签收) and close the order's fulfillment.

        :param received_by: name of the person who received the goods
            (defaults to the shipment's customer)
        :param note: optional remark left by the customer
        """
        for shipment in self:
            if shipment.received_at:
                raise UserError(
                    self.env._(
                        "The receipt of shipment %s was already confirmed.",
                        shipment.name,
                    )
                )
            if shipment.state in ("draft", "cancelled", "returned"):
                raise UserError(
                    self.env._(
                        "Shipment %s has not been shipped, its receipt cannot be "
                        "confirmed.",
                        shipment.name,
                    )
                )
        now = fields.Datetime.now()
        for shipment in self:
            vals = {
                "received_by": received_by or shipment.partner_id.name,
                "received_at": now,
            }
            if note:
                vals["pod_note"] = note
            if shipment.state != "delivered":
                vals.update(state="delivered", date_delivered=now)
            shipment.write(vals)
        # the receipt in the shipment's history (timeline): not a carrier
        # event, it moves no state (already written above)
        self.env["erp.shipment.event"].with_context(
            erp_skip_event_processing=True
        ).create(
            [
                {
                    "shipment_id": shipment.id,
                    "status": RECEIPT_STATUS,
                    "event_time": now,
                    "received_by": shipment.received_by,
                    "source": "manual",
                    "is_applied": True,
                }
                for shipment in self
            ]
        )
        self._erp_close_sale_orders()
        return True

    # ----------------------------------------------------------- business
    def _erp_close_sale_orders(self):
        """Close the fulfillment of the orders whose deliveries are all done
        (``erp_order_priority``'s ``action_customer_confirm``); orders still
        waiting for other deliveries stay as they are."""
        orders = self.sale_order_id.filtered(
            lambda o: o.fulfillment_state == "completed"
        )
        if orders:
            # the customer (portal) or the carrier (webhook) closes the order:
            # neither may write sale orders, the access was checked on the
            # shipment
            orders.sudo().action_customer_confirm()

    def _erp_notify_customer(self):
        """Send the customer the mail of the shipment's new state, if the
        carrier has notifications enabled."""
        for shipment in self:
            xmlid = NOTIFY_TEMPLATES.get(shipment.state)
            if not xmlid or not shipment.carrier_id.erp_notify_customer:
                continue
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if not template:
                continue
            shipment.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

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
        events = Event.with_context(erp_skip_event_processing=True).create(new_vals)
        events._erp_apply_to_shipments()
        return events

    @api.model
    def _erp_event_moves_state(self, state, state_time, event):
        """Whether ``event`` moves a shipment currently in ``state`` (set by an
        event at ``state_time``) forward. Extension hook."""
        if state in ("delivered", "returned", "cancelled") and event.status != (
            "returned"
        ):
            return False
        if state_time and event.event_time < state_time:
            return False
        if event.status == "exception":
            return True
        return STATE_RANK[event.status] >= STATE_RANK[state]

    def _erp_poll_tracking(self):
        """Ask each carrier's provider for the events of these shipments.

        Every carrier is called first, and only then are the events stored:
        no shipment row is locked or written while waiting for a carrier.
        """
        fetched = []
        for carrier, shipments in groupby(self, key=lambda s: s.carrier_id):
            if not carrier:
                continue
            shipments = self.browse([s.id for s in shipments])
            fetched.append(carrier._erp_tracking_poll(shipments))
        events = self.env["erp.shipment.event"]
        for vals_list in fetched:
            events |= self._erp_process_events(vals_list)
        return events

    @api.model
    def _erp_poll_batches(self, batch_size):
        """The open shipments the polling cron still has to ask their carrier
        about, as a list of ``(company, carrier, shipment ids)`` batches of at
        most ``batch_size`` shipments of one carrier and company.

        Run by the scheduler, a shipment is due when it was not polled since
        the previous run of the cron (context key ``lastcall``; never polled
        ones on the first run): the calls of one run skip what an earlier
        call of the same run polled already.
        """
        Carrier = self.env["delivery.carrier"]
        # the provider is restricted to administrators; the cron runs as
        # superuser, a user running it by hand must see every polling carrier
        carriers = Carrier.sudo().search(
            [("tracking_provider", "in", Carrier._erp_polling_providers())]
        )
        domain = [
            ("carrier_id", "in", carriers.ids),
            ("state", "in", OPEN_STATES),
            ("tracking_number", "!=", False),
        ]
        if self.env.context.get("ir_cron_progress_id"):
            lastcall = self.env.context.get("lastcall")
            domain += (
                ["|", ("erp_polled_at", "=", False), ("erp_polled_at", "<", lastcall)]
                if lastcall
                else [("erp_polled_at", "=", False)]
            )
        shipments = self.search_fetch(domain, ["company_id", "carrier_id"])
        batches = []
        for (company, carrier), group in groupby(
            shipments, key=lambda s: (s.company_id, s.carrier_id)
        ):
            for ids in split_every(batch_size, [s.id for s in group]):
                batches.append((company, carrier, list(ids)))
        return batches

    @api.model
    def _erp_poll_batch(self, company, carrier, ids):
        """Poll one batch of shipments of one carrier; a failure is logged and
        rolled back without touching the other batches. The shipments are
        marked as polled either way."""
        batch = self.with_company(company).browse(ids)
        try:
            with self.env.cr.savepoint():
                batch._erp_poll_tracking()
        except UserError as error:
            # an expected failure of the carrier (unreachable, bad answer):
            # its message carries no connection detail
            _logger.warning(
                "Tracking poll of carrier %s failed for shipments %s: %s",
                carrier.id,
                ids,
                error,
            )
        except Exception:
            _logger.exception(
                "Tracking poll of carrier %s failed for shipments %s", carrier.id, ids
            )
        batch.write({"erp_polled_at": fields.Datetime.now()})

    @api.model
    def _cron_poll_tracking(self, batch_size=100):
        """Poll the carrier APIs for the open shipments of polling carriers.

        Run by the scheduler (a cron progress in the context), each call polls
        one batch (one carrier and company, at most ``batch_size`` shipments)
        and reports its progress: the scheduler commits the batch and calls
        again while shipments remain (Odoo 18's cron progress API; after ten
        calls the cron is rescheduled at once). Called otherwise, every batch
        is polled in the current transaction.
        """
        batches = self._erp_poll_batches(batch_size)
        if not self.env.context.get("ir_cron_progress_id"):
            for company, carrier, ids in batches:
                self._erp_poll_batch(company, carrier, ids)
            return
        if batches:
            self._erp_poll_batch(*batches[0])
        done = len(batches[0][2]) if batches else 0
        self.env["ir.cron"]._notify_progress(
            done=done, remaining=sum(len(ids) for _c, _k, ids in batches[1:])
        )
