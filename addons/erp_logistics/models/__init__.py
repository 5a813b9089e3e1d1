# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import delivery_carrier
from . import delivery_carrier_event_parsing
from . import delivery_carrier_tracking_api
from . import delivery_carrier_push
from . import delivery_carrier_connection
from . import delivery_carrier_kuaidi100
from . import delivery_carrier_aftership
from . import delivery_carrier_17track
from . import erp_shipment
from . import erp_shipment_event
from . import erp_shipment_event_intake
from . import erp_shipment_polling
from . import erp_shipment_receipt
from . import erp_shipment_subscription
from . import erp_shipment_workflow
from . import erp_shipment_courier
from . import erp_courier_code
from . import res_company
from . import res_config_settings
from . import sale_order
from . import stock_picking
from . import erp_dashboard
