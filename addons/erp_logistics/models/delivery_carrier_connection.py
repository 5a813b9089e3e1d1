# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import models
from odoo.exceptions import UserError

from .delivery_carrier_tracking_api import TrackingApiError

# a number no courier uses: asked where a service's cheapest call needs one
TEST_TRACKING_NUMBER = "ERPTEST0000000000"


class DeliveryCarrier(models.Model):
    """*Test Connection* of the carrier's tracking settings: the provider's
    cheapest call with the configured URL and credentials.

    A provider ``<p>`` defines ``_erp_tracking_test_<p>()``, which raises a
    translated ``UserError`` when the service refuses or cannot be reached,
    and returns a short description of its answer otherwise.
    """

    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    def action_erp_test_connection(self):
        """Call the carrier's tracking service once and say how it answered."""
        self.ensure_one()
        # read as the user: the tracking configuration is for logistics
        # administrators (field groups), so is the button
        provider = self.tracking_provider
        method = getattr(self, f"_erp_tracking_test_{provider}", None)
        if not method:
            raise UserError(
                self.env._(
                    "The tracking provider of %(carrier)s makes no call to test: "
                    "events are entered by hand or pushed to the Callback URL.",
                    carrier=self.name,
                )
            )
        detail = method()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Connection to %s works", self.name),
                "message": detail,
                "sticky": False,
            },
        }

    def _erp_tracking_test_json_api(self):
        carrier = self.sudo()
        if not carrier.tracking_api_url:
            raise UserError(
                self.env._("Carrier %s has no tracking API URL.", self.name)
            )
        headers = {"Accept": "application/json"}
        if carrier.tracking_api_key:
            headers["Authorization"] = f"Bearer {carrier.tracking_api_key}"
        try:
            body = carrier._erp_tracking_api_get(
                carrier.tracking_api_url,
                "/track",
                {"numbers": TEST_TRACKING_NUMBER},
                headers,
            )
            data = json.loads(body)
        except TrackingApiError as error:
            raise UserError(self._erp_tracking_api_error_message(error.kind)) from None
        except (ValueError, RecursionError):
            raise UserError(self._erp_tracking_api_error_message("invalid")) from None
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            raise UserError(
                self.env._(
                    "The tracking API of %s answered without an events list.",
                    self.name,
                )
            )
        return self.env._("The tracking API answered with an events list.")
