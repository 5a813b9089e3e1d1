# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ERP Order Priority",
    "summary": "Order priority rules, scarce-stock allocation and order fulfilment "
    "tracking",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "ERP Order Suite",
    "website": "https://github.com/erp-order-suite/odoo-addons",
    "development_status": "Beta",
    "depends": ["erp_virtual_stock"],
    "data": [
        "security/erp_order_priority_groups.xml",
        "security/ir.model.access.csv",
        "views/erp_order_priority_menus.xml",
    ],
    "installable": True,
    "application": False,
}
