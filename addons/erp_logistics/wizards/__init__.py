from . import erp_shipment_import
