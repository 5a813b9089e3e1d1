from . import test_menus
from . import test_stock_threshold
from . import test_stock_alert
from . import test_stock_alert_replenish
