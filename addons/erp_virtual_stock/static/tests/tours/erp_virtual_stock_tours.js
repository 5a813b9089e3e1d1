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

registry.category("web_tour.tours").add("erp_virtual_stock_alert_tour", {
    steps: () => [
        {
            content: "The quotation for the kettle is open",
            trigger: ".o_form_view .o_data_row:contains(Alert Tour Kettle)",
        },
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: "Go to Inventory",
            trigger: ".o_app[data-menu-xmlid='stock.menu_stock_root']",
            run: "click",
        },
        {
            content: "Open the Virtual Stock menu",
            trigger: ".dropdown-toggle[data-menu-xmlid='erp_virtual_stock.erp_virtual_stock_menu_root']",
            run: "click",
        },
        {
            content: "Open the stock alerts",
            trigger: ".dropdown-item[data-menu-xmlid='erp_virtual_stock.erp_stock_alert_menu']",
            run: "click",
        },
        {
            content: "The kettle's alert is listed",
            trigger: ".o_kanban_record:contains(Alert Tour Kettle):contains(Alert Tour WH)",
            run: "click",
        },
        {
            content: "The alert shows the kettle, its warehouse and the shortage",
            trigger: ".o_form_view .o_field_widget[name=product_id]:contains(Alert Tour Kettle)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=warehouse_id]:contains(Alert Tour WH)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=qty_at_trigger]:contains(8.00)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=shortage_qty]:contains(2.00)",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Open)",
        },
    ],
});
