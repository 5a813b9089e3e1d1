# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser, HttpCase


class TourScreenshotCase(HttpCase):
    """HttpCase whose tours leave a screenshot of their final screen.

    The picture is written next to Odoo's failure screenshots
    (``--screenshots`` directory, ``<db>/screenshots/final_<tour>_*.png``).
    """

    def start_tour_with_screenshot(self, url_path, tour_name, **kwargs):
        original_stop = ChromeBrowser.stop
        prefix = f"final_{tour_name}_"

        def stop(browser):
            try:
                if browser.ws is not None:
                    browser.take_screenshot(prefix=prefix).result(timeout=20)
            finally:
                original_stop(browser)

        with patch.object(ChromeBrowser, "stop", stop):
            return self.start_tour(url_path, tour_name, **kwargs)

    @classmethod
    def _setup_tour_stock(cls, warehouse_vals, product_name, quantity, price):
        """A warehouse and a storable product with ``quantity`` on hand there
        (``cls.warehouse``, ``cls.product``)."""
        cls.warehouse = cls.env["stock.warehouse"].create(warehouse_vals)
        cls.product = cls.env["product.product"].create(
            {"name": product_name, "is_storable": True, "list_price": price}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, quantity
        )

    # modules whose screens the zh_CN journeys show (those installed are loaded)
    ZH_CN_MODULES = (
        "base",
        "web",
        "mail",
        "product",
        "stock",
        "sale",
        "sale_management",
        "purchase",
        "sale_stock",
        "purchase_stock",
        "stock_delivery",
        "erp_virtual_stock",
        "erp_order_priority",
        "erp_logistics",
    )

    @classmethod
    def _setup_zh_cn_user(cls, user):
        """Chinese (zh_CN) for ``user``: the language active, the terms of the
        journeys' modules loaded and the user's language set to it."""
        cls.env["res.lang"]._activate_lang("zh_CN")
        installed = cls.env["ir.module.module"].search(
            [("name", "in", cls.ZH_CN_MODULES), ("state", "=", "installed")]
        )
        cls.env["ir.module.module"]._load_module_terms(
            installed.mapped("name"), ["zh_CN"], overwrite=True
        )
        user.lang = "zh_CN"
        # the web client's Chinese code translations are read from the
        # catalogues of every module once per process: read them now, not
        # within the first page load of a tour (which has 20 seconds)
        cls.env["ir.http"].get_translations_for_webclient(None, "zh_CN")
