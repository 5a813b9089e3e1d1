"""Tracking pushes per second on a live server (issue 17).

Run by bench/bench_push.sh, which starts Odoo with 2 workers on a copy of a
database holding the addons; this script only talks HTTP to it:

1. setup over JSON-RPC: a 快递100 carrier and a webhook carrier, and
   BENCH_PUSHES shipments (in transit) for each;
2. then BENCH_PUSH_ROUNDS rounds, each posting, by BENCH_PUSH_CLIENTS
   concurrent clients (http.client threads, one connection each, kept open
   when the server allows it), a slice of the prepared bodies of each kind
   one after the other (the kinds swap order every round):
   - ``kuaidi100``: 快递100 callbacks (form ``param`` + ``sign`` = upper MD5 of
     param + salt), 10 new events each;
   - ``webhook``: the addon's own webhook (JSON, X-ERP-Signature HMAC), the
     same 10 events per request;
   - ``refused``: a mis-signed 快递100 push (the signature is checked, nothing
     is read or stored): the floor of a request to the route.
   Every answer is checked (200 with 10 new events; 403 for ``refused``).

Prints one ``BENCH {json}`` line: pushes/s per kind and round, the median,
the clients' own CPU time per push, how many answers closed the connection,
and the load average before and after.
"""

import hashlib
import hmac
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta

URL = os.environ["BENCH_PUSH_URL"]
DB = os.environ["BENCH_PUSH_DB"]
PUSHES = int(os.environ.get("BENCH_PUSHES", "3000"))
CLIENTS = int(os.environ.get("BENCH_PUSH_CLIENTS", "8"))
ROUNDS = int(os.environ.get("BENCH_PUSH_ROUNDS", "3"))
EVENTS = 10
WARM = 40  # untimed pushes per kind first: the workers load their caches
SALT = "bench-salt-" + uuid.uuid4().hex[:8]
SECRET = "bench-secret-" + uuid.uuid4().hex[:8]


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def rpc(model, method, *args, **kwargs):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [DB, 2, "admin", model, method, list(args), kwargs],
        },
    }
    request = urllib.request.Request(
        f"{URL}/jsonrpc",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        body = json.load(response)
    if "error" in body:
        raise RuntimeError(body["error"])
    return body["result"]


def setup():
    product = rpc(
        "product.product", "create", {"name": "Bench shipping", "type": "service"}
    )
    carriers = {}
    for kind, provider, secret in (
        ("kuaidi100", "kuaidi100", SALT),
        ("webhook", "webhook", SECRET),
    ):
        carriers[kind] = rpc(
            "delivery.carrier",
            "create",
            {
                "name": f"Bench {kind}",
                "product_id": product,
                "delivery_type": "fixed",
                "tracking_provider": provider,
                "tracking_carrier_code": "shunfeng",
                "webhook_secret": secret,
                "erp_notify_customer": False,
            },
        )
    partner = rpc("res.partner", "create", {"name": "Bench customer"})
    for kind, carrier in carriers.items():
        for start in range(0, PUSHES + WARM, 500):
            rpc(
                "erp.shipment",
                "create",
                [
                    {
                        "partner_id": partner,
                        "carrier_id": carrier,
                        "tracking_number": f"SF{kind[:2].upper()}{i:09d}",
                        "state": "shipped",
                        "date_shipped": "2026-11-01 08:00:00",
                        # registered already: no call to 快递100 from the bench
                        "erp_subscription_state": "subscribed",
                    }
                    for i in range(start, min(start + 500, PUSHES + WARM))
                ],
            )
    return carriers


def event_times():
    base = datetime(2026, 11, 2, 8, 0, 0)
    return [base + timedelta(hours=3 * i) for i in range(EVENTS)]


def kuaidi100_body(number, salt=SALT):
    items = [
        {
            "time": t.strftime("%Y-%m-%d %H:%M:%S"),
            "ftime": t.strftime("%Y-%m-%d %H:%M:%S"),
            "context": f"[上海市]快件已到达【上海青浦中转场{i}】，准备发往下一站",
            "areaName": f"上海,上海市,青浦区{i}",
            "status": "在途",
            "statusCode": "1002",
        }
        for i, t in reversed(list(enumerate(event_times())))
    ]
    param = json.dumps(
        {
            "status": "polling",
            "message": "",
            "lastResult": {
                "message": "ok",
                "state": "0",
                "status": "200",
                "ischeck": "0",
                "com": "shunfeng",
                "nu": number,
                "data": items,
            },
        },
        ensure_ascii=False,
    )
    sign = hashlib.md5((param + salt).encode()).hexdigest().upper()
    return urllib.parse.urlencode({"param": param, "sign": sign}).encode()


def webhook_body(number):
    body = json.dumps(
        {
            "events": [
                {
                    "tracking_number": number,
                    "status": "in_transit",
                    "time": t.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
                    "location": f"上海,上海市,青浦区{i}",
                    "description": f"[上海市]快件已到达【上海青浦中转场{i}】",
                }
                for i, t in enumerate(event_times())
            ]
        },
        ensure_ascii=False,
    ).encode()
    return body, hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def prepare(carriers):
    requests = {"kuaidi100": [], "webhook": [], "refused": []}
    for i in range(PUSHES + WARM):
        requests["kuaidi100"].append(
            (carriers["kuaidi100"], kuaidi100_body(f"SFKU{i:09d}"), FORM, 200)
        )
        body, signature = webhook_body(f"SFWE{i:09d}")
        headers = {"Content-Type": "application/json", "X-ERP-Signature": signature}
        requests["webhook"].append((carriers["webhook"], body, headers, 200))
    refused = kuaidi100_body("SFKU000000000", salt="forged")
    requests["refused"] = [(carriers["kuaidi100"], refused, FORM, 403)] * (
        PUSHES + WARM
    )
    # Odoo's own floor on the same server: its health check (no database, no
    # addon code), the fastest request a worker answers
    requests["health"] = [(None, None, {}, 200)] * (PUSHES + WARM)
    return requests


# answers that closed the connection: Odoo's prefork workers answer in
# HTTP/1.0 and close it after each request, whatever the client asks (one TCP
# connection per push, as behind a reverse proxy)
CLOSED = []


def run(batch):
    """Post ``batch`` with CLIENTS clients, each on one connection kept open
    as long as the server allows (http.client reconnects when it closes).

    :return: ``(pushes per second, the client's CPU time per push in ms)``:
        the clients share the server's cores, so their own cost is measured
        (user + system time of this process, all threads)
    """
    host = urllib.parse.urlparse(URL)
    errors = []
    chunks = [batch[i::CLIENTS] for i in range(CLIENTS)]

    def client(chunk):
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        for carrier, body, headers, expected in chunk:
            if carrier is None:
                conn.request("GET", "/web/health")
            else:
                conn.request("POST", f"/erp_logistics/webhook/{carrier}", body, headers)
            response = conn.getresponse()
            answer = response.read()
            CLOSED.append(response.will_close)
            if response.status != expected or (
                expected == 200
                and carrier is not None
                and json.loads(answer).get("new_events") != EVENTS
            ):
                errors.append((response.status, answer[:300]))
        conn.close()

    threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
    start = time.perf_counter()
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if errors:
        raise RuntimeError(f"{len(errors)} unexpected answers, first: {errors[0]}")
    return len(batch) / elapsed, 1000 * cpu / len(batch)


def main():
    log(f"setup: {PUSHES} shipments per carrier")
    carriers = setup()
    requests = prepare(carriers)
    per_round = PUSHES // ROUNDS
    for kind, batch in requests.items():
        run(batch[PUSHES:])
        log(f"warm-up {kind} done")
    rates = {kind: [] for kind in requests}
    client_cpu = {kind: [] for kind in requests}
    load_before = os.getloadavg()
    for n in range(ROUNDS):
        kinds = ["kuaidi100", "webhook", "refused", "health"]
        if n % 2:
            kinds.reverse()
        for kind in kinds:
            batch = requests[kind][n * per_round : (n + 1) * per_round]
            rate, cpu_ms = run(batch)
            rates[kind].append(round(rate, 1))
            client_cpu[kind].append(round(cpu_ms, 3))
            log(
                f"round {n + 1} {kind}: {rate:.0f} pushes/s ({len(batch)} pushes, "
                f"client CPU {cpu_ms:.2f} ms per push)"
            )
    load_after = os.getloadavg()
    result = {
        "clients": CLIENTS,
        "events_per_push": EVENTS,
        "pushes_per_round": per_round,
        "rates": rates,
        "median": {k: statistics.median(v) for k, v in rates.items()},
        # CPU time of the benchmark's own clients per push (ms): what they
        # take from the 2 cores the server runs on
        "client_cpu_ms_per_push": {
            k: statistics.median(v) for k, v in client_cpu.items()
        },
        "server_closed_connection": f"{sum(CLOSED)}/{len(CLOSED)} answers",
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
    }
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    main()
