from . import erp_virtual_stock_report
from . import erp_demand_forecast_graph
