import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("erp_virtual_stock_entry_tour", {
    steps: () => [
        {
            content: "Create a manual virtual stock entry",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the product",
            trigger: ".o_field_widget[name=product_id] input",
            run: "edit Tour Tea Pot",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Tour Tea Pot)",
            run: "click",
        },
        {
            content: "In the tour warehouse",
            trigger: ".o_field_widget[name=warehouse_id] input",
            run: "edit Tour Warehouse",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Tour Warehouse)",
            run: "click",
        },
        {
            content: "Presale quantity",
            trigger: ".o_field_widget[name=quantity] input",
            run: "edit 25",
        },
        {
            content: "Activate the entry",
            trigger: ".o_form_view button[name=action_activate]",
            run: "click",
        },
        {
            content: "The entry is active",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Active)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_virtual_stock_quotation_tour", {
    steps: () => [
        {
            content: "New quotation",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Tour Customer)",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_field_x2many_list_row_add a:contains(Add a product)",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_id] input, .o_data_row .o_field_widget[name=product_template_id] input",
            run: "edit Tour Tea Pot",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Tour Tea Pot)",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 8",
        },
        {
            content: "Save: the line shows partial availability",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=availability_state]:contains(Partial)",
        },
        {
            content: "The promise date is shown",
            trigger: ".o_data_row td[name=promise_date]:not(:empty)",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
