# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import res_company
from . import res_config_settings
from . import res_partner
from . import product_template
from . import stock_warehouse
from . import erp_order_priority_rule
from . import erp_order_assignment_rule
from . import sale_order
from . import sale_order_line
from . import sale_order_priority
from . import sale_order_fulfillment
from . import stock_move
from . import stock_picking
from . import stock_quant
from . import erp_allocation_segment
from . import erp_allocation_variant
from . import erp_allocation_run
from . import erp_allocation_run_plan
from . import erp_allocation_run_apply
from . import erp_allocation_run_supply
from . import erp_allocation_run_strategy
from . import erp_allocation_run_notice
from . import erp_allocation_run_lock
from . import erp_allocation_run_line
from . import erp_order_priority_rule_review
from . import erp_dashboard
