from . import erp_stock_threshold
from . import erp_stock_alert
from . import erp_stock_alert_ignore
from . import stock_picking_type_alert
from . import erp_stock_shortage_report
