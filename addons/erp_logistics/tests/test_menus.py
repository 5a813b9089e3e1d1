# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.erp_virtual_stock.tests.common_menus import MenuAccessMixin


@tagged("post_install", "-at_install")
class TestMenus(MenuAccessMixin, BaseCommon):
    addon = "erp_logistics"
    odoo_group = "stock.group_stock_user"
