import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("erp_shipment_timeline_tour", {
    steps: () => [
        {
            content: "The tracking events of the shipment are listed",
            trigger: ".o_field_widget[name=event_ids] .o_data_row:contains(Tour Hub)",
        },
        {
            trigger: ".o_field_widget[name=event_ids] .o_data_row:contains(Out for Delivery)",
        },
        {
            content: "The shipment is out for delivery",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Out for Delivery)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_portal_confirm_receipt_tour", {
    steps: () => [
        {
            content: "The timeline shows where the parcel is",
            trigger: ".o_erp_timeline:contains(Tour Hub)",
        },
        {
            content: "The products of the shipment are listed",
            trigger: ".o_erp_shipment_line:contains(Logistics Test Parcel)",
        },
        {
            trigger: ".o_erp_confirm_receipt input[name=received_by]",
            run: "edit Tour Receiver",
        },
        {
            content: "Confirm receipt",
            trigger: ".o_erp_confirm_receipt button[type=submit]",
            run: "click",
        },
        {
            content: "Receipt confirmed",
            trigger: ".alert-success:contains(receipt of your shipment is confirmed)",
        },
        {
            content: "The timeline ends with the confirmed receipt",
            trigger: ".o_erp_timeline li:first-child:contains(Receipt Confirmed):contains(Tour Receiver)",
        },
    ],
});
