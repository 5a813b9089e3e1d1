# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""快递100 (Kuaidi100) adapter: subscription (``POST /poll``), signed push
(form fields ``param`` and ``sign``), real-time query (``POST
/poll/query.do``) and the mapping of its states onto the shipment's."""

import hashlib
import hmac
import json
import logging
import re
from urllib.parse import urlencode, urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError

from .delivery_carrier_connection import TEST_TRACKING_NUMBER
from .delivery_carrier_tracking_api import TrackingApiError

_logger = logging.getLogger(__name__)

KUAIDI100_URL = "https://poll.kuaidi100.com"
# courier recognition (智能单号识别) is served by 快递100's main site
KUAIDI100_AUTONUMBER_URL = "https://www.kuaidi100.com"
# 快递100 state (lastResult.state) and resultv2 sub-state (data[].statusCode)
# -> event status; sub-states not listed fall back on their main state
KUAIDI100_STATES = {
    "1": "shipped",  # 揽收
    "0": "in_transit",  # 在途
    "5": "out_for_delivery",  # 派件
    "3": "delivered",  # 签收 (301 本人, 302 派件异常后, 303 代签, 304 投柜或站)
    "4": "returned",  # 退签
    "14": "exception",  # 拒签
    "6": "exception",  # 退回 (on its way back to the sender)
    "2": "exception",  # 疑难
    "7": "in_transit",  # 转投
    "8": "in_transit",  # 清关
    "10": "in_transit",  # 待清关
    "11": "in_transit",  # 清关中
    "12": "in_transit",  # 已清关
    "13": "exception",  # 清关异常
}
# the status text of an item when its code is missing (resultv2 not enabled)
KUAIDI100_STATUS_TEXTS = {
    "揽收": "1",
    "在途": "0",
    "派件": "5",
    "签收": "3",
    "退签": "4",
    "拒签": "14",
    "退回": "6",
    "疑难": "2",
    "转投": "7",
    "清关": "8",
}
# subscription answers: refused for good (no retry) / already subscribed
KUAIDI100_SUBSCRIBE_REFUSED = {"400", "700", "701", "702", "703"}
KUAIDI100_SUBSCRIBE_DONE = {"200", "501"}
KUAIDI100_SIGNER = re.compile(r"签收人\s*[是为:：]?\s*[:：]?\s*([^，,。;；\s]+)")


def kuaidi100_sign(*parts):
    """快递100's signature: upper-case hex MD5 of the concatenated parts."""
    return hashlib.md5("".join(parts).encode()).hexdigest().upper()


def kuaidi100_status(code, text=""):
    """The event status of a 快递100 state or resultv2 sub-state code."""
    code = (code or KUAIDI100_STATUS_TEXTS.get(text, "")).strip()
    if code in KUAIDI100_STATES:
        return KUAIDI100_STATES[code]
    if len(code) == 4 and code.startswith("10"):
        return "in_transit"  # 1001 到达派件城市, 1002 干线, 1003 转递
    if len(code) == 3:
        return KUAIDI100_STATES.get(code[0])
    return None


class DeliveryCarrier(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    tracking_provider = fields.Selection(
        selection_add=[("kuaidi100", "快递100 (Kuaidi100)")],
        ondelete={"kuaidi100": "set default"},
    )

    @api.model
    def _erp_polling_providers(self):
        return [*super()._erp_polling_providers(), "kuaidi100"]

    @api.model
    def _erp_push_providers(self):
        return [*super()._erp_push_providers(), "kuaidi100"]

    @api.model
    def _erp_subscribing_providers(self):
        return [*super()._erp_subscribing_providers(), "kuaidi100"]

    # -------------------------------------------------------------- push
    def _erp_push_verify_kuaidi100(self, body, headers, form):
        expected = kuaidi100_sign(form.get("param", ""), self.webhook_secret)
        given = form.get("sign", "").strip().upper()
        return hmac.compare_digest(expected.encode(), given.encode())

    def _erp_push_read_kuaidi100(self, body, headers, form):
        push = json.loads(form["param"])
        result = push.get("lastResult") or {}
        number = result.get("nu")
        return {
            "events": self._erp_kuaidi100_events(result),
            "resubscribe": [number] if push.get("status") == "abort" else [],
        }

    def _erp_push_answer_kuaidi100(self, ok, error=None, reason=None, **values):
        # the acknowledgement 快递100 documents; it pushes again otherwise
        if ok:
            return {"result": True, "returnCode": "200", "message": "成功", **values}
        return {"result": False, "returnCode": "500", "message": reason, "error": error}

    def _erp_kuaidi100_events(self, result):
        """Raw events of a ``lastResult`` (or a query answer): its ``data``
        items, newest first; the state of the whole parcel names the newest
        item's status when the item carries no code."""
        number = result.get("nu")
        events = []
        for index, item in enumerate(result.get("data") or []):
            code = item.get("statusCode") or ""
            text = item.get("status") or ""
            if not code and not text and index == 0:
                code = str(result.get("state") or "")
            status = kuaidi100_status(code, text) or "in_transit"
            context = item.get("context") or ""
            signer = KUAIDI100_SIGNER.search(context) if status == "delivered" else None
            time = (item.get("ftime") or item.get("time") or "").strip()
            events.append(
                {
                    "tracking_number": number,
                    "status": status,
                    # 快递100 gives China's local time
                    "time": time.replace(" ", "T") + "+08:00" if time else None,
                    "location": item.get("areaName") or item.get("location") or "",
                    "description": context,
                    "provider_status": " ".join(p for p in (code, text) if p),
                    "received_by": signer.group(1) if signer else None,
                }
            )
        return events

    # ------------------------------------------------ subscribe and query
    def _erp_kuaidi100_post(self, path, form):
        """POST a form to 快递100 and return its JSON answer."""
        carrier = self.sudo()
        try:
            body = carrier._erp_tracking_api_request(
                "POST",
                carrier.tracking_api_url or KUAIDI100_URL,
                path,
                {},
                {
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                urlencode(form).encode(),
            )
            answer = json.loads(body)
        except (TrackingApiError, ValueError, RecursionError) as error:
            _logger.warning("Carrier %s: 快递100 call failed: %s", self.id, error)
            kind = error.kind if isinstance(error, TrackingApiError) else "invalid"
            raise UserError(self._erp_tracking_api_error_message(kind)) from None
        if not isinstance(answer, dict):
            raise UserError(self._erp_tracking_api_error_message("invalid"))
        return answer

    def _erp_kuaidi100_refusal(self, answer):
        """The translated message of an answer refusing the account itself
        (bad key, expired key, bad signature), else None."""
        code = str(answer.get("returnCode") or "")
        if code in ("503", "600", "601"):
            return self.env._(
                "快递100 refused the account of %(carrier)s (code %(code)s: "
                "%(message)s); check the key and customer.",
                carrier=self.name,
                code=code,
                message=answer.get("message") or "",
            )
        if code in ("501", "502") and answer.get("result") is False:
            return self.env._(
                "快递100 is unavailable (code %(code)s); try again later.",
                code=code,
            )
        return None

    def _erp_kuaidi100_autonumber_url(self):
        """Where ``/autonumber/auto`` is asked: 快递100's main site, or the
        carrier's service URL when it is not 快递100's own (a proxy, the
        tests' replay server)."""
        url = self.sudo().tracking_api_url
        if not url or urlsplit(url).hostname in ("poll.kuaidi100.com", None):
            return KUAIDI100_AUTONUMBER_URL
        return url

    def _erp_tracking_detect_kuaidi100(self, numbers):
        """快递100's courier recognition: ``GET /autonumber/auto?num=&key=``
        answers the likely couriers of a number, most likely first
        (``[{"comCode": "shunfeng", ...}]``; an empty list when it does not
        know the number).

        :return: ``{number: comCode}`` of the numbers recognised
        """
        carrier = self.sudo()
        found = {}
        for number in numbers:
            try:
                body = carrier._erp_tracking_api_get(
                    self._erp_kuaidi100_autonumber_url(),
                    "/autonumber/auto",
                    {"num": number, "key": carrier.tracking_api_key or ""},
                    {"Accept": "application/json"},
                )
                answer = json.loads(body)
            except (TrackingApiError, ValueError, RecursionError) as error:
                _logger.warning(
                    "Carrier %s: 快递100 autonumber failed: %s", self.id, error
                )
                kind = error.kind if isinstance(error, TrackingApiError) else "invalid"
                raise UserError(self._erp_tracking_api_error_message(kind)) from None
            if isinstance(answer, dict):
                # an error answer instead of a list: 601 key expired or the
                # service not opened, 701 key missing
                raise UserError(
                    self._erp_kuaidi100_refusal(answer)
                    or self.env._(
                        "快递100 refused to recognise couriers for %(carrier)s "
                        "(code %(code)s: %(message)s); check the key.",
                        carrier=self.name,
                        code=answer.get("returnCode") or "",
                        message=answer.get("message") or "",
                    )
                )
            if not isinstance(answer, list):
                raise UserError(self._erp_tracking_api_error_message("invalid"))
            codes = [
                item["comCode"].strip()
                for item in answer
                if isinstance(item, dict)
                and isinstance(item.get("comCode"), str)
                and item["comCode"].strip()
            ]
            if codes:
                found[number] = codes[0]
        return found

    def _erp_kuaidi100_courier_codes(self, shipments):
        """The courier code of each shipment, recognised first for those
        without one."""
        shipments._erp_detect_couriers()
        return self._erp_courier_codes(shipments)

    def _erp_tracking_subscribe_kuaidi100(self, shipments):
        carrier = self.sudo()
        results = {}
        codes = self._erp_kuaidi100_courier_codes(shipments)
        for shipment in shipments:
            if not codes.get(shipment.id):
                results[shipment.id] = (
                    "failed",
                    self.env._(
                        "快递100 did not recognise the courier of this number; "
                        "set the courier code."
                    ),
                )
                continue
            param = {
                "company": codes[shipment.id],
                "number": shipment.tracking_number,
                "key": carrier.tracking_api_key or "",
                "parameters": {
                    "callbackurl": carrier.erp_webhook_url,
                    "salt": carrier.webhook_secret or "",
                    "resultv2": "4",
                },
            }
            answer = self._erp_kuaidi100_post(
                "/poll",
                {"schema": "json", "param": json.dumps(param, ensure_ascii=False)},
            )
            code = str(answer.get("returnCode") or "")
            message = f"{code} {answer.get('message') or ''}".strip()
            if code in KUAIDI100_SUBSCRIBE_DONE:
                results[shipment.id] = ("subscribed", message)
            elif code in KUAIDI100_SUBSCRIBE_REFUSED:
                results[shipment.id] = ("failed", message)
            elif code in ("600", "601"):
                raise UserError(self._erp_kuaidi100_refusal(answer))
            else:
                results[shipment.id] = ("pending", message)
        return results

    def _erp_tracking_test_kuaidi100(self):
        """A signed real-time query of a number nobody uses: 快递100 checks
        the key, the customer and the signature first (503, 600, 601), then
        answers that it has nothing (500), which it does not bill."""
        carrier = self.sudo()
        param = json.dumps(
            {
                "com": carrier.tracking_carrier_code or "shunfeng",
                "num": TEST_TRACKING_NUMBER,
            }
        )
        customer = carrier.tracking_customer or ""
        answer = self._erp_kuaidi100_post(
            "/poll/query.do",
            {
                "customer": customer,
                "sign": kuaidi100_sign(param, carrier.tracking_api_key or "", customer),
                "param": param,
            },
        )
        refusal = self._erp_kuaidi100_refusal(answer)
        if refusal:
            raise UserError(refusal)
        return self.env._(
            "快递100 accepted the key and customer (answer %(code)s: %(message)s).",
            code=answer.get("returnCode") or answer.get("status") or "",
            message=answer.get("message") or "",
        )

    def _erp_tracking_poll_kuaidi100(self, shipments):
        """Real-time query (``/poll/query.do``), one number per call."""
        carrier = self.sudo()
        events = []
        shipments = shipments.filtered("tracking_number")
        codes = self._erp_kuaidi100_courier_codes(shipments)
        for shipment in shipments:
            param = json.dumps(
                {
                    "com": codes.get(shipment.id) or "",
                    "num": shipment.tracking_number,
                    "resultv2": "4",
                },
                ensure_ascii=False,
            )
            customer = carrier.tracking_customer or ""
            answer = self._erp_kuaidi100_post(
                "/poll/query.do",
                {
                    "customer": customer,
                    "sign": kuaidi100_sign(
                        param, carrier.tracking_api_key or "", customer
                    ),
                    "param": param,
                },
            )
            refusal = self._erp_kuaidi100_refusal(answer)
            if refusal:
                raise UserError(refusal)
            if answer.get("result") is False:
                _logger.info(
                    "Carrier %s: 快递100 has nothing for shipment %s: %s %s",
                    self.id,
                    shipment.id,
                    answer.get("returnCode"),
                    answer.get("message"),
                )
                continue
            events += self._erp_kuaidi100_events(answer)
        return events
