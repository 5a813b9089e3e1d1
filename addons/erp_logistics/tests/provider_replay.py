# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A local replay server standing for the tracking services' APIs in the
tests: it answers their query and subscription endpoints with recorded
answers (``tests/data``) and records the requests; no outside network."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from odoo.tools import file_path

from odoo.addons.erp_logistics.models.delivery_carrier import (
    TRACKING_HTTP_HOSTS_PARAM,
)


def recorded(name):
    """The bytes of a recorded payload of ``tests/data``."""
    with open(file_path(f"erp_logistics/tests/data/{name}"), "rb") as data:
        return data.read()


def kuaidi100_autonumber(request):
    """快递100's courier recognition (``GET /autonumber/auto?num=&key=``):
    the recorded answer for a 顺丰 number (SF...), an empty list for a number
    it does not know, its documented error answer (701, key missing)
    without a key."""
    if not request["query"].get("key"):
        return 200, {"returnCode": "701", "message": "POLL:KEY缺失", "result": False}
    if request["query"].get("num", "").startswith("SF"):
        return 200, recorded("kuaidi100_autonumber.json")
    return 200, []


# the endpoints the replay server answers without a test setting them
DEFAULT_ROUTES = {("GET", "/autonumber/auto"): kuaidi100_autonumber}


class ProviderReplayHandler(BaseHTTPRequestHandler):
    def _serve(self):
        server = self.server
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = {
            "method": self.command,
            "path": url.path,
            "query": {k: v[0] for k, v in parse_qs(url.query).items()},
            "headers": dict(self.headers),
            "body": body,
        }
        if self.headers.get_content_type() == "application/x-www-form-urlencoded":
            request["form"] = {
                k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()
            }
        server.requests.append(request)
        route = server.routes.get((self.command, url.path))
        status, answer = route(request) if route else (404, b'{"message": "none"}')
        if not isinstance(answer, bytes):
            answer = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = _serve  # noqa: N815 (http.server API)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return


class ProviderReplayMixin:
    """Starts the replay server for a test class; ``cls.replay_url`` is its
    address, ``cls.replay.routes`` maps ``(method, path)`` to a function of
    the recorded request answering ``(status, body)``."""

    @classmethod
    def _start_replay(cls):
        cls.replay = ThreadingHTTPServer(("127.0.0.1", 0), ProviderReplayHandler)
        cls.replay.requests = []
        cls.replay.routes = dict(DEFAULT_ROUTES)
        thread = threading.Thread(target=cls.replay.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.replay.server_close)
        cls.addClassCleanup(cls.replay.shutdown)
        cls.replay_url = f"http://127.0.0.1:{cls.replay.server_port}"
        # the replay server listens on plain http: allowed for this host only
        cls.env["ir.config_parameter"].set_param(TRACKING_HTTP_HOSTS_PARAM, "127.0.0.1")

    def _route(self, method, path, answer):
        """Answer ``method path`` with ``answer`` (a function of the request,
        or a fixed ``(status, body)``) for this test."""
        if not callable(answer):
            fixed = answer

            def answer(_request):
                return fixed

        saved = dict(self.replay.routes)
        self.replay.routes[(method, path)] = answer
        self.addCleanup(setattr, self.replay, "routes", saved)
        self.replay.requests.clear()
