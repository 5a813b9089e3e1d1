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
