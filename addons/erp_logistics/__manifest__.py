# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ERP Logistics",
    "summary": "Shipments, carrier tracking, webhooks, portal tracking and proof of "
    "delivery",
    "version": "18.0.1.2.0",
    "category": "Inventory/Delivery",
    "license": "LGPL-3",
    "author": "ERP Order Suite",
    "website": "https://github.com/erp-order-suite/odoo-addons",
    "development_status": "Beta",
    "depends": ["erp_order_priority", "stock_delivery", "portal"],
    "data": [
        "security/erp_logistics_groups.xml",
        "security/ir.model.access.csv",
        "security/erp_logistics_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/erp_courier_code_data.xml",
        "views/erp_shipment_views.xml",
        "views/delivery_carrier_views.xml",
        "views/erp_courier_code_views.xml",
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "wizards/erp_shipment_import_views.xml",
        "report/erp_delivery_performance_report_views.xml",
        "report/erp_shipment_reports.xml",
        "report/erp_shipment_templates.xml",
        "report/erp_shipment_label_templates.xml",
        "report/report_deliveryslip.xml",
        "views/erp_logistics_menus.xml",
    ],
    "demo": [
        "demo/erp_logistics_demo.xml",
    ],
    "external_dependencies": {"python": ["requests"]},
    "installable": True,
    "application": False,
    "assets": {
        "web.assets_tests": [
            "erp_logistics/static/tests/tours/*.js",
        ],
    },
}
