# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_menus
from . import test_virtual_stock_qty
from . import test_order_policy
from . import test_ledger
from . import test_entries
from . import test_concurrency
from . import test_stock_threshold
from . import test_stock_alert
from . import test_stock_alert_replenish
from . import test_stock_alert_trigger
from . import test_tours
from . import test_demand_forecast
from . import test_demand_forecast_accuracy
from . import test_stock_threshold_demand
from . import test_review
from . import test_text_language
from . import test_stock_alert_actions
from . import test_stock_alert_rounding
from . import test_order_shortage
from . import test_settings_choices
from . import test_screens
from . import test_stock_alert_replenish_job
from . import test_replenish_claim
from . import test_timezone
