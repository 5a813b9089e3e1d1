"""The attacks of the security review (issue 15), replayed against a live
server over JSON-RPC (and the report route for the forecast graph), so that
none comes back.

Each test names its finding; the users are the review's: a user of the first
company only, an inventory user, a virtual stock reader and manager, a
salesman who may edit customers, a sales manager, a salesman restricted to
his own documents, a logistics user and an anonymous client holding a
tracking link.
"""

import http.cookiejar
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import scenario
from conftest import RpcError

STOCK_USER = ["base.group_user", "stock.group_stock_user"]
VS_USER = ["base.group_user", "erp_virtual_stock.erp_virtual_stock_group_user"]
VS_MANAGER = ["base.group_user", "erp_virtual_stock.erp_virtual_stock_group_manager"]
SALESMAN = [
    "base.group_user",
    "base.group_partner_manager",
    "erp_order_priority.erp_order_priority_group_user",
]
SALES_MANAGER = ["base.group_user", "sales_team.group_sale_manager"]
OWN_SALESMAN = ["base.group_user", "sales_team.group_sale_salesman"]
LOGISTICS_USER = ["base.group_user", "erp_logistics.erp_logistics_group_user"]
HTTP_HOSTS_PARAM = "erp_logistics.tracking_http_hosts"


@pytest.fixture(scope="module")
def admin(server):
    return server.rpc()


def _user(server, admin, prefix, groups, **values):
    login = scenario.make_user(admin, prefix, groups, **values)
    return server.rpc(login, login)


def _rejected(kind, call, *args, **kwargs):
    """Call over RPC and expect an error of class ``kind``."""
    with pytest.raises(RpcError) as error:
        call(*args, **kwargs)
    assert kind in error.value.name, error.value
    return error.value


def _refused(call, *args, **kwargs):
    return _rejected("AccessError", call, *args, **kwargs)


def test_finding_5_other_company_warehouse_in_context(server, admin):
    """Given 9 units in the second company's warehouse, when a user of the
    first company only reads or searches the virtual stock with that
    warehouse (id or stock location) in the context, it is refused as Odoo's
    qty_available refuses it; by name it finds nothing."""
    company_a = scenario.ref(admin, "base.main_company")
    company_b = admin.execute(
        "res.company", "create", {"name": "Attack Company B " + scenario.uid()}
    )
    context_b = {"allowed_company_ids": [company_b]}
    # (Odoo creates a new company's warehouse only in its own test mode)
    warehouse_b = admin.execute(
        "stock.warehouse",
        "create",
        {
            "name": "Attack B",
            "code": "AB" + scenario.uid()[:3],
            "company_id": company_b,
        },
        context=context_b,
    )
    product = scenario.make_product(admin)
    location_b = admin.execute(
        "stock.warehouse", "read", [warehouse_b], ["lot_stock_id"], context=context_b
    )[0]["lot_stock_id"][0]
    quant = admin.execute(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": location_b, "inventory_quantity": 9},
        context=context_b,
    )
    admin.execute("stock.quant", "action_apply_inventory", [quant], context=context_b)
    assert (
        admin.execute(
            "product.product",
            "read",
            [product],
            ["virtual_stock_qty"],
            context={**context_b, "warehouse_id": warehouse_b},
        )[0]["virtual_stock_qty"]
        == 9
    )
    user = _user(
        server,
        admin,
        "attack_company_a",
        VS_USER,
        company_id=company_a,
        company_ids=[(6, 0, [company_a])],
    )
    for context in (
        {"warehouse_id": warehouse_b},
        {"warehouse_id": [warehouse_b]},
        {"location": location_b},
    ):
        _refused(
            user.execute,
            "product.product",
            "read",
            [product],
            ["qty_available"],
            context=context,
        )
        _refused(
            user.execute,
            "product.product",
            "read",
            [product],
            ["virtual_stock_qty"],
            context=context,
        )
    _refused(
        user.execute,
        "product.product",
        "search",
        [("virtual_stock_qty", ">", 0)],
        context={"warehouse_id": warehouse_b},
    )
    name_b = admin.execute("stock.warehouse", "read", [warehouse_b], ["name"])[0]
    by_name = user.execute(
        "product.product",
        "read",
        [product],
        ["virtual_stock_qty"],
        context={"warehouse_id": name_b["name"]},
    )
    assert by_name[0]["virtual_stock_qty"] == 0


def test_finding_7_client_context_cannot_defer_reservations(server, admin):
    """Given a confirmed order of 5 units not reserved and 5 units arriving,
    when an inventory user reserves its delivery with the allocation's
    internal context key as a plain dict, the quant reserves the 5 units the
    move lines hold."""
    warehouse = scenario.make_warehouse(admin)
    product = scenario.make_product(admin)
    order = scenario.make_order(
        admin, scenario.make_partner(admin), warehouse, [(product, 5)]
    )
    admin.execute("sale.order", "action_confirm", [order])
    location = scenario.set_stock(admin, product, warehouse, 5)
    picking = admin.execute("stock.picking", "search", [("sale_id", "=", order)])
    user = _user(server, admin, "attack_stock", STOCK_USER)
    user.execute(
        "stock.picking",
        "action_assign",
        picking,
        context={"erp_deferred_reservations": {}},
    )
    lines = admin.execute(
        "stock.move.line",
        "search_read",
        [("picking_id", "in", picking)],
        fields=["quantity"],
    )
    quants = admin.execute(
        "stock.quant",
        "search_read",
        [("product_id", "=", product), ("location_id", "=", location)],
        fields=["reserved_quantity"],
    )
    assert sum(line["quantity"] for line in lines) == 5
    assert sum(quant["reserved_quantity"] for quant in quants) == 5


def test_finding_13_forecast_graph_days(server, admin):
    """Given a forecast row, when a virtual stock user asks the graph for
    700,000 days, they get a graph of at most two years quickly; a negative
    number is drawn over one day; a non-integer is a 400, never a 500."""
    manager = _user(server, admin, "attack_vs_manager", VS_MANAGER)
    product = scenario.make_product(admin)
    scenario.set_stock(admin, product, scenario.make_warehouse(admin), 10)
    manager.execute("erp.demand.forecast", "action_refresh")
    forecast = admin.execute(
        "erp.demand.forecast", "search", [("product_id", "=", product)], limit=1
    )[0]
    login = scenario.make_user(admin, "attack_vs_reader", VS_USER)
    opener = scenario.web_session(server, login)
    url = (
        f"{server.url}/report/html/erp_virtual_stock.report_demand_forecast_graph"
        f"/{forecast}?days="
    )
    start = time.monotonic()
    with opener.open(url + "700000", timeout=120) as response:
        assert response.status == 200
        assert len(response.read()) < 500_000
    assert time.monotonic() - start < 5
    with opener.open(url + "-5", timeout=60) as response:
        assert response.status == 200
    for junk in ("abc", "1.5", "1e9"):
        with pytest.raises(urllib.error.HTTPError) as error:
            opener.open(url + junk, timeout=60)
        assert error.value.code == 400, junk


def test_finding_14_refresh_and_customer_tier_need_a_manager(server, admin):
    """Given a virtual stock reader and a salesman who may edit customers,
    the reader cannot refresh the forecast (nor sees the button) and the
    salesman cannot give a customer a tier, on an existing customer or a new
    one; the managers can."""
    reader = _user(server, admin, "attack_vs_reader", VS_USER)
    _refused(reader.execute, "erp.demand.forecast", "action_refresh")
    for client, shown in ((reader, False), (admin, True)):
        arch = client.execute("erp.demand.forecast", "get_views", [[False, "list"]])
        assert ('name="action_refresh"' in arch["views"]["list"]["arch"]) == shown
    salesman = _user(server, admin, "attack_salesman", SALESMAN)
    partner = scenario.make_partner(admin)
    _refused(
        salesman.execute, "res.partner", "write", [partner], {"customer_tier": "vip"}
    )
    _refused(
        salesman.execute,
        "res.partner",
        "create",
        {"name": "Self-made VIP", "customer_tier": "vip"},
    )
    salesman.execute("res.partner", "write", [partner], {"phone": "+86 21 5555 0199"})
    admin.execute("res.partner", "write", [partner], {"customer_tier": "gold"})
    assert (
        admin.execute("res.partner", "read", [partner], ["customer_tier"])[0][
            "customer_tier"
        ]
        == "gold"
    )


# --------------------------------------------------------------- logistics
def _carrier(admin, provider="manual"):
    """A carrier that sends the customer no mail."""
    carrier = scenario.make_carrier(admin, "replay-" + scenario.uid(), provider)
    admin.execute(
        "delivery.carrier", "write", [carrier], {"erp_notify_customer": False}
    )
    return carrier


def _shipment(admin, carrier, partner, **values):
    """A shipped shipment of ``partner`` with a tracking number."""
    return admin.execute(
        "erp.shipment",
        "create",
        {
            "partner_id": partner,
            "carrier_id": carrier,
            "tracking_number": "RP" + scenario.uid().upper(),
            "state": "shipped",
            **values,
        },
    )


def _read(admin, shipment, fields=("state", "received_at", "received_by")):
    return admin.execute("erp.shipment", "read", [shipment], list(fields))[0]


def _csrf(html):
    """The CSRF token every page of a session carries in its layout."""
    return re.search(r'csrf_token: "([^"]+)"', html).group(1)


def _confirm(server, opener, shipment, csrf, **data):
    """POST the portal's confirmation of receipt; the final URL."""
    request = urllib.request.Request(
        f"{server.url}/my/shipments/{shipment}/confirm",
        urllib.parse.urlencode({"csrf_token": csrf, **data}).encode(),
    )
    with opener.open(request, timeout=60) as response:
        return response.url


def _get(opener, url):
    with opener.open(url, timeout=60) as response:
        return response.read().decode()


class _CarrierApi(BaseHTTPRequestHandler):
    """A listener on this machine playing the carrier's tracking API: its
    /track answers a redirection to an internal address of the same host."""

    def do_GET(self):  # noqa: N802 (http.server API)
        self.server.paths.append(self.path)
        if self.path.startswith("/internal"):
            body = b'{"events": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        else:
            body = b""
            self.send_response(302)
            self.send_header("Location", "/internal/admin")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return


@pytest.fixture
def carrier_api():
    listener = ThreadingHTTPServer(("127.0.0.1", 0), _CarrierApi)
    listener.paths = []
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    yield listener
    listener.shutdown()
    listener.server_close()


def _set_http_hosts(admin, hosts):
    """Set the hosts the tracking API may reach over plain http; the
    previous value."""
    previous = admin.execute("ir.config_parameter", "get_param", HTTP_HOSTS_PARAM)
    admin.execute("ir.config_parameter", "set_param", HTTP_HOSTS_PARAM, hosts)
    return previous


def test_finding_2_tracking_api_is_for_logistics_administrators(
    server, admin, carrier_api
):
    """Given a polling carrier, a sales manager (who may edit delivery
    methods) can neither point its tracking API elsewhere nor change its
    provider; plain http to this machine is refused unless an administrator
    allowed the host; a redirection is not followed; and a failing poll
    names neither the host nor the port it tried."""
    carrier = _carrier(admin, "json_api")
    admin.execute(
        "delivery.carrier",
        "write",
        [carrier],
        {"tracking_api_url": "https://api.carrier.example/v1"},
    )
    sales_manager = _user(server, admin, "attack_sales_manager", SALES_MANAGER)
    listener_url = f"http://127.0.0.1:{carrier_api.server_port}/v1"
    for field, value in (
        ("tracking_api_url", listener_url),
        ("tracking_provider", "webhook"),
    ):
        _refused(
            sales_manager.execute,
            "delivery.carrier",
            "write",
            [carrier],
            {field: value},
        )
    sales_manager.execute("delivery.carrier", "write", [carrier], {"name": "Renamed"})
    assert admin.execute(
        "delivery.carrier", "read", [carrier], ["tracking_api_url", "tracking_provider"]
    )[0] == {
        "id": carrier,
        "tracking_api_url": "https://api.carrier.example/v1",
        "tracking_provider": "json_api",
    }

    previous = _set_http_hosts(admin, "api.example")
    try:
        _rejected(
            "ValidationError",
            admin.execute,
            "delivery.carrier",
            "write",
            [carrier],
            {"tracking_api_url": listener_url},
        )
        _set_http_hosts(admin, "127.0.0.1")
        admin.execute(
            "delivery.carrier",
            "write",
            [carrier],
            {"tracking_api_url": listener_url, "tracking_api_key": "replay-key"},
        )
        shipment = _shipment(admin, carrier, scenario.make_partner(admin))
        _rejected(
            "UserError",
            admin.execute,
            "erp.shipment",
            "action_poll_tracking",
            [shipment],
        )
        assert carrier_api.paths and all(
            path.startswith("/v1/track") for path in carrier_api.paths
        ), carrier_api.paths

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        admin.execute(
            "delivery.carrier",
            "write",
            [carrier],
            {"tracking_api_url": f"http://127.0.0.1:{closed_port}/v1"},
        )
        error = _rejected(
            "UserError",
            admin.execute,
            "erp.shipment",
            "action_poll_tracking",
            [shipment],
        )
        for leak in ("127.0.0.1", str(closed_port), "Errno", "refused", "Connection"):
            assert leak not in error.message, error.message
    finally:
        _set_http_hosts(admin, previous)


def test_finding_2_sales_manager_cannot_create_a_tracking_configuration(server, admin):
    """Given a sales manager, who may create delivery methods, when he
    creates one with a tracking provider, an API URL, an API key or a webhook
    secret of his own (as values or as context defaults), it is refused as
    on an existing carrier; without them the carrier is created with manual
    tracking."""
    sales_manager = _user(server, admin, "attack_sales_manager", SALES_MANAGER)
    product = admin.execute(
        "product.product",
        "create",
        {"name": "Shipping " + scenario.uid(), "type": "service"},
    )
    base = {"product_id": product, "delivery_type": "fixed"}
    for field, value in (
        ("tracking_provider", "json_api"),
        ("tracking_api_url", "https://listener.example/v1"),
        ("tracking_api_key", "own-key"),
        ("webhook_secret", "own-secret"),
    ):
        _refused(
            sales_manager.execute,
            "delivery.carrier",
            "create",
            {**base, "name": "Own courier " + field, field: value},
        )
        _refused(
            sales_manager.execute,
            "delivery.carrier",
            "create",
            {**base, "name": "Own courier " + field},
            context={"default_" + field: value},
        )
    carrier = sales_manager.execute(
        "delivery.carrier", "create", {**base, "name": "Plain courier"}
    )
    assert (
        admin.execute("delivery.carrier", "read", [carrier], ["tracking_provider"])[0][
            "tracking_provider"
        ]
        == "manual"
    )


def test_finding_3_confirm_receipt_needs_write_access(server, admin):
    """Given a salesman restricted to his own documents and the shipment of
    his own order, which he may read but not write, when he posts its
    confirmation of receipt, nothing is recorded and the order stays open; a
    logistics user posting the same confirmation records it."""
    login = scenario.make_user(admin, "attack_own_salesman", OWN_SALESMAN)
    salesman = server.rpc(login, login)
    warehouse = scenario.ref(admin, "stock.warehouse0")
    order = scenario.make_order(
        admin,
        scenario.make_partner(admin),
        warehouse,
        [(scenario.make_product(admin), 1)],
    )
    admin.execute("sale.order", "write", [order], {"user_id": salesman.uid})
    partner = admin.execute("sale.order", "read", [order], ["partner_id"])
    shipment = _shipment(
        admin, _carrier(admin), partner[0]["partner_id"][0], sale_order_id=order
    )
    assert salesman.execute("erp.shipment", "read", [shipment], ["name"])
    _refused(
        salesman.execute, "erp.shipment", "write", [shipment], {"received_by": "Sales"}
    )
    opener = scenario.web_session(server, login)
    csrf = _csrf(_get(opener, f"{server.url}/my"))
    _confirm(server, opener, shipment, csrf, received_by="Sales")
    assert _read(admin, shipment) == {
        "id": shipment,
        "state": "shipped",
        "received_at": False,
        "received_by": False,
    }

    desk = scenario.make_user(admin, "attack_logistics", LOGISTICS_USER)
    opener = scenario.web_session(server, desk)
    csrf = _csrf(_get(opener, f"{server.url}/my/shipments/{shipment}"))
    assert "success=confirmed" in _confirm(
        server, opener, shipment, csrf, received_by="Desk"
    )
    confirmed = _read(admin, shipment)
    assert confirmed["received_by"] == "Desk" and confirmed["received_at"]


def test_finding_4_tracking_link_only_shows(server, admin):
    """Given the tracking link (access token) printed on the slip, when
    someone without login opens it, they see the shipment but no way to
    confirm; posting the confirmation with the token records nothing; once
    the carrier reports the delivery the old link shows nothing and a new
    one does; the signed-in customer confirms the receipt."""
    partner = scenario.make_partner(admin)
    shipment = _shipment(admin, _carrier(admin), partner)
    name = _read(admin, shipment, ["name"])["name"]
    old_url = server.url + admin.execute("erp.shipment", "get_portal_url", [shipment])
    assert "access_token=" in old_url
    anonymous = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = _get(anonymous, old_url)
    assert name in page
    assert "o_erp_confirm_receipt" not in page
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(old_url).query)
    _confirm(
        server,
        anonymous,
        shipment,
        _csrf(page),
        access_token=token["access_token"][0],
        received_by="Parcel finder",
    )
    assert _read(admin, shipment) == {
        "id": shipment,
        "state": "shipped",
        "received_at": False,
        "received_by": False,
    }

    admin.execute(
        "erp.shipment.event",
        "create",
        {
            "shipment_id": shipment,
            "status": "delivered",
            "event_time": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
            "location": "Shanghai",
        },
    )
    assert _read(admin, shipment)["state"] == "delivered"
    assert name not in _get(anonymous, old_url)
    new_url = server.url + admin.execute("erp.shipment", "get_portal_url", [shipment])
    assert new_url != old_url
    assert name in _get(anonymous, new_url)

    login = scenario.make_user(
        admin, "attack_portal", ["base.group_portal"], partner_id=partner
    )
    customer = scenario.web_session(server, login)
    page = _get(customer, f"{server.url}/my/shipments/{shipment}")
    assert "o_erp_confirm_receipt" in page
    assert "success=confirmed" in _confirm(
        server, customer, shipment, _csrf(page), received_by="Customer"
    )
    assert _read(admin, shipment)["received_by"] == "Customer"


def test_finding_6_only_http_tracking_links(server, admin):
    """Given a carrier and one of its shipments, a sales manager cannot
    store a script link as the carrier's tracking link template, nor a
    logistics user as the shipment's tracking URL; nothing changes. An https
    template is accepted and the tracking number is quoted into it."""
    carrier = _carrier(admin)
    shipment = _shipment(admin, carrier, scenario.make_partner(admin))
    sales_manager = _user(server, admin, "attack_sales_manager", SALES_MANAGER)
    logistics = _user(server, admin, "attack_logistics", LOGISTICS_USER)
    for url in (
        "javascript:alert(1)",
        " JavaScript:alert(document.cookie)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ):
        _rejected(
            "ValidationError",
            sales_manager.execute,
            "delivery.carrier",
            "write",
            [carrier],
            {"tracking_url": url + "//<shipmenttrackingnumber>"},
        )
        _rejected(
            "ValidationError",
            logistics.execute,
            "erp.shipment",
            "write",
            [shipment],
            {"tracking_url": url},
        )
    assert not admin.execute("delivery.carrier", "read", [carrier], ["tracking_url"])[
        0
    ]["tracking_url"]
    assert not _read(admin, shipment, ["tracking_url"])["tracking_url"]

    sales_manager.execute(
        "delivery.carrier",
        "write",
        [carrier],
        {"tracking_url": "https://track.example/t/<shipmenttrackingnumber>"},
    )
    logistics.execute(
        "erp.shipment", "write", [shipment], {"tracking_number": "a/../b?x=1#y"}
    )
    assert (
        _read(admin, shipment, ["tracking_url"])["tracking_url"]
        == "https://track.example/t/a%2F..%2Fb%3Fx%3D1%23y"
    )
