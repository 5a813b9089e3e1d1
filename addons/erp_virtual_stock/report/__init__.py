from . import erp_virtual_stock_report
from . import report_virtual_stock
from . import erp_demand_forecast_graph
