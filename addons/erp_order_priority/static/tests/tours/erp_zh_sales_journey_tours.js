import {registry} from "@web/core/registry";

// The sales clerk's journey in Chinese (user language zh_CN), one tour per
// screen so that each screen leaves its screenshot.

registry.category("web_tour.tours").add("erp_zh_sales_1_quotation_tour", {
    steps: () => [
        {
            content: "New quotation (报价单)",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit 旅程客户",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(旅程客户)",
            run: "click",
        },
        {
            content: "Add a product line",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger:
                ".o_data_row .o_field_widget[name=product_id] input, .o_data_row .o_field_widget[name=product_template_id] input",
            run: "edit 旅程茶壶",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(旅程茶壶)",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 8",
        },
        {
            content: "Leave the quantity: the line is updated",
            trigger: ".o_notebook .nav-link.active",
            run: "click",
        },
        {
            content: "The line is partially available (部分可用)",
            trigger: ".o_data_row .o_field_widget[name=availability_state]:contains(部分可用)",
        },
        {
            content: "with its promise date",
            trigger: ".o_data_row td[name=promise_date]:not(:empty)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "The order is saved: the breadcrumb shows its number",
            trigger: ".o_breadcrumb .active:contains(S0)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_zh_sales_2_confirm_tour", {
    steps: () => [
        {
            content: "Open the priority and fulfillment tab (优先级与履约)",
            trigger: ".o_notebook .nav-link:contains(优先级与履约)",
            run: "click",
        },
        {
            content: "Urgent order (加急)",
            trigger: ".o_field_widget[name=priority_manual] select",
            run: "selectByLabel 加急",
        },
        {
            trigger: ".o_field_widget[name=priority_manual_reason] input",
            run: "edit 客户展会急需",
        },
        {
            content: "Confirm (确认)",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is a sales order (销售订单)",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(销售订单)",
        },
        {
            content: "of level 加急",
            trigger: ".o_form_view .o_field_widget[name=priority_level]:contains(加急)",
        },
        {
            content: "and pending (待处理)",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(待处理)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_zh_sales_3_delivery_tour", {
    steps: () => [
        {
            content: "Open the delivery (交货)",
            trigger: ".o_form_view button[name=action_view_delivery]",
            run: "click",
        },
        {
            content: "The delivery is starred: its priority follows the order's level",
            trigger: ".o_form_view .o_field_widget[name=priority] .fa-star",
        },
        {
            content: "It delivers the teapots",
            trigger: ".o_form_view .o_data_row:contains(旅程茶壶)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_zh_sales_4_status_tour", {
    steps: () => [
        {
            content: "The order waits in the pending column (待处理), the first of the board",
            trigger:
                ".o_kanban_group:first-child:contains(待处理) .o_kanban_record:contains(旅程客户)",
        },
    ],
});
