# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .erp_shipment import erp_is_http_url

# system parameter: comma-separated hosts the tracking API may reach over
# plain http (everything else must be https)
TRACKING_HTTP_HOSTS_PARAM = "erp_logistics.tracking_http_hosts"
# the tracking configuration of a carrier: where Odoo sends the API key and
# which requests it trusts; logistics administrators only (field groups)
TRACKING_CONFIG_FIELDS = (
    "tracking_provider",
    "tracking_api_url",
    "tracking_api_key",
    "webhook_secret",
    "tracking_carrier_code",
    "tracking_customer",
)


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    tracking_provider = fields.Selection(
        [
            ("manual", "Manual"),
            ("webhook", "Webhook (carrier pushes events)"),
            ("json_api", "JSON Tracking API (polled)"),
        ],
        required=True,
        default="manual",
        groups="erp_logistics.erp_logistics_group_manager",
        help="How tracking events reach Odoo: entered by hand or imported, "
        "pushed by the carrier to the signed webhook, polled from a JSON "
        "tracking API, or pushed and queried by a tracking service (快递100, "
        "AfterShip, 17TRACK) in its own format.",
    )
    webhook_secret = fields.Char(
        copy=False,
        groups="erp_logistics.erp_logistics_group_manager",
        help="Shared secret of the webhook: the carrier signs each request body "
        "with HMAC-SHA256 and sends the hex digest in the X-ERP-Signature header. "
        "For a tracking service: 快递100's callback salt, AfterShip's webhook "
        "secret or 17TRACK's security key.",
    )
    erp_webhook_url = fields.Char(
        string="Webhook URL", compute="_compute_erp_webhook_url"
    )
    tracking_api_url = fields.Char(
        string="Tracking API URL",
        groups="erp_logistics.erp_logistics_group_manager",
        help="Base URL of the JSON tracking API; Odoo calls "
        "<base URL>/track?numbers=<n1>,<n2>. https only; plain http only for "
        "the hosts listed in the system parameter "
        "erp_logistics.tracking_http_hosts.",
    )
    tracking_api_key = fields.Char(
        string="Tracking API Key",
        copy=False,
        groups="erp_logistics.erp_logistics_group_manager",
        help="Sent as a Bearer token in the Authorization header. For a "
        "tracking service: 快递100's key, AfterShip's API key or 17TRACK's "
        "token.",
    )
    tracking_carrier_code = fields.Char(
        string="Courier Code",
        groups="erp_logistics.erp_logistics_group_manager",
        help="The tracking service's code of the courier: 快递100's company "
        "code (shunfeng, yuantong, zhongtong, yunda, jd, ems...), AfterShip's "
        "slug or 17TRACK's numeric carrier id.",
    )
    tracking_customer = fields.Char(
        string="Customer ID",
        copy=False,
        groups="erp_logistics.erp_logistics_group_manager",
        help="快递100's customer id, used to sign real-time queries.",
    )
    erp_notify_customer = fields.Boolean(
        string="Notify Customers",
        default=True,
        help="Email the customer when a shipment is shipped, out for delivery, "
        "delivered or in exception.",
    )

    erp_transit_days = fields.Integer(
        string="Transit Days",
        default=3,
        help="Days the carrier usually needs from the handover of a parcel to "
        "its delivery: a new shipment is expected at its shipping time plus "
        "these days, and is late after that.",
    )

    def _erp_expected_delivery(self, date_shipped):
        """When a parcel handed to this carrier at ``date_shipped`` should be
        delivered: that time plus the carrier's transit days."""
        self.ensure_one()
        return date_shipped + timedelta(days=self.erp_transit_days)

    def _prepare_create_values(self, vals_list):
        # Odoo checks the groups of fields on read and write but not on
        # create: a sales manager, who may create delivery methods, must not
        # give a new carrier a tracking configuration of his own either. The
        # values are checked with the defaults (also those of the context)
        result = super()._prepare_create_values(vals_list)
        if not self.env.su:
            unset = {"tracking_provider": "manual"}
            given = [
                name
                for name in TRACKING_CONFIG_FIELDS
                if any(
                    vals.get(name) not in (None, False, "", unset.get(name))
                    for vals in result
                )
            ]
            if given:
                self.check_field_access_rights("create", given)
        return result

    def copy_data(self, default=None):
        # a user who may not read the tracking configuration could not
        # duplicate a carrier (Odoo reads every copied field): the duplicate
        # starts without it (manual tracking), as a carrier he creates
        default = dict(default or {})
        if not self.env.su:
            for name in TRACKING_CONFIG_FIELDS:
                if name not in default and not self._fields[name].is_accessible(
                    self.env
                ):
                    default[name] = "manual" if name == "tracking_provider" else False
        return super().copy_data(default=default)

    @api.constrains("erp_transit_days")
    def _check_erp_transit_days(self):
        for carrier in self:
            if carrier.erp_transit_days < 0:
                raise ValidationError(
                    self.env._(
                        "The transit days of %(carrier)s cannot be negative.",
                        carrier=carrier.name,
                    )
                )

    @api.constrains("tracking_url")
    def _check_erp_tracking_url(self):
        for carrier in self:
            if carrier.tracking_url and not erp_is_http_url(carrier.tracking_url):
                raise ValidationError(
                    self.env._(
                        "The tracking link of %(carrier)s must be an http or "
                        "https address.",
                        carrier=carrier.name,
                    )
                )

    @api.constrains("tracking_api_url")
    def _check_erp_tracking_api_url(self):
        # sudo: the URL is readable by logistics administrators only, and a
        # carrier created by a sales manager checks its (empty) URL too
        for carrier in self.sudo():
            url = carrier.tracking_api_url
            if url and not carrier._erp_tracking_api_url_allowed(url):
                raise ValidationError(
                    self.env._(
                        "The tracking API URL of %(carrier)s must be an https "
                        "address (plain http only for the hosts an administrator "
                        "allowed in the system parameter %(param)s).",
                        carrier=carrier.name,
                        param=TRACKING_HTTP_HOSTS_PARAM,
                    )
                )

    @api.model
    def _erp_tracking_api_url_allowed(self, url):
        """Whether the tracking API may be called at ``url``: https, or http to
        a host listed in the ``erp_logistics.tracking_http_hosts`` system
        parameter; never with credentials in the address."""
        try:
            parts = urlsplit(url.strip())
            hostname = parts.hostname
            port = parts.port
        except ValueError:
            return False
        if not hostname or parts.username or parts.password:
            return False
        if parts.scheme == "https":
            return True
        if parts.scheme != "http":
            return False
        # sudo: reading system parameters needs the settings group; only
        # settings administrators can edit this list
        allowed = {
            host.strip().lower()
            for host in (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(TRACKING_HTTP_HOSTS_PARAM, "")
                .split(",")
            )
            if host.strip()
        }
        return hostname.lower() in allowed or f"{hostname.lower()}:{port}" in allowed

    def _compute_erp_webhook_url(self):
        # get_base_url() takes one record at most (a website may give each
        # carrier's company its own address): ask it per carrier
        for carrier in self:
            carrier.erp_webhook_url = (
                f"{carrier.get_base_url()}/erp_logistics/webhook/{carrier.id}"
                if carrier.id
                else False
            )

    def action_generate_webhook_secret(self):
        """Generate a new random webhook secret (256 bits, hexadecimal); the
        write checks that the user may set it (logistics administrators)."""
        for carrier in self:
            carrier.webhook_secret = secrets.token_hex(32)
        return True
