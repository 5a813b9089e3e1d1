# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ERP Logistics",
    "summary": "Shipments, carrier tracking, webhooks, portal tracking and proof of "
    "delivery",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "license": "LGPL-3",
    "author": "ERP Order Suite",
    "website": "https://github.com/erp-order-suite/odoo-addons",
    "development_status": "Beta",
    "depends": ["erp_order_priority", "stock_delivery", "portal"],
    "data": [
        "security/erp_logistics_groups.xml",
        "security/ir.model.access.csv",
        "views/erp_logistics_menus.xml",
    ],
    "installable": True,
    "application": False,
}
