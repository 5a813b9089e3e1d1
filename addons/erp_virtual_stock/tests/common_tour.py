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
