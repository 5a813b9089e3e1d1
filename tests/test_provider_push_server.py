"""Each tracking service's recorded push, posted to a live 2-worker server.

For 快递100, AfterShip and 17TRACK: a delivery of a confirmed order is
validated over JSON-RPC with the number of the recorded push, which creates
the shipment; the push is posted as the service posts it (form or JSON body,
the service's own signature) and the shipment reaches the state the push
maps to, with the service's acknowledgement. The payloads are those of the
addon's tests (addons/erp_logistics/tests/data), shaped as each service
documents them.
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import scenario

DATA = (
    Path(__file__).resolve().parent.parent
    / "addons"
    / "erp_logistics"
    / "tests"
    / "data"
)


def recorded(name):
    return (DATA / name).read_bytes()


def post(server, carrier_id, body, headers):
    request = urllib.request.Request(
        f"{server.url}/erp_logistics/webhook/{carrier_id}", data=body, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def post_kuaidi100(server, carrier_id, param, salt):
    sign = hashlib.md5((param + salt).encode()).hexdigest().upper()
    body = urllib.parse.urlencode({"param": param, "sign": sign}).encode()
    return post(
        server,
        carrier_id,
        body,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )


def post_aftership(server, carrier_id, body, secret):
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return post(
        server,
        carrier_id,
        body,
        {
            "Content-Type": "application/json",
            "aftership-hmac-sha256": base64.b64encode(digest).decode(),
        },
    )


def post_17track(server, carrier_id, body, key):
    sign = hashlib.sha256(body + b"/" + key.encode()).hexdigest()
    return post(
        server,
        carrier_id,
        body,
        {"Content-Type": "application/json", "sign": sign},
    )


def ship(rpc, warehouse, product, partner, provider, code, secret, number):
    """A carrier of ``provider``, an order shipped with it under ``number``:
    the id of the carrier and of the shipment its delivery created."""
    carrier = scenario.make_carrier(rpc, secret, provider=provider)
    rpc.execute(
        "delivery.carrier",
        "write",
        [carrier],
        {"tracking_carrier_code": code, "tracking_api_key": "key-" + secret},
    )
    order = scenario.make_order(rpc, partner, warehouse, [(product, 1)])
    rpc.execute("sale.order", "action_confirm", [order])
    pickings = scenario.deliver_order(rpc, order, carrier, number)
    [shipment] = rpc.execute(
        "erp.shipment",
        "search_read",
        [("picking_id", "in", pickings)],
        fields=["id", "state", "sale_order_id", "tracking_number"],
    )
    assert shipment["state"] == "shipped"
    assert shipment["sale_order_id"][0] == order
    assert shipment["tracking_number"] == number
    return carrier, shipment["id"]


def read_shipment(rpc, shipment_id):
    return rpc.execute(
        "erp.shipment",
        "read",
        [shipment_id],
        ["state", "received_by", "event_count", "received_at"],
    )[0]


def test_recorded_pushes_reach_the_mapped_state(server):
    rpc = server.rpc()
    warehouse = scenario.make_warehouse(rpc)
    product = scenario.make_product(rpc)
    scenario.set_stock(rpc, product, warehouse, 10)
    partner = scenario.make_partner(rpc)

    # --- 快递100: form push, sign = upper MD5(param + salt) -------------------
    salt = "salt-" + scenario.uid()
    kd_carrier, kd_shipment = ship(
        rpc,
        warehouse,
        product,
        partner,
        "kuaidi100",
        "shunfeng",
        salt,
        "SF1410293847561",
    )
    status, answer = post_kuaidi100(
        server, kd_carrier, recorded("kuaidi100_push_dispatching.json").decode(), salt
    )
    assert status == 200, answer
    assert (answer["result"], answer["returnCode"], answer["message"]) == (
        True,
        "200",
        "成功",
    )
    assert answer["new_events"] == 4
    assert read_shipment(rpc, kd_shipment)["state"] == "out_for_delivery"
    # a forged signature: 快递100's refusal, nothing stored
    status, answer = post_kuaidi100(
        server, kd_carrier, recorded("kuaidi100_push_signed.json").decode(), "forged"
    )
    assert (status, answer["result"]) == (403, False)
    assert read_shipment(rpc, kd_shipment)["event_count"] == 4
    # 签收 (state 3, 301): delivered, the signer recorded, not confirmed
    status, answer = post_kuaidi100(
        server, kd_carrier, recorded("kuaidi100_push_signed.json").decode(), salt
    )
    assert status == 200 and answer["result"] is True, answer
    shipment = read_shipment(rpc, kd_shipment)
    assert shipment["state"] == "delivered", shipment
    assert shipment["received_by"]
    assert not shipment["received_at"]

    # --- AfterShip: JSON, base64 HMAC-SHA256 of the body --------------------
    secret = "as-" + scenario.uid()
    as_carrier, as_shipment = ship(
        rpc, warehouse, product, partner, "aftership", "yto", secret, "YT7520318846512"
    )
    body = recorded("aftership_webhook.json")
    status, answer = post_aftership(server, as_carrier, body, secret)
    assert status == 200 and answer["new_events"] == 2, answer
    shipment = read_shipment(rpc, as_shipment)
    assert (shipment["state"], shipment["received_by"]) == ("delivered", "张伟")
    # the same event_id again: acknowledged, stored once
    status, answer = post_aftership(server, as_carrier, body, secret)
    assert status == 200 and answer["new_events"] == 0, answer
    assert read_shipment(rpc, as_shipment)["event_count"] == 2

    # --- 17TRACK: JSON, sign = hex SHA-256(body + "/" + key) ----------------
    key = "17-" + scenario.uid()
    t17_carrier, t17_shipment = ship(
        rpc, warehouse, product, partner, "17track", "190271", key, "JD0098765432101"
    )
    body = recorded("track17_push.json")
    status, answer = post_17track(server, t17_carrier, body, "wrong")
    assert status == 403, answer
    status, answer = post_17track(server, t17_carrier, body, key)
    assert status == 200 and answer["new_events"] == 4, answer
    shipment = read_shipment(rpc, t17_shipment)
    assert (shipment["state"], shipment["received_by"]) == ("delivered", "刘洋")

    # a push naming a number the database does not know: acknowledged
    push = json.loads(body)
    push["data"]["number"] = "JD0000000000000"
    status, answer = post_17track(
        server, t17_carrier, json.dumps(push, ensure_ascii=False).encode(), key
    )
    assert status == 200 and answer["ignored"] == 4, answer
    assert "Traceback" not in server.log()
