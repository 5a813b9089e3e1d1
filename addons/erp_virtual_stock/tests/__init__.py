from . import test_menus
from . import test_virtual_stock_qty
from . import test_order_policy
from . import test_ledger
from . import test_entries
from . import test_tours
