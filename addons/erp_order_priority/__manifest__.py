# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ERP Order Priority",
    "summary": "Order priority rules, scarce-stock allocation and order fulfillment "
    "tracking",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "ERP Order Suite",
    "website": "https://github.com/erp-order-suite/odoo-addons",
    "development_status": "Beta",
    "depends": ["erp_virtual_stock"],
    "data": [
        "security/erp_order_priority_groups.xml",
        "security/ir.model.access.csv",
        "security/erp_order_priority_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/erp_order_priority_rule_views.xml",
        "views/erp_order_priority_rule_review_views.xml",
        "views/erp_order_assignment_rule_views.xml",
        "views/erp_allocation_run_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/stock_warehouse_views.xml",
        "views/res_config_settings_views.xml",
        "report/erp_order_report_views.xml",
        "views/erp_order_priority_menus.xml",
    ],
    "demo": ["demo/erp_order_priority_demo.xml"],
    "pre_init_hook": "pre_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
    "assets": {
        "web.assets_tests": [
            "erp_order_priority/static/tests/tours/*.js",
        ],
    },
}
