"""The addons' PDF reports render for real, in English and in Chinese.

Odoo's own test runner never calls wkhtmltopdf (under --test-enable
``_render_qweb_pdf`` returns the HTML), so these tests start a real 2-worker
server on a copy of the test database (addons and demo data installed, zh_CN
loaded), log in over HTTP like a browser and download ``/report/pdf/...``
exactly as the *Print* menu does.  Each PDF is checked with poppler-utils:
every page, rendered to pixels, shows something; in zh_CN the report's labels
are there as text, drawn with an embedded font that covers Chinese
(fontconfig's ``:lang=zh``); the QR codes are embedded images of the size the
template asks.  The English labels are checked as text only with a
wkhtmltopdf built on the patched Qt: Debian's build draws the Latin text of
Odoo's web font as outlines.  The barcode images the templates point to are
fetched as well: HTTP 200, PNG.

A missing wkhtmltopdf, CJK font or poppler tool is a failure, never a skip:
``scripts/test.sh`` installs them (or names the apt-get command) first.
"""

import html
import json
import re
import shutil
import struct
import subprocess
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import polib
import pytest
import scenario
from conftest import ERP_ADDONS, PROJECT_DIR, Database, OdooServer, _env

LANGS = ("en_US", "zh_CN")
QR_IMG = re.compile(r'<img[^>]*class="o_erp_tracking_qr[^"]*"[^>]*src="([^"]+)"')
QR_IMG_SRC_FIRST = re.compile(r'<img[^>]*src="([^"]+)"[^>]*class="o_erp_tracking_qr')
TRACKING_REF = "ERP-PDF-0001"


def _need(tool, package):
    if not shutil.which(tool):
        pytest.fail(
            f"{tool} is not installed: the PDF checks need it "
            f"(apt-get install {package}; scripts/test.sh does it when root)"
        )


def zh(addon, msgid):
    """The zh_CN translation of ``msgid`` in the addon's catalogue."""
    po = polib.pofile(str(PROJECT_DIR / "addons" / addon / "i18n" / "zh_CN.po"))
    entry = po.find(msgid)
    assert entry and entry.msgstr, f"{msgid!r} has no zh_CN translation in {addon}"
    return entry.msgstr


class Browser:
    """An HTTP session logged in as a user, like the web client."""

    def __init__(self, server, login="admin", password="admin"):
        self.url = server.url
        self.opener = scenario.web_session(server, login, password)

    def get(self, path, **params):
        url = self.url + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        try:
            with self.opener.open(url, timeout=300) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class ReportEnv:
    """A server on a throw-away database prepared for printing."""

    def __init__(self):
        self.db = Database(_env("ERP_TEST_DB"))
        self.server = None
        try:
            self.server = OdooServer(self.db.name)
            self._prepare()
        except BaseException:
            self.close()
            raise

    def _prepare(self):
        self.rpc = rpc = self.server.rpc()
        # wkhtmltopdf fetches the CSS and the barcode images from this URL
        # (a deployment behind a proxy sets it the same way)
        rpc.execute("ir.config_parameter", "set_param", "report.url", self.server.url)
        lang_ids = rpc.execute(
            "res.lang",
            "search",
            [("code", "=", "zh_CN")],
            context={"active_test": False},
        )
        wizard = rpc.execute(
            "base.language.install", "create", {"lang_ids": [(6, 0, lang_ids)]}
        )
        rpc.execute("base.language.install", "lang_install", [wizard])
        self.shipment, self.picking = self._validated_delivery()
        self.alerts = self._stock_alerts()
        self.warehouses = rpc.execute("stock.warehouse", "search", [], limit=1)
        self.browser = Browser(self.server)

    def _validated_delivery(self):
        """A delivery with a carrier validated the normal way: the addons
        create its shipment (the QR code of the label and of the slip)."""
        rpc = self.rpc
        warehouse = rpc.execute(
            "stock.warehouse",
            "search_read",
            [],
            fields=["out_type_id", "lot_stock_id"],
            limit=1,
        )[0]
        product = rpc.execute(
            "product.product",
            "search_read",
            [("is_storable", "=", True), ("qty_available", ">=", 2)],
            fields=["uom_id"],
            limit=1,
            context={"location": warehouse["lot_stock_id"][0]},
        )[0]
        carrier = rpc.execute("delivery.carrier", "search", [], limit=1)
        partner = rpc.execute(
            "res.partner", "search", [("is_company", "=", True)], limit=1
        )[0]
        picking = rpc.execute(
            "stock.picking",
            "create",
            {
                "picking_type_id": warehouse["out_type_id"][0],
                "partner_id": partner,
                "carrier_id": carrier[0],
                "carrier_tracking_ref": TRACKING_REF,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "PDF report check",
                            "product_id": product["id"],
                            "product_uom_qty": 2,
                            "product_uom": product["uom_id"][0],
                        },
                    )
                ],
            },
        )
        rpc.execute("stock.picking", "action_confirm", [picking])
        rpc.execute("stock.picking", "action_assign", [picking])
        moves = rpc.execute("stock.move", "search", [("picking_id", "=", picking)])
        rpc.execute("stock.move", "write", moves, {"quantity": 2, "picked": True})
        # skip_sms: stock_sms would first ask whether to text the customer
        result = rpc.execute(
            "stock.picking", "button_validate", [picking], context={"skip_sms": True}
        )
        assert result is True, f"validation asked for more: {result}"
        shipments = rpc.execute(
            "erp.shipment", "search", [("picking_id", "=", picking)]
        )
        assert len(shipments) == 1, "validating the delivery created no shipment"
        return shipments[0], picking

    def _stock_alerts(self):
        """The threshold scan (its cron, run now) raises the demo alerts."""
        rpc = self.rpc
        cron = rpc.execute(
            "ir.model.data",
            "check_object_reference",
            "erp_virtual_stock",
            "ir_cron_scan_stock_thresholds",
        )[1]
        rpc.execute("ir.cron", "method_direct_trigger", [cron])
        alerts = rpc.execute("erp.stock.alert", "search", [])
        assert alerts, "the threshold scan raised no alert on the demo data"
        return alerts

    def set_partner_lang(self, partner_ids, lang):
        """Documents printed in the customer's language follow the partner."""
        self.rpc.execute("res.partner", "write", partner_ids, {"lang": lang})

    def close(self):
        if self.server:
            self.server.stop()
        self.db.drop()


@pytest.fixture(scope="module")
def env():
    prepared = ReportEnv()
    yield prepared
    prepared.close()


# The specs give the records to print, the English labels expected and the
# partners whose language the document follows (``t-lang``).
def _shipment_spec(env):
    partner = env.rpc.execute(
        "erp.shipment", "read", [env.shipment], fields=["partner_id"]
    )[0]["partner_id"][0]
    return [env.shipment], ["Shipment", "Tracking Number", TRACKING_REF], [partner]


def _label_spec(env):
    shipments, _english, partners = _shipment_spec(env)
    return shipments, ["Receiver", "Sender", TRACKING_REF], partners


def _slip_spec(env):
    partner = env.rpc.execute(
        "stock.picking", "read", [env.picking], fields=["partner_id"]
    )[0]["partner_id"][0]
    return [env.picking], ["Tracking Number", TRACKING_REF], [partner]


def _shortage_spec(env):
    return env.alerts, ["Shortage Report", "Alert", "Product"], []


def _virtual_stock_spec(env):
    return env.warehouses, ["Virtual Stock", "On Hand", "Committed"], []


# report xml id -> (report name, spec, (addon, msgids whose zh_CN translation
# must show), pixel size of the QR code printed on it or None)
REPORTS = {
    "erp_logistics.action_report_erp_shipment": (
        "erp_logistics.report_erp_shipment",
        _shipment_spec,
        ("erp_logistics", ["Tracking Number", "Scan to track"]),
        150,
    ),
    "erp_logistics.action_report_erp_shipment_label": (
        "erp_logistics.report_erp_shipment_label",
        _label_spec,
        ("erp_logistics", ["Receiver", "Sender", "Tracking Number", "Scan to track"]),
        150,
    ),
    "stock.action_report_delivery": (
        "stock.report_deliveryslip",
        _slip_spec,
        ("erp_logistics", ["Tracking Number"]),
        90,
    ),
    "erp_virtual_stock.action_report_erp_stock_shortage": (
        "erp_virtual_stock.report_erp_stock_shortage",
        _shortage_spec,
        ("erp_virtual_stock", ["Shortage Report:", "Incoming"]),
        None,
    ),
    "erp_virtual_stock.action_report_virtual_stock": (
        "erp_virtual_stock.report_virtual_stock",
        _virtual_stock_spec,
        ("erp_virtual_stock", ["Virtual Stock:", "On Hand"]),
        None,
    ),
}


def pdf_tool(tool, pdf, *args, tmp_path):
    """Output of a poppler-utils tool run on the PDF bytes."""
    _need(tool, "poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    tail = {"pdftotext": ["-"], "pdftoppm": [str(tmp_path / "page")]}.get(tool, [])
    result = subprocess.run(
        [tool, *args, str(path), *tail],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{tool} failed: {result.stderr}"
    return result.stdout


def wkhtmltopdf_has_patched_qt():
    version = subprocess.run(
        ["wkhtmltopdf", "--version"], capture_output=True, text=True, check=False
    ).stdout
    return "patched qt" in version


def page_ink(pdf, tmp_path):
    """Share of dark pixels of each page, rendered in grey at 30 dpi."""
    pdf_tool("pdftoppm", pdf, "-gray", "-r", "30", tmp_path=tmp_path)
    shares = []
    for image in sorted(tmp_path.glob("page-*.pgm"), key=lambda p: int(p.stem[5:])):
        data = image.read_bytes()
        # binary PGM: "P5", width, height, maxval, then one byte per pixel
        fields = data.split(maxsplit=4)
        assert fields[0] == b"P5", fields[:4]
        width, height = int(fields[1]), int(fields[2])
        pixels = data[len(data) - width * height :]
        shares.append(sum(1 for value in pixels if value < 128) / len(pixels))
    assert shares, "pdftoppm rendered no page"
    return shares


def cjk_postscript_names():
    _need("fc-list", "fontconfig")
    out = subprocess.run(
        ["fc-list", ":lang=zh", "postscriptname"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {line.split("=", 1)[1].strip() for line in out.splitlines() if "=" in line}
    assert names, "no font covers Chinese (apt-get install fonts-noto-cjk)"
    return names


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:80]
    return struct.unpack(">II", data[16:24])


def test_every_pdf_report_of_the_addons_is_checked(env):
    """Given the installed addons, each of their qweb-pdf reports (and Odoo's
    delivery slip, which erp_logistics extends) is in this module's list."""
    rows = env.rpc.execute(
        "ir.model.data",
        "search_read",
        [
            ("model", "=", "ir.actions.report"),
            ("module", "in", list(ERP_ADDONS)),
        ],
        fields=["module", "name", "res_id"],
    )
    reports = env.rpc.execute(
        "ir.actions.report",
        "read",
        [row["res_id"] for row in rows],
        fields=["report_type"],
    )
    pdf_ids = {r["id"] for r in reports if r["report_type"] == "qweb-pdf"}
    ours = {f"{r['module']}.{r['name']}" for r in rows if r["res_id"] in pdf_ids}
    assert ours | {"stock.action_report_delivery"} == set(REPORTS)


def test_wkhtmltopdf_ready_on_the_server(env):
    """Given the server, Odoo finds a working wkhtmltopdf (else Print fails)."""
    state = env.rpc.execute("ir.actions.report", "get_wkhtmltopdf_state")
    assert state == "ok", (
        f"Odoo's wkhtmltopdf state is {state!r}, not 'ok': reports cannot be "
        "printed as PDF (apt-get install wkhtmltopdf)"
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("xmlid", sorted(REPORTS))
def test_report_renders_to_pdf(env, xmlid, lang, tmp_path):
    """Given records to print, when a user prints the report in ``lang``,
    the answer is a real PDF whose every page shows something, with the
    report's labels in that language (Chinese drawn with an embedded font
    covering Chinese), and the QR codes embedded as images."""
    _need("wkhtmltopdf", "wkhtmltopdf")
    report_name, spec, (addon, msgids), qr_size = REPORTS[xmlid]
    doc_ids, english, partners = spec(env)
    env.set_partner_lang(partners, lang)
    ids = ",".join(map(str, doc_ids))
    context = json.dumps({"lang": lang})

    status, headers, pdf = env.browser.get(
        f"/report/pdf/{report_name}/{ids}", context=context
    )
    assert status == 200, pdf[:2000]
    assert headers["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF-"), pdf[:200]

    info = pdf_tool("pdfinfo", pdf, tmp_path=tmp_path)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 1
    for page, ink in enumerate(page_ink(pdf, tmp_path), start=1):
        assert ink > 0.001, f"page {page} of {pages} is blank"

    text = pdf_tool("pdftotext", pdf, tmp_path=tmp_path)
    # NFKC: the CJK fonts map some glyphs to Kangxi radicals (U+2Fxx) that
    # stand for the same ideographs
    flat = unicodedata.normalize("NFKC", " ".join(text.split()))
    if lang == "en_US":
        # Debian's wkhtmltopdf (unpatched Qt) draws the web font of Odoo's
        # layout as outlines: the English text is only extractable with the
        # patched build; the page ink above shows it is drawn either way
        if wkhtmltopdf_has_patched_qt():
            for label in english:
                assert label in flat, f"{label!r} not in the English PDF:\n{text}"
    else:
        for msgid in msgids:
            expected = unicodedata.normalize("NFKC", " ".join(zh(addon, msgid).split()))
            assert expected in flat, f"{expected!r} not in the zh_CN PDF:\n{text}"
        fonts = pdf_tool("pdffonts", pdf, tmp_path=tmp_path).splitlines()[2:]
        embedded = {line.split()[0].split("+", 1)[-1] for line in fonts if line.strip()}
        assert (
            embedded & cjk_postscript_names()
        ), f"no embedded font covers Chinese: {sorted(embedded)}"
        for line in fonts:
            assert " yes " in line, f"font not embedded: {line}"

    if qr_size:
        images = pdf_tool("pdfimages", pdf, "-list", tmp_path=tmp_path).splitlines()
        sizes = [tuple(map(int, row.split()[3:5])) for row in images[2:]]
        listing = "\n".join(images)
        assert (qr_size, qr_size) in sizes, f"no QR code in the PDF:\n{listing}"


@pytest.mark.parametrize("xmlid", [x for x in sorted(REPORTS) if REPORTS[x][3]])
def test_report_qr_codes_are_served_as_png(env, xmlid):
    """Given a printed document with a QR code, the image its HTML points to
    (what wkhtmltopdf fetches) is answered 200 with a PNG of the asked size."""
    report_name, spec, _msgids, _qr_size = REPORTS[xmlid]
    doc_ids, _english, _partners = spec(env)
    ids = ",".join(map(str, doc_ids))
    status, _headers, body = env.browser.get(f"/report/html/{report_name}/{ids}")
    assert status == 200
    page = body.decode()
    sources = QR_IMG.findall(page) + QR_IMG_SRC_FIRST.findall(page)
    assert sources, "no QR code in the report"
    for src in sources:
        url = html.unescape(src)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        assert "/shipment/" in query["value"][0] or "access_token" in query["value"][0]
        status, headers, image = env.browser.get(url)
        assert status == 200, image[:2000]
        assert headers["Content-Type"] == "image/png"
        assert png_size(image) == (int(query["width"][0]), int(query["height"][0]))


@pytest.mark.parametrize(
    "path",
    [
        "/report/barcode/?barcode_type=QR&value=x&width=200&height=200",
        "/report/barcode/Code128/ERP-PDF-0001?width=600&height=100",
        "/report/barcode/EAN13/4006381333931?width=600&height=100",
    ],
)
def test_barcode_images_are_png(env, path):
    """Given Odoo's barcode route (used by Odoo's own slips and labels), QR
    and linear barcodes are answered 200 with a PNG of the asked size."""
    status, headers, image = env.browser.get(path)
    assert status == 200, image[:2000]
    assert headers["Content-Type"] == "image/png"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert png_size(image) == (int(query["width"][0]), int(query["height"][0]))


LABEL_TRACKING_REF = "SF1400000000"


def _sale_order_shipment(env):
    """A confirmed sale order whose delivery, with a carrier and a tracking
    number, is validated: its shipment and the order's reference."""
    rpc = env.rpc
    picking = rpc.execute(
        "stock.picking", "read", [env.picking], fields=["partner_id", "move_ids"]
    )[0]
    move = rpc.execute(
        "stock.move", "read", picking["move_ids"][:1], fields=["product_id"]
    )[0]
    carrier = rpc.execute("delivery.carrier", "search", [], limit=1)[0]
    order = rpc.execute(
        "sale.order",
        "create",
        {
            "partner_id": picking["partner_id"][0],
            "order_line": [
                (0, 0, {"product_id": move["product_id"][0], "product_uom_qty": 1})
            ],
        },
    )
    rpc.execute("sale.order", "action_confirm", [order])
    order_name = rpc.execute("sale.order", "read", [order], fields=["name"])[0]["name"]
    delivery = rpc.execute("stock.picking", "search", [("sale_id", "=", order)])
    rpc.execute(
        "stock.picking",
        "write",
        delivery,
        {"carrier_id": carrier, "carrier_tracking_ref": LABEL_TRACKING_REF},
    )
    rpc.execute("stock.picking", "action_assign", delivery)
    moves = rpc.execute("stock.move", "search", [("picking_id", "in", delivery)])
    rpc.execute("stock.move", "write", moves, {"quantity": 1, "picked": True})
    result = rpc.execute(
        "stock.picking", "button_validate", delivery, context={"skip_sms": True}
    )
    assert result is True, f"validation asked for more: {result}"
    shipments = rpc.execute(
        "erp.shipment", "search", [("tracking_number", "=", LABEL_TRACKING_REF)]
    )
    assert len(shipments) == 1, "validating the order's delivery made no shipment"
    return shipments[0], picking["partner_id"][0], order_name


def test_shipping_label_pdf_in_chinese(env, tmp_path):
    """Given a shipped sale order of a Chinese-speaking customer, when its
    shipping label is printed, then the PDF is one 100 x 150 mm page whose
    text holds the Chinese labels, the tracking number (also as the Code128
    barcode's image) and the order reference, and the QR code is embedded."""
    _need("wkhtmltopdf", "wkhtmltopdf")
    shipment, partner, order_name = _sale_order_shipment(env)
    env.set_partner_lang([partner], "zh_CN")
    status, headers, pdf = env.browser.get(
        f"/report/pdf/erp_logistics.report_erp_shipment_label/{shipment}",
        context=json.dumps({"lang": "zh_CN"}),
    )
    assert status == 200, pdf[:2000]
    assert headers["Content-Type"] == "application/pdf"
    # kept for a look by eye (scripts/test.sh's artifacts directory)
    (Path(_env("ERP_ARTIFACTS")) / "shipping_label_zh_CN.pdf").write_bytes(pdf)

    info = pdf_tool("pdfinfo", pdf, tmp_path=tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = map(
        float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups()
    )
    # 100 x 150 mm in points (1 mm = 72 / 25.4 pt)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (100, 150), info

    text = pdf_tool("pdftotext", pdf, tmp_path=tmp_path)
    flat = unicodedata.normalize("NFKC", " ".join(text.split()))
    for msgid in ("Receiver", "Sender", "Tracking Number", "Scan to track"):
        expected = unicodedata.normalize("NFKC", zh("erp_logistics", msgid))
        assert expected in flat, f"{expected!r} not in the label:\n{text}"
    for label in ("件数", "重量", "订单"):
        assert label in flat, f"{label!r} not in the label:\n{text}"
    assert LABEL_TRACKING_REF in flat, text
    assert order_name in flat, text

    images = pdf_tool("pdfimages", pdf, "-list", tmp_path=tmp_path).splitlines()
    sizes = [tuple(map(int, row.split()[3:5])) for row in images[2:]]
    # the Code128 barcode (600 x 150) and the QR code (150 x 150)
    assert (600, 150) in sizes and (150, 150) in sizes, "\n".join(images)


def test_server_log_has_no_report_error(env):
    """Given all the prints above, the server logged no error."""
    problems = [
        line
        for line in Path(env.server.log_path).read_text(errors="replace").splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert not problems, "\n".join(problems)
