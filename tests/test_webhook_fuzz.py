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
import socket
import threading
import time
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
    # unknown carrier (answered like a bad signature) and oversized body
    path = "/erp_logistics/webhook/999999"
    assert poster.post(b"{}", sign(b"{}"), path=path)[0] == 403
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


# ---------------------------------------------------------------- issue 15
# Replays of the hardening findings about the webhook (1, 8, 9 and 15).


def _raw_chunked_post(base_url, path, chunks, signature="00", timeout=15):
    """Send a chunked POST of ``chunks`` bytes objects without the final empty
    chunk (the body never ends) and return (seconds to the status line,
    status line), or (None, b"") when no answer came within ``timeout``."""
    url = urlparse(base_url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {url.hostname}\r\n"
        "Content-Type: application/json\r\n"
        f"X-ERP-Signature: {signature}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    start = time.monotonic()
    with socket.create_connection((url.hostname, url.port), timeout) as conn:
        conn.sendall(head)
        try:
            for chunk in chunks:
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed the connection meanwhile
        answer = b""
        try:
            while b"\r\n" not in answer:
                data = conn.recv(4096)
                if not data:
                    break
                answer += data
        except TimeoutError:
            return None, b""
    return time.monotonic() - start, answer.split(b"\r\n")[0]


def test_chunked_body_over_the_limit_gets_413_before_it_is_read(
    odoo_server, webhook_setup
):
    """Finding 1. Given a chunked POST (no Content-Length) with a bad signature
    whose body is already 4 MiB and never ends, when it is sent, then 413
    comes back quickly: the server stops at 1 MiB instead of waiting for (and
    buffering) the whole body. Several at once too, and the server still
    answers afterwards."""
    _rpc, carrier_id, _tracking, _shipment_id = webhook_setup
    path = f"/erp_logistics/webhook/{carrier_id}"
    chunk = b"x" * 65536
    elapsed, status_line = _raw_chunked_post(odoo_server.url, path, [chunk] * 64)
    assert elapsed is not None, "no answer: the server waits for the whole body"
    assert status_line.split()[1:2] == [b"413"], status_line
    assert elapsed < 10, elapsed
    results = []

    def attack():
        results.append(_raw_chunked_post(odoo_server.url, path, [chunk] * 48))

    threads = [threading.Thread(target=attack) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r[1].split()[1:2] for r in results] == [[b"413"]] * 3, results
    # a Content-Length above the limit is refused without reading the body
    url = urlparse(odoo_server.url)
    with socket.create_connection((url.hostname, url.port), 15) as conn:
        conn.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {url.hostname}\r\n"
                "Content-Type: application/json\r\nX-ERP-Signature: 00\r\n"
                f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
            ).encode()
            + chunk
        )
        assert conn.recv(4096).split()[1] == b"413"
    body = b"{}"
    assert Poster(odoo_server.url, carrier_id).post(body, sign(body))[0] == 400


def test_malformed_signed_events_get_400_and_store_nothing(odoo_server, webhook_setup):
    """Finding 8. Given correctly signed events whose status is a list or an
    object, whose time overflows, whose text is not encodable, or a body
    nested 100,000 levels deep, when posted, then each gets 400 with a reason
    (never a 500) and nothing is stored."""
    rpc, carrier_id, tracking, shipment_id = webhook_setup
    before = _event_count(rpc)
    poster = Poster(odoo_server.url, carrier_id)
    events = [
        dict(_valid_event(tracking), status=["delivered"]),
        dict(_valid_event(tracking), status={"$ne": "x"}),
        dict(_valid_event(tracking), time="9999-12-31T23:59:59-23:59"),
        dict(_valid_event(tracking), time="0001-01-01T00:00:00+14:00"),
        dict(_valid_event(tracking), time="99999-01-01T00:00:00Z"),
        dict(_valid_event(tracking), time=10**300),
        dict(_valid_event(tracking), location="\ud800"),
        dict(_valid_event(tracking), tracking_number=tracking + "\udc00"),
    ]
    bodies = [json.dumps({"events": [event]}).encode() for event in events]
    bodies.append(b'{"events": [' + b"[" * 200000 + b"]" * 200000 + b"]}")
    for body in bodies:
        status, answer = poster.post(body, sign(body))
        assert status == 400, (status, body[:120], answer[:300])
        assert json.loads(answer)["reason"], answer
    assert _event_count(rpc) == before
    state = rpc.execute("erp.shipment", "read", [shipment_id], ["state"])[0]["state"]
    assert state == "shipped"
    assert "Traceback" not in odoo_server.log()


def test_future_event_gets_400_and_does_not_freeze_the_shipment(
    odoo_server, webhook_setup
):
    """Finding 9. Given a signed event dated 2062, when posted, then 400 says
    it is in the future and a later real event still moves the shipment."""
    rpc, carrier_id, tracking, shipment_id = webhook_setup
    poster = Poster(odoo_server.url, carrier_id)
    event = dict(_valid_event(tracking, "delivered"), time="2062-01-01T00:00:00Z")
    body = json.dumps({"events": [event]}).encode()
    status, answer = poster.post(body, sign(body))
    assert status == 400, answer
    assert "future" in json.loads(answer)["reason"]
    body = json.dumps({"events": [_valid_event(tracking, "in_transit")]}).encode()
    assert poster.post(body, sign(body))[0] == 200
    state = rpc.execute("erp.shipment", "read", [shipment_id], ["state"])[0]["state"]
    assert state == "in_transit"


def test_carrier_ids_cannot_be_enumerated(odoo_server, webhook_setup):
    """Finding 15. Given a bad signature on a real webhook carrier, an
    unknown carrier id, a carrier without a webhook and a webhook carrier
    without a secret, when a body is posted to each, then all get the same
    status and the same body."""
    rpc, carrier_id, tracking, _shipment_id = webhook_setup
    manual_id = scenario.make_carrier(rpc, False, provider="manual")
    no_secret_id = scenario.make_carrier(rpc, False)
    poster = Poster(odoo_server.url, carrier_id)
    body = json.dumps({"events": [_valid_event(tracking)]}).encode()
    reference = poster.post(body, sign(body, "wrong"))
    assert reference[0] == 403, reference
    for other_id in (999999999, manual_id, no_secret_id):
        path = f"/erp_logistics/webhook/{other_id}"
        for signature in (sign(body, "wrong"), sign(body), ""):
            assert poster.post(body, signature, path=path) == reference, other_id


def test_formula_text_is_stored_as_text(odoo_server, webhook_setup):
    """Finding 15. Given a signed event whose texts start with =, +, - or @,
    when stored, then each starts with an apostrophe (no formula on export)."""
    rpc, carrier_id, tracking, shipment_id = webhook_setup
    event = dict(
        _valid_event(tracking, "delivered"),
        location='=HYPERLINK("http://evil.example","x")',
        description="+cmd|' /C calc'!A0",
        received_by="@SUM(1+1)",
    )
    body = json.dumps({"events": [event]}).encode()
    status, answer = Poster(odoo_server.url, carrier_id).post(body, sign(body))
    assert status == 200, answer
    stored = rpc.execute(
        "erp.shipment.event",
        "search_read",
        [("shipment_id", "=", shipment_id)],
        fields=["location", "description", "received_by"],
    )
    assert stored == [
        {
            "id": stored[0]["id"],
            "location": "'" + event["location"],
            "description": "'" + event["description"],
            "received_by": "'@SUM(1+1)",
        }
    ]
