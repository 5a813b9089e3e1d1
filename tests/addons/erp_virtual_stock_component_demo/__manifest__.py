# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ERP Virtual Stock: a test component",
    "summary": "Test-only sub-module: adds a component to the virtual stock",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "ERP Order Suite",
    "website": "https://github.com/erp-order-suite/odoo-addons",
    "depends": ["erp_virtual_stock"],
    "data": [],
    "installable": True,
}
