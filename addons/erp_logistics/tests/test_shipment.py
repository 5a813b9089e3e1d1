# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestShipmentCreation(ErpLogisticsCommon):
    def test_validated_delivery_creates_shipped_shipment(self):
        """Given a confirmed order with a carrier, when its delivery is validated
        with a tracking reference, then a shipped shipment links the picking, the
        order, the customer, the carrier and the tracking number."""
        order = self._create_sale_order()
        picking = order.picking_ids
        self._validate_picking(picking, tracking_ref="TRK-CREATE-1")
        shipment = picking.erp_shipment_ids
        self.assertEqual(len(shipment), 1)
        self.assertRecordValues(
            shipment,
            [
                {
                    "state": "shipped",
                    "picking_id": picking.id,
                    "sale_order_id": order.id,
                    "partner_id": picking.partner_id.id,
                    "carrier_id": self.carrier.id,
                    "tracking_number": "TRK-CREATE-1",
                    "tracking_url": "https://track.example.com/?n=TRK-CREATE-1",
                }
            ],
        )
        self.assertTrue(shipment.date_shipped)
        self.assertTrue(shipment.name.startswith("SHP/"))
        self.assertEqual(order.erp_shipment_count, 1)
        self.assertEqual(picking.erp_shipment_count, 1)

    def test_tracking_ref_set_after_validation_fills_shipment(self):
        """Given a shipment created without tracking number, when the carrier's
        tracking reference is written on the picking, then the shipment gets it."""
        order = self._create_sale_order()
        picking = self._validate_picking(order.picking_ids)
        self.assertFalse(picking.erp_shipment_ids.tracking_number)
        picking.carrier_tracking_ref = "TRK-LATE-1"
        self.assertEqual(picking.erp_shipment_ids.tracking_number, "TRK-LATE-1")

    def test_delivery_without_carrier_creates_no_shipment(self):
        """Given an order without carrier, when its delivery is validated, then
        no shipment is created."""
        order = self._create_sale_order()
        picking = order.picking_ids
        picking.carrier_id = False
        self._validate_picking(picking)
        self.assertFalse(picking.erp_shipment_ids)

    def test_expected_date_is_ship_time_plus_transit_days(self):
        """Given a carrier taking 2 days and an order promised for yesterday,
        when its delivery is validated, then the shipment is expected 2 days
        after it was shipped (not at the delivery's scheduled date) and is not
        late."""
        self.carrier.erp_transit_days = 2
        order = self._create_sale_order()
        order.commitment_date = fields.Datetime.now() - timedelta(days=1)
        picking = self._validate_picking(order.picking_ids)
        shipment = picking.erp_shipment_ids
        self.assertEqual(
            shipment.date_expected, shipment.date_shipped + timedelta(days=2)
        )
        self.assertFalse(shipment.is_late)

    def test_draft_shipment_shipped_by_hand_gets_an_expected_date(self):
        """Given a draft shipment of a carrier taking 3 days, when it is
        shipped, then it is expected 3 days later."""
        shipment = self._create_shipment("HAND-1", state="draft", date_shipped=False)
        shipment.action_ship()
        self.assertEqual(
            shipment.date_expected, shipment.date_shipped + timedelta(days=3)
        )

    def test_carrier_editors_set_transit_days(self):
        """Given a sales manager and an inventory manager (both edit delivery
        methods), then both set a carrier's transit days; a new carrier takes 3
        days; a negative number is refused."""
        for login, groups in (
            ("erp_transit_sales", "sales_team.group_sale_manager"),
            ("erp_transit_stock", "stock.group_stock_manager"),
        ):
            with self.subTest(groups=groups):
                user = new_test_user(self.env, login=login, groups=groups)
                carrier = self.other_carrier.with_user(user)
                carrier.erp_transit_days = 5
                self.assertEqual(
                    carrier.read(["erp_transit_days"])[0]["erp_transit_days"], 5
                )
        new_carrier = self.env["delivery.carrier"].create(
            {"name": "Transit Courier", "product_id": self.delivery_product.id}
        )
        self.assertEqual(new_carrier.erp_transit_days, 3)
        with self.assertRaises(ValidationError):
            new_carrier.erp_transit_days = -1

    def test_shipments_list_opens_on_open_and_exception_shipments(self):
        """Given a shipment in transit, one in exception and one delivered, when
        the Shipments menu opens with its default filters, then the two that
        may need action are listed, the delivered one is not; the list of a
        delivery's shipments shows them all."""
        in_transit = self._create_shipment("FLT-1", state="in_transit")
        exception = self._create_shipment("FLT-2", state="exception")
        delivered = self._create_shipment("FLT-3", state="delivered")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_logistics.erp_shipment_action"
        )
        context = safe_eval(action["context"])
        active = {
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_") and value
        }
        arch = etree.fromstring(self.Shipment.get_view(view_type="search")["arch"])
        # the web client ORs the active filters of a group (filters between
        # separators or fields) and ANDs the groups
        groups, current = [], []
        for node in arch:
            if node.tag == "filter":
                current.append(node)
            else:
                groups.append(current)
                current = []
        groups.append(current)
        domain = expression.AND(
            [
                expression.OR(
                    [
                        safe_eval(f.get("domain"))
                        for f in group
                        if f.get("name") in active
                    ]
                )
                for group in groups
                if any(f.get("name") in active for f in group)
            ]
        )
        shown = self.Shipment.search(
            expression.AND([domain, [("tracking_number", "like", "FLT-")]])
        )
        self.assertEqual(shown, in_transit | exception)
        action = (in_transit | exception | delivered)._erp_get_action()
        self.assertFalse(
            [key for key in action["context"] if key.startswith("search_default_")]
        )

    def test_delivery_without_carrier_warns(self):
        """Given a customer delivery without carrier, then its form warns that
        no shipment will be created, and after validation that none was; a
        delivery with a carrier and a receipt show no warning."""
        order = self._create_sale_order()
        picking = order.picking_ids
        self.assertFalse(picking.erp_carrier_warning)
        picking.carrier_id = False
        self.assertIn("creates no shipment", picking.erp_carrier_warning)
        self._validate_picking(picking)
        self.assertFalse(picking.erp_shipment_ids)
        self.assertIn("no shipment was created", picking.erp_carrier_warning)
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.customer.id,
            }
        )
        self.assertFalse(receipt.erp_carrier_warning)
        arch = self.env["stock.picking"].get_view(view_type="form")["arch"]
        self.assertIn('name="erp_carrier_warning"', arch)

    def test_company_requires_a_carrier(self):
        """Given a company requiring a carrier for customer deliveries, when a
        delivery without carrier is validated, then it is refused and stays
        open without shipment; with a carrier it is validated and shipped;
        with the setting off (default) a delivery without carrier validates."""
        self.assertFalse(self.company.erp_require_carrier)
        self.company.erp_require_carrier = True
        order = self._create_sale_order()
        picking = order.picking_ids
        picking.carrier_id = False
        with self.assertRaisesRegex(UserError, "requires one"):
            self._validate_picking(picking)
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(picking.erp_shipment_ids)
        picking.carrier_id = self.carrier
        self._validate_picking(picking)
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.erp_shipment_ids)
        self.company.erp_require_carrier = False
        other = self._create_sale_order().picking_ids
        other.carrier_id = False
        self._validate_picking(other)
        self.assertEqual(other.state, "done")

    def test_update_tracking_only_for_carriers_with_an_api(self):
        """Given a shipment of a manual carrier, then Update Tracking is not
        offered and, called anyway, explains why instead of reporting 0 new
        events; a carrier with a tracking API offers it."""
        manual = self._create_shipment("POLL-1", carrier=self.other_carrier)
        self.assertFalse(manual.erp_can_poll)
        with self.assertRaisesRegex(UserError, "no tracking API"):
            manual.action_poll_tracking()
        api_carrier = self.other_carrier.copy(
            {
                "name": "API Courier",
                "tracking_provider": "json_api",
                "tracking_api_url": "https://api.carrier.example/v1",
            }
        )
        polled = self._create_shipment("POLL-2", carrier=api_carrier)
        self.assertTrue(polled.erp_can_poll)

    def test_tracking_number_unique_per_carrier(self):
        """Given a shipment with a tracking number, when another shipment of the
        same carrier uses it, then the database refuses it."""
        self._create_shipment("DUP-1")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self._create_shipment("DUP-1")
        other = self._create_shipment("DUP-1", carrier=self.other_carrier)
        self.assertTrue(other)

    def test_action_view_shipments_opens_single_form(self):
        """Given a picking with one shipment, when its smart button is clicked,
        then the action opens that shipment's form."""
        shipment = self._create_shipment("VIEW-1")
        action = shipment._erp_get_action()
        self.assertEqual(action["res_id"], shipment.id)

    def test_cannot_delete_shipped_shipment(self):
        """Given a shipped shipment, when it is deleted, then a UserError is
        raised."""
        shipment = self._create_shipment("DEL-1")
        with self.assertRaises(UserError):
            shipment.unlink()


@tagged("post_install", "-at_install")
class TestShipmentStateMachine(ErpLogisticsCommon):
    def test_events_move_state_forward(self):
        """Given a shipped shipment, when in-transit then delivered events arrive,
        then it is delivered with the event's time and recipient."""
        shipment = self._create_shipment("SM-1")
        self.Shipment._erp_process_events(
            [
                self._event_vals(shipment, "in_transit", "2026-11-02 08:00:00", "Hub"),
                self._event_vals(
                    shipment,
                    "delivered",
                    "2026-11-03 10:00:00",
                    "Door",
                    received_by="Wang Wei",
                ),
            ]
        )
        self.assertRecordValues(
            shipment,
            [
                {
                    "state": "delivered",
                    "date_delivered": self._dt("2026-11-03 10:00:00"),
                    "received_by": "Wang Wei",
                    "last_location": "Door",
                    "event_count": 2,
                }
            ],
        )

    def test_out_of_order_event_is_stored_but_not_applied(self):
        """Given a delivered shipment, when an older in-transit event arrives
        later, then it is stored but the shipment stays delivered."""
        shipment = self._create_shipment("SM-2")
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "delivered", "2026-11-03 10:00:00")]
        )
        late = self.Shipment._erp_process_events(
            [self._event_vals(shipment, "in_transit", "2026-11-02 08:00:00")]
        )
        self.assertEqual(len(late), 1)
        self.assertFalse(late.is_applied)
        self.assertEqual(shipment.state, "delivered")
        self.assertEqual(shipment.event_count, 2)

    def test_lower_rank_newer_event_does_not_move_back(self):
        """Given a shipment out for delivery, when a newer in-transit event
        arrives, then the state does not move backwards."""
        shipment = self._create_shipment("SM-3")
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "out_for_delivery", "2026-11-03 08:00:00")]
        )
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "in_transit", "2026-11-03 09:00:00")]
        )
        self.assertEqual(shipment.state, "out_for_delivery")

    def test_exception_then_recovery(self):
        """Given a shipment in exception, when a newer in-transit event arrives,
        then the shipment is back in transit."""
        shipment = self._create_shipment("SM-4")
        self.Shipment._erp_process_events(
            [
                self._event_vals(shipment, "in_transit", "2026-11-02 08:00:00"),
                self._event_vals(shipment, "exception", "2026-11-02 12:00:00"),
            ]
        )
        self.assertEqual(shipment.state, "exception")
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "in_transit", "2026-11-03 08:00:00")]
        )
        self.assertEqual(shipment.state, "in_transit")

    def test_cancelled_shipment_is_returned_by_a_return_event(self):
        """Given a shipped shipment cancelled by the user (the order was
        cancelled and the parcel intercepted), when the carrier reports it
        returned (快递100 退签), then the shipment is returned; a later
        in-transit event leaves it so."""
        shipment = self._create_shipment("SM-RET")
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "in_transit", "2026-11-02 08:00:00")]
        )
        shipment.action_cancel()
        returned = self.Shipment._erp_process_events(
            [self._event_vals(shipment, "returned", "2026-11-04 09:00:00")]
        )
        self.assertTrue(returned.is_applied)
        self.assertEqual(shipment.state, "returned")
        late = self.Shipment._erp_process_events(
            [self._event_vals(shipment, "in_transit", "2026-11-05 09:00:00")]
        )
        self.assertFalse(late.is_applied)
        self.assertEqual(shipment.state, "returned")

    def test_duplicate_events_are_ignored(self):
        """Given a stored event, when the same event (shipment, status, time,
        location) comes again, in the same batch or later, then it is ignored."""
        shipment = self._create_shipment("SM-5")
        vals = self._event_vals(shipment, "in_transit", "2026-11-02 08:00:00", "Hub")
        first = self.Shipment._erp_process_events([vals, dict(vals)])
        again = self.Shipment._erp_process_events([dict(vals)])
        self.assertEqual(len(first), 1)
        self.assertFalse(again)
        self.assertEqual(shipment.event_count, 1)

    def test_duplicate_event_refused_by_database(self):
        """Given a stored event, when the same event is inserted bypassing the
        de-duplication, then the unique index refuses it."""
        shipment = self._create_shipment("SM-6")
        vals = self._event_vals(shipment, "in_transit", "2026-11-02 08:00:00")
        Event = self.Event.with_context(erp_skip_event_processing=True)
        Event.create(vals)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Event.create(dict(vals))

    def test_manual_event_from_form_applies(self):
        """Given a shipment, when a user adds an event in the form's list, then
        the state follows."""
        shipment = self._create_shipment("SM-7")
        shipment.write(
            {
                "event_ids": [
                    (
                        0,
                        0,
                        {
                            "status": "out_for_delivery",
                            "event_time": "2026-11-02 08:00:00",
                        },
                    )
                ]
            }
        )
        self.assertEqual(shipment.state, "out_for_delivery")

    @freeze_time("2026-11-10 12:00:00")
    def test_late_search(self):
        """Given open shipments past and before their expected date and one
        delivered late, when searching late shipments, then the overdue open one
        and the late delivered one are found."""
        overdue = self._create_shipment("LATE-1", date_expected="2026-11-05 00:00:00")
        on_time = self._create_shipment("LATE-2", date_expected="2026-11-20 00:00:00")
        delivered_late = self._create_shipment(
            "LATE-3",
            date_expected="2026-11-05 00:00:00",
            state="delivered",
            date_delivered="2026-11-06 00:00:00",
        )
        late = self.Shipment.search([("is_late", "=", True)])
        self.assertIn(overdue, late)
        self.assertIn(delivered_late, late)
        self.assertNotIn(on_time, late)
        self.assertTrue(overdue.is_late)
        self.assertFalse(on_time.is_late)
        self.assertIn(on_time, self.Shipment.search([("is_late", "=", False)]))


@tagged("post_install", "-at_install")
class TestShipmentNotifications(ErpLogisticsCommon):
    def _customer_messages(self, shipment):
        return shipment.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
            and m.subtype_id == self.env.ref("mail.mt_comment")
        )

    def test_shipped_and_delivered_notify_customer(self):
        """Given a carrier with notifications, when a shipment is shipped, out for
        delivery and delivered, then the customer gets one mail per step with the
        tracking link."""
        shipment = self._create_shipment("NOT-1")
        self.Shipment._erp_process_events(
            [
                self._event_vals(shipment, "in_transit", "2026-11-02 08:00:00"),
                self._event_vals(shipment, "out_for_delivery", "2026-11-03 08:00:00"),
            ]
        )
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "delivered", "2026-11-03 12:00:00")]
        )
        messages = self._customer_messages(shipment)
        # shipped, out_for_delivery (the state after the first batch), delivered
        self.assertEqual(len(messages), 3)
        self.assertIn(f"/my/shipments/{shipment.id}", messages[0].body)
        self.assertIn("access_token=", messages[0].body)

    def test_out_for_delivery_and_exception_notify(self):
        """Given a shipped shipment, when it goes out for delivery then into
        exception in separate updates, then one mail is sent for each."""
        shipment = self._create_shipment("NOT-2")
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "out_for_delivery", "2026-11-03 08:00:00")]
        )
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "exception", "2026-11-03 12:00:00")]
        )
        subjects = self._customer_messages(shipment).mapped("subject")
        self.assertEqual(len(subjects), 3)
        self.assertTrue(any("out for delivery" in s for s in subjects))
        self.assertTrue(any("problem" in s for s in subjects))

    def test_notifications_switched_off_per_carrier(self):
        """Given a carrier with notifications off, when its shipment moves, then
        no mail is sent to the customer."""
        shipment = self._create_shipment("NOT-3", carrier=self.other_carrier)
        self.Shipment._erp_process_events(
            [self._event_vals(shipment, "delivered", "2026-11-03 12:00:00")]
        )
        self.assertFalse(self._customer_messages(shipment))


@tagged("post_install", "-at_install")
class TestShipmentReceipt(ErpLogisticsCommon):
    def test_confirm_receipt_records_proof(self):
        """Given a delivered shipment, when the receipt is confirmed, then who and
        when are recorded."""
        shipment = self._create_shipment("POD-1")
        shipment.action_confirm_receipt(received_by="Li Na", note="Box intact")
        self.assertRecordValues(
            shipment,
            [{"state": "delivered", "received_by": "Li Na", "pod_note": "Box intact"}],
        )
        self.assertTrue(shipment.received_at)
        self.assertTrue(shipment.date_delivered)

    def test_receipt_cannot_be_added_as_a_tracking_event(self):
        """Given a shipment, when a "Receipt Confirmed" event is entered by hand
        or sent by a carrier, then it is refused: only Confirm Receipt records
        it, with who received the goods."""
        shipment = self._create_shipment("RCPT-EVT-1")
        with self.assertRaises(UserError):
            self.Event.create(
                self._event_vals(shipment, "received", "2026-11-02 08:00:00")
            )
        vals_list, errors = self.carrier._erp_parse_events(
            [
                {
                    "tracking_number": "RCPT-EVT-1",
                    "status": "received",
                    "time": "2026-11-02T08:00:00Z",
                }
            ],
            "webhook",
        )
        self.assertFalse(vals_list)
        self.assertTrue(errors)
        self.assertFalse(shipment.received_at)

    def test_confirm_receipt_twice_fails(self):
        """Given a confirmed receipt, when it is confirmed again, then a
        UserError is raised."""
        shipment = self._create_shipment("POD-2")
        shipment.action_confirm_receipt()
        with self.assertRaises(UserError):
            shipment.action_confirm_receipt()

    def test_confirm_receipt_of_draft_fails(self):
        """Given a draft shipment, when its receipt is confirmed, then a
        UserError is raised and nothing is recorded."""
        shipment = self._create_shipment("POD-3", state="draft")
        with self.assertRaises(UserError):
            shipment.action_confirm_receipt()
        self.assertFalse(shipment.received_at)

    def test_cron_poll_skips_non_polling_carriers(self):
        """Given only webhook and manual carriers, when the polling cron runs,
        then no event is created."""
        shipment = self._create_shipment("CRON-1")
        self.Shipment._cron_poll_tracking()
        self.assertFalse(shipment.event_ids)


@tagged("post_install", "-at_install")
class TestShipmentClosesOrder(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_sale_order()
        cls._validate_picking(cls.order.picking_ids, tracking_ref="CLOSE-1")
        cls.shipment = cls.order.erp_shipment_ids

    def test_order_completed_after_delivery(self):
        """Given the order's only delivery validated, then its fulfillment is
        completed and its shipment shipped."""
        self.assertEqual(self.order.fulfillment_state, "completed")
        self.assertEqual(self.shipment.state, "shipped")

    def test_confirm_receipt_closes_order(self):
        """Given a completed order, when its shipment's receipt is confirmed, then
        the order's fulfillment is closed."""
        self.shipment.action_confirm_receipt(received_by="Sun Li")
        self.assertEqual(self.order.fulfillment_state, "closed")

    def test_proof_of_delivery_closes_order_when_configured(self):
        """Given the company setting, when the carrier reports a delivery signed by
        the recipient, then the order is closed."""
        self.company.erp_pod_closes_order = True
        self.Shipment._erp_process_events(
            [
                self._event_vals(
                    self.shipment,
                    "delivered",
                    "2026-11-03 10:00:00",
                    received_by="Gate keeper",
                )
            ]
        )
        self.assertEqual(self.shipment.received_by, "Gate keeper")
        self.assertEqual(self.order.fulfillment_state, "closed")
        # the carrier's proof closed it, not the customer's confirmation
        bodies = self.order.message_ids.mapped("body")
        self.assertTrue(
            any("signed for by Gate keeper" in body for body in bodies), bodies
        )
        self.assertFalse(any("customer confirmed" in body for body in bodies))

    def test_proof_of_delivery_without_setting_keeps_order_open(self):
        """Given no company setting, when the carrier reports a signed delivery,
        then the order stays completed, awaiting the customer."""
        self.company.erp_pod_closes_order = False
        self.Shipment._erp_process_events(
            [
                self._event_vals(
                    self.shipment,
                    "delivered",
                    "2026-11-03 10:00:00",
                    received_by="Gate keeper",
                )
            ]
        )
        self.assertEqual(self.shipment.state, "delivered")
        self.assertEqual(self.order.fulfillment_state, "completed")
