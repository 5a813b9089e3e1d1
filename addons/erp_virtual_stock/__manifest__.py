# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ERP Virtual Stock",
    "summary": "Virtual stock consistent with every order, shortage alerts, reorder",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "ERP Order Suite",
    "website": "https://github.com/erp-order-suite/odoo-addons",
    "development_status": "Beta",
    "depends": ["sale_stock", "purchase_stock", "mail"],
    "data": [
        "security/erp_virtual_stock_groups.xml",
        "security/ir.model.access.csv",
        "security/erp_virtual_stock_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/erp_virtual_stock_views.xml",
        "views/erp_virtual_stock_ledger_views.xml",
        "views/product_views.xml",
        "views/sale_order_views.xml",
        "views/stock_warehouse_views.xml",
        "views/res_config_settings_views.xml",
        "report/erp_virtual_stock_report_views.xml",
        "views/erp_virtual_stock_menus.xml",
    ],
    "installable": True,
    "application": False,
    "assets": {
        "web.assets_tests": [
            "erp_virtual_stock/static/tests/tours/*.js",
        ],
    },
}
