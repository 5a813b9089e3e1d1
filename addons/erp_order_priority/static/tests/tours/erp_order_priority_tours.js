import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("erp_allocation_simulate_tour", {
    steps: () => [
        {
            content: "New allocation run",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=warehouse_id] input",
            run: "edit Alloc Tour WH",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Alloc Tour WH)",
            run: "click",
        },
        {
            content: "Run it",
            trigger: ".o_form_view button[name=action_run]",
            run: "click",
        },
        {
            content: "Who would get what is listed",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Alloc Tour VIP)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_allocation_apply_simulation_tour", {
    steps: () => [
        {
            content: "A simulation shows the changes it plans, not changes made",
            trigger: ".o_form_view .o_field_widget[name=planned_change_count]",
        },
        {
            content: "Apply this simulation",
            trigger: ".o_form_view button[name=action_apply_simulation]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The applied run opens, linked to the simulation",
            trigger: ".o_form_view .o_field_widget[name=source_run_id]",
        },
    ],
});

registry.category("web_tour.tours").add("erp_backorder_simulate_compare_apply_tour", {
    steps: () => [
        {
            content: "New allocation run",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=warehouse_id] input",
            run: "edit Alloc Tour WH",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Alloc Tour WH)",
            run: "click",
        },
        {
            content: "Choose the backorder processing variant",
            trigger: ".o_field_widget[name=variant_id] input",
            run: "edit Tour Key Accounts",
        },
        {
            trigger:
                ".o-autocomplete--dropdown-menu .dropdown-item:contains(Tour Key Accounts)",
            run: "click",
        },
        {
            content: "Simulate",
            trigger: ".o_form_view button[name=action_run]",
            run: "click",
        },
        {
            content: "Compare per customer",
            trigger: ".o_form_view button[name=action_view_customers]",
            run: "click",
        },
        {
            content: "The standard customer loses the unit it held",
            trigger: ".o_list_view .o_group_name:contains(Alloc Tour Std)",
            run: "click",
        },
        {
            content: "Its line shows before and after",
            trigger: ".o_list_view .o_data_row:contains(Alloc Tour Std) td[name=loss_qty]:contains(1.00)",
        },
        {
            content: "The VIP customer gains",
            trigger: ".o_list_view .o_group_name:contains(Alloc Tour VIP)",
        },
        {
            content: "Back to the simulation",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Apply this simulation",
            trigger: ".o_form_view button[name=action_apply_simulation]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The applied run opens, linked to the simulation",
            trigger: ".o_form_view .o_field_widget[name=source_run_id]",
        },
    ],
});
