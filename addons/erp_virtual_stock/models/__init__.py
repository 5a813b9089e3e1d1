# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import erp_virtual_stock_lock
from . import erp_virtual_stock_ledger
from . import erp_virtual_stock
from . import stock_warehouse
from . import product_product
from . import product_template
from . import stock_move
from . import stock_quant
from . import sale_order
from . import sale_order_line
from . import res_config_settings
from . import erp_stock_threshold
from . import erp_stock_replenishment
from . import erp_stock_alert
from . import erp_stock_alert_evaluation
from . import stock_picking_type_alert
from . import erp_virtual_stock_ledger_alert
from . import erp_review_mixin
from . import erp_demand_forecast
from . import erp_demand_forecast_accuracy
from . import erp_demand_forecast_history
from . import product_product_forecast
from . import erp_stock_threshold_demand
from . import erp_stock_threshold_review
from . import erp_virtual_stock_review
from . import product_template_forecast
