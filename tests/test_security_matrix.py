"""Access rights of every model of the three addons, for every relevant group,
checked over JSON-RPC against a live server; multi-company and portal
isolation; no public route answers without a token or a signature.

The intended matrix is data: "r", "w", "c", "u" (unlink) per group; a model or
group missing from a row means no access at all.
"""

import urllib.error
import urllib.request

import pytest
import scenario

GROUPS = {
    "portal": ["base.group_portal"],
    "salesman": ["sales_team.group_sale_salesman"],
    "sale_manager": ["sales_team.group_sale_manager"],
    "stock_user": ["stock.group_stock_user"],
    "stock_manager": ["stock.group_stock_manager"],
    "purchase_user": ["purchase.group_purchase_user"],
    "vs_user": ["erp_virtual_stock.erp_virtual_stock_group_user"],
    "vs_manager": ["erp_virtual_stock.erp_virtual_stock_group_manager"],
    "op_user": ["erp_order_priority.erp_order_priority_group_user"],
    "op_manager": ["erp_order_priority.erp_order_priority_group_manager"],
    "log_user": ["erp_logistics.erp_logistics_group_user"],
    "log_manager": ["erp_logistics.erp_logistics_group_manager"],
}

SALES = {"salesman": "r", "sale_manager": "r"}
MATRIX = {
    # erp_virtual_stock: entries are kept by virtual stock managers, read by
    # sales (they sell against them) and virtual stock users; the ledger is
    # append-only for everyone (the system writes it).
    "erp.virtual.stock": {
        **SALES,
        "vs_user": "r",
        "vs_manager": "rwcu",
        "op_user": "r",
        "op_manager": "r",
    },
    "erp.virtual.stock.ledger": {"vs_user": "r", "vs_manager": "r"},
    # thresholds: sales users cannot edit them (DESIGN.md, Security)
    "erp.stock.threshold": {"vs_user": "r", "vs_manager": "rwcu"},
    "erp.stock.alert": {"vs_user": "rw", "vs_manager": "rwcu"},
    # replenishment suggestions: read by inventory and purchase users, edited
    # and approved by inventory administrators (transfers) and purchase
    # administrators (purchases); created by the alerts' job only
    "erp.replenishment.suggestion": {
        "stock_user": "r",
        "stock_manager": "rwu",
        "purchase_user": "r",
        "vs_user": "r",
        "vs_manager": "rwcu",
        "log_user": "r",
        "log_manager": "rwu",
    },
    # the slow-mover report (a view over the forecast and the quants)
    "erp.stock.slow.mover.report": {"vs_user": "r", "vs_manager": "r"},
    # demand forecast snapshots are written by the refresh job only
    "erp.demand.forecast": {
        **SALES,
        "vs_user": "r",
        "vs_manager": "ru",
        "op_user": "r",
        "op_manager": "r",
    },
    # the forecasts past refreshes made (one row per product, warehouse, day)
    "erp.demand.forecast.history": {"vs_manager": "r"},
    # the method chosen per product and warehouse, written by the refresh
    "erp.demand.forecast.selection": {"vs_user": "r", "vs_manager": "r"},
    # planners' overrides of the forecast, with their reason
    "erp.demand.forecast.override": {"vs_user": "r", "vs_manager": "rwcu"},
    # accuracy of the daily forecasts over the last weeks (a SQL view)
    "erp.demand.forecast.accuracy.window": {"vs_user": "r", "vs_manager": "r"},
    "erp.demand.forecast.accuracy": {
        **SALES,
        "vs_user": "r",
        "vs_manager": "ru",
        "op_user": "r",
        "op_manager": "r",
    },
    # erp_order_priority: rules are for managers only
    "erp.order.priority.rule": {"op_user": "r", "op_manager": "rwcu"},
    "erp.order.assignment.rule": {"op_user": "r", "op_manager": "rwcu"},
    "erp.allocation.run": {"op_user": "rwc", "op_manager": "rwcu"},
    "erp.allocation.run.line": {"op_user": "rc", "op_manager": "rwcu"},
    # backorder processing variants are defined by managers, used by users
    "erp.allocation.variant": {"op_user": "r", "op_manager": "rwcu"},
    "erp.allocation.segment": {"op_user": "r", "op_manager": "rwcu"},
    "erp.order.report": {"op_user": "r", "op_manager": "r"},
    # erp_logistics: customers read their own shipments on the portal
    "erp.shipment": {
        "portal": "r",
        **SALES,
        "op_user": "r",
        "op_manager": "r",
        "log_user": "rwc",
        "log_manager": "rwcu",
    },
    "erp.shipment.event": {
        "portal": "r",
        **SALES,
        "op_user": "r",
        "op_manager": "r",
        "log_user": "rwc",
        "log_manager": "rwcu",
    },
    "erp.delivery.performance.report": {"log_user": "r", "log_manager": "r"},
    # the tracking services' courier codes mapped to delivery methods: set
    # up by logistics administrators
    "erp.courier.code": {"log_user": "r", "log_manager": "rwcu"},
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@pytest.fixture(scope="module")
def users(server):
    admin = server.rpc()
    logins = {}
    for key, xmlids in GROUPS.items():
        internal = [] if key == "portal" else ["base.group_user"]
        login = scenario.make_user(admin, f"sec_{key}", xmlids + internal)
        logins[key] = server.rpc(login, login)
    return logins


def test_access_matrix(users):
    """Given a user of each group, when asking Odoo for each model and
    operation, access is granted exactly as the intended matrix says."""
    mismatches = []
    for model, row in MATRIX.items():
        for key, rpc in users.items():
            expected = row.get(key, "")
            for letter, operation in OPERATIONS.items():
                allowed = rpc.execute(model, "has_access", [], operation)
                if allowed != (letter in expected):
                    mismatches.append(f"{model} {key} {operation}: {allowed}")
    assert not mismatches, "\n".join(mismatches)


def test_every_addon_model_is_in_the_matrix(server):
    """Given the installed addons, every model they define has a matrix row
    (but abstract models and views: no records of their own to protect)."""
    admin = server.rpc()
    models = admin.execute(
        "ir.model",
        "search_read",
        [("model", "=like", "erp.%"), ("transient", "=", False)],
        fields=["model"],
    )
    missing = sorted(
        {m["model"] for m in models}
        - set(MATRIX)
        - {
            "erp.virtual.stock.lock",
            "erp.virtual.stock.report",
            "erp.review.mixin",
            "erp.stock.replenishment",
            # abstract: the figures count records the user may read
            "erp.dashboard",
        }
    )
    assert not missing, missing


def test_public_routes_need_a_token_or_a_signature(server):
    """Given no session, the portal pages redirect to the login page, the
    public tracking page refuses a wrong token and the webhook refuses an
    unsigned body."""
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(
            urllib.request.Request(
                f"{server.url}/erp_logistics/webhook/1",
                data=b"{}",
                headers={"Content-Type": "application/json"},
            ),
            timeout=30,
        )
    assert error.value.code in (403, 404)
    with urllib.request.urlopen(f"{server.url}/my/shipments", timeout=30) as page:
        assert "/web/login" in page.url


def test_multi_company_isolation(server):
    """Given two companies, when a user of the second company only lists
    virtual stock entries, ledger rows, alerts and shipments, none of the
    first company's records show and reading one is refused."""
    admin = server.rpc()
    company_b = admin.execute(
        "res.company", "create", {"name": "Company B " + scenario.uid()}
    )
    login = "sec_company_b_" + scenario.uid()
    group_ids = [
        scenario.ref(admin, "base.group_user"),
        scenario.ref(admin, "erp_virtual_stock.erp_virtual_stock_group_manager"),
        scenario.ref(admin, "erp_logistics.erp_logistics_group_manager"),
    ]
    admin.execute(
        "res.users",
        "create",
        {
            "name": "Company B user",
            "login": login,
            "password": login,
            "company_id": company_b,
            "company_ids": [(6, 0, [company_b])],
            "groups_id": [(6, 0, group_ids)],
        },
    )
    warehouse = scenario.make_warehouse(admin)
    product = scenario.make_product(admin)
    entry = admin.execute(
        "erp.virtual.stock",
        "create",
        {
            "product_id": product,
            "warehouse_id": warehouse,
            "quantity": 3,
            "reason": "presale",
        },
    )
    admin.execute("erp.virtual.stock", "action_activate", [entry])
    user_b = server.rpc(login, login)
    for model in ("erp.virtual.stock", "erp.virtual.stock.ledger", "erp.shipment"):
        company_a_ids = admin.execute(
            model, "search", [("company_id", "!=", company_b)]
        )
        assert company_a_ids or model == "erp.shipment", model
        visible = user_b.execute(model, "search", [("id", "in", company_a_ids)])
        assert visible == [], model
    from conftest import RpcError

    with pytest.raises(RpcError) as error:
        user_b.execute("erp.virtual.stock", "read", [entry], ["quantity"])
    assert "AccessError" in error.value.name


def test_portal_isolation(server):
    """Given two portal customers with one shipment each, each sees only their
    own shipment and cannot read the other's."""
    from conftest import RpcError

    admin = server.rpc()
    carrier = admin.execute("delivery.carrier", "search", [], limit=1)[0]
    portal_group = scenario.ref(admin, "base.group_portal")
    clients, shipments = [], []
    for index in range(2):
        login = f"sec_portal_{index}_{scenario.uid()}"
        partner = scenario.make_partner(admin)
        admin.execute(
            "res.users",
            "create",
            {
                "name": f"Portal {index}",
                "login": login,
                "password": login,
                "partner_id": partner,
                "groups_id": [(6, 0, [portal_group])],
            },
        )
        shipments.append(
            admin.execute(
                "erp.shipment",
                "create",
                {
                    "partner_id": partner,
                    "carrier_id": carrier,
                    "tracking_number": "ISO" + scenario.uid().upper(),
                },
            )
        )
        clients.append(server.rpc(login, login))
    for index, client in enumerate(clients):
        assert client.execute("erp.shipment", "search", []) == [shipments[index]]
        with pytest.raises(RpcError) as error:
            client.execute("erp.shipment", "read", [shipments[1 - index]], ["name"])
        assert "AccessError" in error.value.name
