# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """Activities restrict the deletion of their type: remove the alerts'
    activities before the module's data is removed."""
    env["mail.activity"].search([("res_model", "=", "erp.stock.alert")]).unlink()
