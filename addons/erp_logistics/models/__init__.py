# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import delivery_carrier
from . import erp_shipment
from . import erp_shipment_event
from . import res_company
from . import res_config_settings
from . import sale_order
from . import stock_picking
from . import erp_dashboard
