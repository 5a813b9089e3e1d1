# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid
from urllib.parse import quote, urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

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
# what storing and applying tracking events reads of their shipments (the
# state write reads the registration state too): one read, with the search
# of the numbers of a push or poll (_erp_parse_events)
SHIPMENT_INTAKE_FIELDS = (
    "tracking_number",
    "state",
    "state_event_time",
    "date_shipped",
    "company_id",
    "carrier_id",
    "erp_subscription_state",
)
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
