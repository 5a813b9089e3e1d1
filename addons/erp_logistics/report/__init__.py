from . import erp_delivery_performance_report
