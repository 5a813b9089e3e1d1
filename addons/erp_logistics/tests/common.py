# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import hmac
import json

from odoo import Command, fields

from odoo.addons.base.tests.common import BaseCommon

WEBHOOK_SECRET = "test-webhook-secret"


class ErpLogisticsCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].create(
            {"name": "Logistics Test WH", "code": "LTW", "company_id": cls.company.id}
        )
        # erp_virtual_stock: no oversell check in these tests
        cls.warehouse.virtual_stock_policy = "allow"
        cls.product = cls.env["product.product"].create(
            {"name": "Logistics Test Parcel", "is_storable": True, "list_price": 10}
        )
        cls.delivery_product = cls.env["product.product"].create(
            {"name": "Logistics Test Shipping", "type": "service"}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Logistics Test Customer",
                "is_company": True,
                "email": "customer@example.com",
            }
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "Logistics Test Buyer",
                "parent_id": cls.customer.id,
                "email": "buyer@example.com",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Logistics Other Customer", "email": "other@example.com"}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Logistics Test Courier",
                "product_id": cls.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "webhook",
                "webhook_secret": WEBHOOK_SECRET,
                "erp_notify_customer": True,
                "tracking_url": "https://track.example.com/?n=<shipmenttrackingnumber>",
            }
        )
        cls.other_carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Logistics Other Courier",
                "product_id": cls.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "manual",
                "erp_notify_customer": False,
            }
        )
        cls.Shipment = cls.env["erp.shipment"]
        cls.Event = cls.env["erp.shipment.event"]

    @classmethod
    def _create_shipment(cls, number, carrier=None, partner=None, **vals):
        return cls.env["erp.shipment"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "carrier_id": (carrier or cls.carrier).id,
                "tracking_number": number,
                "state": "shipped",
                "date_shipped": "2026-11-01 08:00:00",
                **vals,
            }
        )

    @classmethod
    def _event_vals(cls, shipment, status, time, location="", **vals):
        return {
            "shipment_id": shipment.id,
            "status": status,
            "event_time": time,
            "location": location,
            "source": "manual",
            **vals,
        }

    @classmethod
    def _create_sale_order(cls, qty=2, carrier=None):
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, qty
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": cls.warehouse.id,
                "carrier_id": (carrier or cls.carrier).id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": qty}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _validate_picking(cls, picking, tracking_ref=None):
        if tracking_ref:
            picking.carrier_tracking_ref = tracking_ref
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_sms=True).button_validate()
        return picking

    @staticmethod
    def _sign(body, secret=WEBHOOK_SECRET):
        return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    @staticmethod
    def _body(*events):
        return json.dumps({"events": list(events)}).encode()

    @staticmethod
    def _dt(value):
        return fields.Datetime.to_datetime(value)
