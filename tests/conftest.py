"""Fixtures for the cross-module tests: real databases and real Odoo servers.

scripts/test.sh exports the environment these fixtures read: ODOO_SRC,
ODOO_ADDONS_PATH, ERP_VENV, ERP_DATA_DIR, ERP_TEST_DB (the database where the
three addons are installed), TEMPLATE_DB (Odoo dependencies only) and
ERP_ARTIFACTS.
"""

import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
# tests/addons holds test-only Odoo addons: their tests run inside Odoo
collect_ignore = ["addons"]
ERP_ADDONS = ("erp_virtual_stock", "erp_order_priority", "erp_logistics")


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the tests with scripts/test.sh")
    return value


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(*args, subcommand=None):
    """The odoo-bin command line with the project's configuration."""
    python = str(Path(_env("ERP_VENV")) / "bin" / "python")
    odoo_bin = str(Path(_env("ODOO_SRC")) / "odoo-bin")
    cmd = [python, odoo_bin]
    if subcommand:
        cmd.append(subcommand)
    cmd += [
        "-c",
        str(PROJECT_DIR / "config" / "odoo.conf"),
        "--addons-path",
        _env("ODOO_ADDONS_PATH"),
        "--data-dir",
        _env("ERP_DATA_DIR"),
    ]
    for var, option in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
    ):
        if os.environ.get(var):
            cmd += [option, os.environ[var]]
    return cmd + list(args)


def run_odoo(*args, subcommand=None, stdin=None, timeout=900):
    return subprocess.run(
        odoo_command(*args, subcommand=subcommand),
        input=stdin,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def log_problems(output):
    """WARNING/ERROR/CRITICAL lines of an Odoo log."""
    return [
        line
        for line in output.splitlines()
        if any(f" {level} " in line for level in ("WARNING", "ERROR", "CRITICAL"))
    ]


class Database:
    """A throw-away copy of a database (filestore included)."""

    def __init__(self, source):
        self.name = f"erp_pytest_{uuid.uuid4().hex[:12]}"
        result = run_odoo("duplicate", source, self.name, subcommand="db")
        assert result.returncode == 0, result.stderr

    def drop(self):
        run_odoo("drop", self.name, subcommand="db")


@pytest.fixture
def make_db():
    databases = []

    def _make(source=None):
        database = Database(source or _env("ERP_TEST_DB"))
        databases.append(database)
        return database.name

    yield _make
    for database in databases:
        database.drop()


class JsonRpc:
    """Minimal JSON-RPC client for /jsonrpc (the integrators' entry point)."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login="admin", password="admin"):
        self.url, self.db, self.password = url, db, password
        self.uid = self.call("common", "login", db, login, password)
        assert self.uid, f"login {login} failed"

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self._ids),
            "params": {"service": service, "method": method, "args": args},
        }
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.load(response)
        if "error" in body:
            raise RpcError(body["error"])
        return body.get("result")

    def execute(self, model, method, *args, **kwargs):
        return self.call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message", error.get("message", ""))
        super().__init__(f"{self.name}: {self.message}")


class OdooServer:
    def __init__(self, db, workers=2, cron_threads=0):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        artifacts = Path(_env("ERP_ARTIFACTS"))
        artifacts.mkdir(parents=True, exist_ok=True)
        self.log_path = artifacts / f"server-{db}-{self.port}.log"
        self.process = subprocess.Popen(
            odoo_command(
                "-d",
                db,
                "--db-filter",
                f"^{db}$",
                "--http-port",
                str(self.port),
                "--gevent-port",
                str(free_port()),
                "--workers",
                str(workers),
                "--max-cron-threads",
                str(cron_threads),
                "--http-interface",
                "127.0.0.1",
                "--logfile",
                str(self.log_path),
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Odoo exited early, see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/login", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)
        self.stop()
        pytest.fail(f"Odoo did not answer on {self.url} within {timeout}s")

    def rpc(self, login="admin", password="admin"):
        return JsonRpc(self.url, self.db, login, password)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def odoo_server(make_db):
    """A real Odoo server with 2 workers on a copy of the test database."""
    server = OdooServer(make_db())
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server():
    """One real Odoo server with 2 workers on a copy of the test database,
    shared by the tests of a module."""
    database = Database(_env("ERP_TEST_DB"))
    odoo = OdooServer(database.name)
    yield odoo
    odoo.stop()
    database.drop()


sys.path.insert(0, str(PROJECT_DIR / "tests"))


def pytest_collection_modifyitems(items):
    """Odoo's suites run beside pytest (scripts/test.sh): their checks go last
    so that the other tests run while the gate finishes."""
    gate = [item for item in items if item.path.name == "test_odoo_suites.py"]
    if gate:
        items[:] = [item for item in items if item not in gate] + gate
