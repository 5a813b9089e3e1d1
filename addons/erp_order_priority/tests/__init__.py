# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_menus
from . import test_priority
from . import test_propagation
from . import test_allocation
from . import test_fulfillment
from . import test_assignment
from . import test_order_entry
from . import test_report
from . import test_access
from . import test_tours
from . import test_priority_rule_review
from . import test_group_order
from . import test_text_language
from . import test_picking_priority
from . import test_backorder_strategies
from . import test_backorder_processing
from . import test_backorder_portal
from . import test_backorder_concurrency
from . import test_dashboard
from . import test_tours_zh
