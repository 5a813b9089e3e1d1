# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import groupby

from .erp_shipment import OPEN_STATES

_logger = logging.getLogger(__name__)

SUBSCRIPTION_CRON = "erp_logistics.ir_cron_subscribe_shipment_tracking"
# 快递100 asks to wait half an hour before subscribing an aborted number again
RESUBSCRIBE_DELAY = timedelta(minutes=30)


class ErpShipment(models.Model):
    """Registration of the shipments' tracking numbers with the tracking
    services that push only the numbers registered with them."""

    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "erp.shipment"  # pylint: disable=consider-merging-classes-inherited

    erp_subscription_state = fields.Selection(
        [
            ("pending", "To Register"),
            ("subscribed", "Registered"),
            ("failed", "Refused"),
        ],
        string="Tracking Registration",
        copy=False,
        readonly=True,
        help="Whether the tracking number is registered with the carrier's "
        "tracking service, which then pushes its events.",
    )
    erp_subscription_after = fields.Datetime(
        string="Register Not Before",
        copy=False,
        readonly=True,
        help="A number the tracking service stopped following is registered "
        "again from this time on, not at once.",
    )
    erp_subscription_message = fields.Char(
        string="Registration Message",
        copy=False,
        readonly=True,
        help="The tracking service's last answer to the registration.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        shipments = super().create(vals_list)
        shipments._erp_queue_subscription()
        return shipments

    def write(self, vals):
        if {"tracking_number", "carrier_id"} & set(vals):
            # another number or service: registered anew
            vals = dict(
                vals, erp_subscription_state=False, erp_subscription_after=False
            )
        res = super().write(vals)
        if {"state", "tracking_number", "carrier_id"} & set(vals):
            self._erp_queue_subscription()
        return res

    def _erp_queue_subscription(self, at=None):
        """Mark the open shipments of subscribing carriers as to register and
        trigger the registration job (no call to the service in this
        transaction)."""
        providers = self.env["delivery.carrier"]._erp_subscribing_providers()
        # sudo: the provider is readable by logistics administrators only
        todo = self.filtered(
            lambda s: s.state in OPEN_STATES
            and s.tracking_number
            and s.carrier_id.sudo().tracking_provider in providers
            and not s.erp_subscription_state
        )
        if not todo:
            return
        # sudo: bookkeeping of the registration job, done for whoever ships
        # (a stock user validating a delivery may not write shipments)
        todo.sudo().with_context(mail_notrack=True).write(
            {"erp_subscription_state": "pending", "erp_subscription_message": False}
        )
        cron = self.env.ref(SUBSCRIPTION_CRON, raise_if_not_found=False)
        if cron:
            # sudo: triggering a cron is for system users; any shipment
            # writer may ask for the registration of its number
            cron.sudo()._trigger(at=at)

    @api.model
    def _erp_tracking_resubscribe(self, carrier, numbers):
        """The service stopped following ``numbers`` (快递100 ``abort``):
        register them again later."""
        shipments = self.search(
            [("carrier_id", "=", carrier.id), ("tracking_number", "in", numbers)]
        )
        after = fields.Datetime.now() + RESUBSCRIBE_DELAY
        shipments.write({"erp_subscription_state": False})
        shipments._erp_queue_subscription(at=after)
        # sudo: bookkeeping of the registration job, as _erp_queue_subscription
        waiting = shipments.filtered(lambda s: s.erp_subscription_state == "pending")
        waiting.sudo().with_context(mail_notrack=True).write(
            {"erp_subscription_after": after}
        )

    @api.model
    def _cron_subscribe_tracking(self, batch_size=100):
        """Register the pending shipments with their carrier's service, one
        batch of one carrier at a time; a failure is logged and the batch
        stays pending for the next run."""
        shipments = self.search(
            [
                ("erp_subscription_state", "=", "pending"),
                ("state", "in", OPEN_STATES),
                "|",
                ("erp_subscription_after", "=", False),
                ("erp_subscription_after", "<=", fields.Datetime.now()),
            ],
            limit=batch_size * 10,
        )
        for carrier, group in groupby(shipments, key=lambda s: s.carrier_id):
            batch = self.browse([s.id for s in group][:batch_size])
            try:
                with self.env.cr.savepoint():
                    results = carrier.with_company(
                        carrier.company_id or self.env.company
                    )._erp_tracking_subscribe(batch)
                    for shipment in batch:
                        state, message = results.get(shipment.id, ("pending", ""))
                        shipment.write(
                            {
                                "erp_subscription_state": state,
                                "erp_subscription_after": False,
                                "erp_subscription_message": (message or "")[:255]
                                or False,
                            }
                        )
            except UserError as error:
                _logger.warning(
                    "Tracking registration with carrier %s failed: %s",
                    carrier.id,
                    error,
                )
        return True
