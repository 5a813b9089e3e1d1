from . import test_menus
from . import test_virtual_stock_qty
from . import test_order_policy
from . import test_ledger
from . import test_entries
from . import test_stock_threshold
from . import test_stock_alert
from . import test_stock_alert_replenish
