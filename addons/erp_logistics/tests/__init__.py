# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_menus
from . import test_i18n
from . import test_event_intake
from . import test_import
from . import test_portal
from . import test_provider
from . import test_report
from . import test_shipping_label
from . import test_security
from . import test_shipment
from . import test_webhook
from . import test_tours
from . import test_tracking_url
from . import test_standard_roles
from . import test_group_order
from . import test_kuaidi100
from . import test_kuaidi100_webhook
from . import test_aftership
from . import test_17track
from . import test_portal_receipt
from . import test_dashboard
from . import test_courier_recognition
from . import test_carrier_connection
