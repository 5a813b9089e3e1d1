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
