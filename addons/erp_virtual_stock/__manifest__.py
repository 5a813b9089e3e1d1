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
    "depends": ["sale_stock", "purchase_stock"],
    "data": [
        "security/erp_virtual_stock_groups.xml",
        "security/ir.model.access.csv",
        "security/erp_stock_alert_security.xml",
        "data/erp_stock_alert_data.xml",
        "views/erp_stock_threshold_views.xml",
        "views/erp_stock_alert_views.xml",
        "report/erp_stock_shortage_reports.xml",
        "report/erp_stock_shortage_templates.xml",
        "views/erp_virtual_stock_menus.xml",
        "views/erp_stock_alert_menus.xml",
    ],
    "demo": [
        "demo/erp_stock_threshold_demo.xml",
    ],
    "installable": True,
    "application": False,
}
