"""The carrier webhook under malformed, mis-signed and concurrent traffic.

Seeded generator (ERP_FUZZ_SEED, ERP_FUZZ_COUNT; default 10,000 bodies) against
a live 2-worker server: only 4xx answers, never 5xx, and nothing stored.
"""

import hashlib
import hmac
import http.client
import json
import os
import random
import threading
from urllib.parse import urlparse

import pytest
import scenario

SECRET = "s3cr3t-" + scenario.uid()


def sign(body, secret=SECRET):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Poster:
    """Keep-alive HTTP client for the webhook."""

    def __init__(self, base_url, carrier_id):
        url = urlparse(base_url)
        self.host, self.port = url.hostname, url.port
        self.path = f"/erp_logistics/webhook/{carrier_id}"
        self.conn = None

    def post(self, body, signature=None, path=None):
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-ERP-Signature"] = signature
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, 60)
                self.conn.request("POST", path or self.path, body, headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def _valid_event(tracking, status="in_transit", hour=10):
    return {
        "tracking_number": tracking,
        "status": status,
        "time": f"2026-11-20T{hour:02d}:00:00Z",
        "location": "Shanghai",
        "description": "运输中",
    }


def malformed_bodies(rng, tracking):
    """Yield (body, signature) pairs that the webhook must reject with 4xx."""
    junk_values = [
        None,
        1,
        -1,
        3.5,
        "",
        "x" * 300,
        [],
        {},
        True,
        "\u0000",
        "2026-13-45T99:99:99",
        "shipped; DROP TABLE",
        "已签收",
    ]
    statuses = ["draft", "unknown", "", "DELIVERED", "In_Transit", None, 7]
    while True:
        kind = rng.randrange(9)
        if kind == 0:  # random bytes, correctly signed
            body = rng.randbytes(rng.randrange(0, 400))
            yield body, sign(body)
        elif kind == 1:  # valid payload, wrong signature
            body = json.dumps({"events": [_valid_event(tracking)]}).encode()
            yield body, sign(body, "wrong-" + str(rng.random()))
        elif kind == 2:  # valid payload, no or garbage signature header
            body = json.dumps({"events": [_valid_event(tracking)]}).encode()
            yield body, rng.choice([None, "", "00", "zz" * 32, sign(body)[:-1]])
        elif kind == 3:  # wrong top-level shapes, correctly signed
            body = json.dumps(
                rng.choice(
                    [
                        [],
                        {},
                        {"events": None},
                        {"events": {}},
                        {"events": "x"},
                        {"evts": []},
                        42,
                        "events",
                        {"events": [1, 2]},
                    ]
                )
            ).encode()
            yield body, sign(body)
        elif kind == 4:  # one field broken or missing, correctly signed
            event = _valid_event(tracking)
            field = rng.choice(["tracking_number", "status", "time"])
            if rng.random() < 0.3:
                del event[field]
            else:
                event[field] = rng.choice(
                    statuses if field == "status" else junk_values
                )
                if field == "tracking_number" and isinstance(event[field], str):
                    event[field] = "UNKNOWN-" + event[field]
            body = json.dumps({"events": [event]}).encode()
            yield body, sign(body)
        elif kind == 5:  # one bad event among good ones: all or nothing
            events = [_valid_event(tracking, hour=h) for h in range(3)]
            events.insert(
                rng.randrange(4),
                {"tracking_number": tracking, "status": "teleported", "time": "x"},
            )
            body = json.dumps({"events": events}).encode()
            yield body, sign(body)
        elif kind == 6:  # truncated JSON, correctly signed
            body = json.dumps({"events": [_valid_event(tracking)]}).encode()
            body = body[: rng.randrange(1, len(body) - 1)]
            yield body, sign(body)
        elif kind == 7:  # not UTF-8, correctly signed
            body = b'{"events": [{"tracking_number": "\xff\xfe"}]}'
            yield body, sign(body)
        else:  # signature of another body
            body = json.dumps({"events": [_valid_event(tracking)]}).encode()
            yield body, sign(body + b" ")


@pytest.fixture
def webhook_setup(odoo_server):
    rpc = odoo_server.rpc()
    carrier_id = scenario.make_carrier(rpc, SECRET)
    warehouse_id = scenario.make_warehouse(rpc)
    product_id = scenario.make_product(rpc)
    scenario.set_stock(rpc, product_id, warehouse_id, 10)
    partner_id = scenario.make_partner(rpc)
    order_id = scenario.make_order(rpc, partner_id, warehouse_id, [(product_id, 1)])
    rpc.execute("sale.order", "action_confirm", [order_id])
    tracking = "TRK" + scenario.uid().upper()
    scenario.deliver_order(rpc, order_id, carrier_id, tracking)
    shipment = rpc.execute(
        "erp.shipment",
        "search_read",
        [("tracking_number", "=", tracking)],
        fields=["id", "state"],
    )
    assert shipment and shipment[0]["state"] == "shipped", shipment
    return rpc, carrier_id, tracking, shipment[0]["id"]


def _event_count(rpc):
    return rpc.execute("erp.shipment.event", "search_count", [])


def test_fuzzed_bodies_only_get_4xx_and_store_nothing(odoo_server, webhook_setup):
    """Given a carrier with a webhook secret and a shipped parcel, when
    thousands of malformed or mis-signed bodies are posted, every answer is a
    4xx and no tracking event is stored."""
    rpc, carrier_id, tracking, shipment_id = webhook_setup
    seed = int(os.environ.get("ERP_FUZZ_SEED", "20261130"))
    count = int(os.environ.get("ERP_FUZZ_COUNT", "10000"))
    before = _event_count(rpc)
    rng = random.Random(seed)
    poster = Poster(odoo_server.url, carrier_id)
    statuses = {}
    bodies = malformed_bodies(rng, tracking)
    for _ in range(count):
        body, signature = next(bodies)
        status, answer = poster.post(body, signature)
        statuses[status] = statuses.get(status, 0) + 1
        assert 400 <= status < 500, (status, body[:200], answer[:300])
    # unknown carrier and oversized body
    assert poster.post(b"{}", sign(b"{}"), path="/erp_logistics/webhook/999999")[0] in (
        400,
        403,
        404,
    )
    huge = json.dumps({"events": [_valid_event(tracking)] * 40000}).encode()
    assert 400 <= poster.post(huge, sign(huge))[0] < 500
    assert _event_count(rpc) == before
    state = rpc.execute("erp.shipment", "read", [shipment_id], ["state"])[0]["state"]
    assert state == "shipped"
    assert 403 in statuses and 400 in statuses, statuses


def test_concurrent_replays_store_one_event(odoo_server, webhook_setup):
    """Given one valid signed event, when 12 clients post it at the same time,
    the event is stored once and the shipment moves once."""
    rpc, carrier_id, tracking, shipment_id = webhook_setup
    body = json.dumps({"events": [_valid_event(tracking, "out_for_delivery")]}).encode()
    results = []
    barrier = threading.Barrier(12)

    def worker():
        poster = Poster(odoo_server.url, carrier_id)
        barrier.wait()
        results.append(poster.post(body, sign(body)))

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [status for status, _ in results] == [200] * 12, results
    new_counts = [json.loads(answer)["new_events"] for _, answer in results]
    assert sorted(new_counts) == [0] * 11 + [1], new_counts
    events = rpc.execute(
        "erp.shipment.event",
        "search_read",
        [("shipment_id", "=", shipment_id), ("status", "=", "out_for_delivery")],
        fields=["id"],
    )
    assert len(events) == 1
    state = rpc.execute("erp.shipment", "read", [shipment_id], ["state"])[0]["state"]
    assert state == "out_for_delivery"
