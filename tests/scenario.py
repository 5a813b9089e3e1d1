"""Business fixtures built over JSON-RPC, as an integrator would."""

import http.cookiejar
import json
import urllib.request
import uuid


def uid():
    return uuid.uuid4().hex[:8]


def ref(rpc, xmlid):
    module, name = xmlid.split(".")
    return rpc.execute("ir.model.data", "check_object_reference", module, name)[1]


def make_user(rpc, prefix, group_xmlids, **values):
    """A user in exactly these groups; its password is its login, returned."""
    login = f"{prefix}_{uid()}"
    rpc.execute(
        "res.users",
        "create",
        {
            "name": login,
            "login": login,
            "password": login,
            "groups_id": [(6, 0, [ref(rpc, xmlid) for xmlid in group_xmlids])],
            **values,
        },
    )
    return login


def make_warehouse(rpc, code=None):
    code = code or ("W" + uid()[:4].upper())
    return rpc.execute(
        "stock.warehouse", "create", {"name": f"Warehouse {code}", "code": code}
    )


def make_product(rpc, name=None, price=10.0):
    return rpc.execute(
        "product.product",
        "create",
        {
            "name": name or f"Product {uid()}",
            "type": "consu",
            "is_storable": True,
            "list_price": price,
            "default_code": f"P-{uid()}",
        },
    )


def set_stock(rpc, product_id, warehouse_id, qty):
    location_id = rpc.execute(
        "stock.warehouse", "read", [warehouse_id], ["lot_stock_id"]
    )[0]["lot_stock_id"][0]
    quant = rpc.execute(
        "stock.quant",
        "create",
        {
            "product_id": product_id,
            "location_id": location_id,
            "inventory_quantity": qty,
        },
    )
    rpc.execute("stock.quant", "action_apply_inventory", [quant])
    return location_id


def make_partner(rpc, name=None, **values):
    return rpc.execute(
        "res.partner",
        "create",
        {
            "name": name or f"Customer {uid()}",
            "email": f"{uid()}@example.com",
            **values,
        },
    )


def make_order(rpc, partner_id, warehouse_id, lines):
    return rpc.execute(
        "sale.order",
        "create",
        {
            "partner_id": partner_id,
            "warehouse_id": warehouse_id,
            "order_line": [
                (0, 0, {"product_id": product_id, "product_uom_qty": qty})
                for product_id, qty in lines
            ],
        },
    )


def make_carrier(rpc, secret, provider="webhook"):
    product_id = rpc.execute(
        "product.product",
        "create",
        {"name": f"Shipping {uid()}", "type": "service"},
    )
    return rpc.execute(
        "delivery.carrier",
        "create",
        {
            "name": f"Carrier {uid()}",
            "product_id": product_id,
            "delivery_type": "fixed",
            "tracking_provider": provider,
            "webhook_secret": secret,
        },
    )


def deliver_order(rpc, order_id, carrier_id=None, tracking_ref=None):
    """Validate every outgoing picking of the order, with carrier data."""
    pickings = rpc.execute(
        "stock.picking",
        "search_read",
        [("sale_id", "=", order_id), ("state", "not in", ("done", "cancel"))],
        fields=["id", "move_ids"],
    )
    for picking in pickings:
        values = {}
        if carrier_id:
            values = {"carrier_id": carrier_id, "carrier_tracking_ref": tracking_ref}
        if values:
            rpc.execute("stock.picking", "write", [picking["id"]], values)
        rpc.execute("stock.picking", "action_assign", [picking["id"]])
        moves = rpc.execute(
            "stock.move", "read", picking["move_ids"], ["product_uom_qty"]
        )
        for move in moves:
            rpc.execute(
                "stock.move",
                "write",
                [move["id"]],
                {"quantity": move["product_uom_qty"], "picked": True},
            )
        rpc.execute(
            "stock.picking",
            "button_validate",
            [picking["id"]],
            context={"skip_backorder": True, "skip_sms": True},
        )
    return [p["id"] for p in pickings]


def web_session(server, login="admin", password=None):
    """A URL opener logged in as ``login`` like the web client (session
    cookie); the password defaults to the login (see make_user)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "db": server.db,
                "login": login,
                "password": login if password is None else password,
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{server.url}/web/session/authenticate",
        body,
        {"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        result = json.load(response)
    assert result.get("result", {}).get("uid"), f"login of {login} failed: {result}"
    return opener
