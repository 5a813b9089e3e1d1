"""The attacks of the security review (issue 15), replayed against a live
server over JSON-RPC (and the report route for the forecast graph), so that
none comes back.

Each test names its finding; the users are the review's: a user of the first
company only, an inventory user, a virtual stock reader and manager, a
salesman who may edit customers.
"""

import http.cookiejar
import json
import time
import urllib.error
import urllib.request

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


@pytest.fixture(scope="module")
def admin(server):
    return server.rpc()


def _user(server, admin, prefix, groups, **values):
    login = scenario.make_user(admin, prefix, groups, **values)
    return server.rpc(login, login)


def _refused(call, *args, **kwargs):
    with pytest.raises(RpcError) as error:
        call(*args, **kwargs)
    assert "AccessError" in error.value.name, error.value
    return error.value


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


def _session(server, login):
    """An HTTP client logged in as ``login`` (password: the login)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": server.db, "login": login, "password": login},
        }
    ).encode()
    request = urllib.request.Request(
        f"{server.url}/web/session/authenticate",
        body,
        {"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        assert json.load(response).get("result"), "login failed"
    return opener


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
    opener = _session(server, login)
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
