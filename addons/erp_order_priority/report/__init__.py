from . import erp_order_report
