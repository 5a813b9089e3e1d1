# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import erp_virtual_stock_report
from . import report_virtual_stock
from . import erp_demand_forecast_graph
from . import erp_stock_shortage_report
from . import erp_stock_slow_mover_report
