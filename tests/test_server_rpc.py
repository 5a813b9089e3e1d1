"""A real Odoo HTTP server with 2 workers answers JSON-RPC integrators."""

from conftest import ERP_ADDONS


def test_three_addons_installed_over_jsonrpc(odoo_server):
    """Given a 2-worker server on a copy of the test database, when an
    integrator logs in over JSON-RPC, the three addons are installed."""
    rpc = odoo_server.rpc()
    modules = rpc.execute(
        "ir.module.module",
        "search_read",
        [("name", "in", list(ERP_ADDONS))],
        fields=["name", "state"],
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(
        ERP_ADDONS, "installed"
    )
    version = rpc.call("common", "version")
    assert version["server_serie"] == "18.0"


def test_server_log_is_clean(odoo_server):
    """Given a served login page and an RPC call, the server logged no error."""
    odoo_server.rpc().execute("res.partner", "search_count", [])
    problems = [
        line
        for line in odoo_server.log().splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert not problems
