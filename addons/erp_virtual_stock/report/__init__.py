from . import erp_virtual_stock_report
