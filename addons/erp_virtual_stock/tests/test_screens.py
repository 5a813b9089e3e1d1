# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import tagged

from .common import VirtualStockCommon


@tagged("post_install", "-at_install")
class TestScreens(VirtualStockCommon):
    """Key figures in front, labelled, and no sums of unlike quantities
    (issue 21 items 11 and 12)."""

    def _arch(self, model, view_xmlid, view_type="form"):
        view = self.env.ref(view_xmlid)
        return etree.fromstring(self.env[model].get_view(view.id, view_type)["arch"])

    def test_stat_buttons_in_front(self):
        """Given the product forms, the virtual stock and days of cover
        buttons are the first two of the button box (the web client puts
        only the buttons after the first three under More on a small
        screen)."""
        for model, xmlid in (
            ("product.template", "product.product_template_form_view"),
            ("product.product", "product.product_normal_form_view"),
        ):
            box = self._arch(model, xmlid).xpath("//div[@name='button_box']")[0]
            names = [button.get("name") for button in box.xpath("./button")]
            self.assertEqual(
                names[:2],
                ["action_open_virtual_stock_breakdown", "action_open_demand_forecast"],
                model,
            )

    def test_alert_card_figures_labelled(self):
        """Given the alert kanban card, each figure has a label and a unit."""
        card = self._arch(
            "erp.stock.alert", "erp_virtual_stock.erp_stock_alert_view_kanban", "kanban"
        )
        text = etree.tostring(card, encoding="unicode")
        for label in ('name="basis"', "Minimum Quantity", "Shortage"):
            self.assertIn(label, text)
        self.assertEqual(len(card.xpath("//field[@name='product_uom_id']")), 3)

    def test_no_sums_of_unlike_quantities(self):
        """Given alerts and rules of different products grouped by warehouse,
        their quantities are not summed (no aggregator); the alert list has no
        totals."""
        for model, names in (
            (
                "erp.stock.alert",
                ("qty_at_trigger", "min_qty", "target_qty", "shortage_qty"),
            ),
            ("erp.stock.threshold", ("min_qty", "target_qty")),
        ):
            fields_info = self.env[model].fields_get(names, ["aggregator"])
            for name in names:
                self.assertFalse(fields_info[name].get("aggregator"), name)
        lst = self._arch(
            "erp.stock.alert", "erp_virtual_stock.erp_stock_alert_view_list", "list"
        )
        self.assertFalse(lst.xpath("//field[@sum]"))
