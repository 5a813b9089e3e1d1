# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import erp_delivery_performance_report
from . import erp_shipment_label
