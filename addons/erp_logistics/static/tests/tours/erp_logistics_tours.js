import {registry} from "@web/core/registry";

/** A 1 x 1 PNG: the photo of the goods the customer attaches. */
function pngPixel() {
    const base64 =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

/** Draw a zigzag stroke on Odoo's signature pad as a finger or mouse would. */
async function drawSignature(canvas) {
    const box = canvas.getBoundingClientRect();
    const pointer = (type, x, y, target = canvas) =>
        target.dispatchEvent(
            new PointerEvent(type, {
                bubbles: true,
                cancelable: true,
                pointerId: 1,
                pointerType: "mouse",
                isPrimary: true,
                buttons: type === "pointerup" ? 0 : 1,
                clientX: box.left + x,
                clientY: box.top + y,
            })
        );
    const top = box.height * 0.3;
    const bottom = box.height * 0.7;
    pointer("pointerdown", 20, top);
    for (let step = 1; step <= 12; step++) {
        // the pad samples a move at most every 16 ms
        await new Promise((resolve) => setTimeout(resolve, 25));
        pointer("pointermove", 20 + step * 20, step % 2 ? bottom : top);
    }
    pointer("pointerup", 260, top, canvas.ownerDocument);
}

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
            content: "Attach a photo of the goods",
            trigger: ".o_erp_confirm_receipt input[name=pod_photo]",
            run(helpers) {
                const input = helpers.anchor;
                const file = new File([pngPixel()], "goods.png", {type: "image/png"});
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
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

registry.category("web_tour.tours").add("erp_portal_sign_receipt_tour", {
    steps: () => [
        {
            content: "The customer's shipment is out for delivery",
            trigger: ".o_erp_timeline:contains(Tour Hub)",
        },
        {
            content: "Open the on-screen signature",
            trigger: ".o_erp_receipt_signature button[data-bs-target='#modal_erp_receipt_sign']",
            run: "click",
        },
        {
            content: "Sign by hand rather than with the typed name",
            trigger: ".modal.show .o_web_sign_draw_button",
            run: "click",
        },
        {
            content: "The pad is empty: nothing can be sent yet",
            trigger: ".modal.show .o_web_sign_draw_button.active",
        },
        {
            trigger: ".modal.show .o_portal_sign_submit:disabled",
        },
        {
            content: "Draw the signature",
            trigger: ".modal.show canvas.o_web_sign_signature",
            async run(helpers) {
                await drawSignature(helpers.anchor);
            },
        },
        {
            content: "Sign and confirm the receipt",
            trigger: ".modal.show .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The receipt is confirmed (in the customer's language)",
            trigger: ".alert-success:contains(谢谢，您的货件已确认签收。)",
        },
        {
            content: "The timeline ends with the receipt the customer signed for",
            trigger: ".o_erp_timeline li:first-child:contains(已签收):contains(Tour Portal Customer)",
        },
    ],
});
