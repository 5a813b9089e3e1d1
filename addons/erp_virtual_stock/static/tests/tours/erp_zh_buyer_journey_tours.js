import {registry} from "@web/core/registry";

// The buyer's journey in Chinese (user language zh_CN), one tour per screen
// so that each screen leaves its screenshot; and the manager dashboard.

registry.category("web_tour.tours").add("erp_zh_buyer_1_alerts_tour", {
    steps: () => [
        {
            content: "The coffee beans' alert is listed (库存预警)",
            trigger: ".o_kanban_record:contains(旅程咖啡豆):contains(采购旅程仓)",
        },
        {
            content: "and the filters' alert",
            trigger: ".o_kanban_record:contains(旅程滤纸):contains(采购旅程仓)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_zh_buyer_2_alert_tour", {
    steps: () => [
        {
            content: "The alert is open (未处理)",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(未处理)",
        },
        {
            content: "It offers to create a request for quotation (创建询价单)",
            trigger: ".o_form_view button[name=action_replenish_purchase]:contains(创建询价单)",
        },
        {
            content: "and shows the shortage (缺口)",
            trigger: ".o_form_view .o_field_widget[name=shortage_qty]",
        },
    ],
});

registry.category("web_tour.tours").add("erp_zh_buyer_3_rfq_tour", {
    steps: () => [
        {
            content: "Create the request for quotation (创建询价单)",
            trigger: ".o_form_view button[name=action_replenish_purchase]",
            run: "click",
        },
        {
            content: "The alert is followed up (跟进中)",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(跟进中)",
        },
        {
            content: "Open its purchase",
            trigger: ".o_form_view button[name=action_view_purchases]",
            run: "click",
        },
        {
            content: "The alert's request for quotation is listed (询价): open it",
            trigger: ".o_list_view .o_data_row:contains(旅程供应商) td[name=name]",
            run: "click",
        },
        {
            content: "The request for quotation (询价) buys the coffee beans",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(询价)",
        },
        {
            trigger: ".o_form_view .o_data_row:contains(旅程咖啡豆)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_zh_buyer_4_transfer_tour", {
    steps: () => [
        {
            content: "Transfer the surplus of another warehouse (调拨)",
            trigger: ".o_form_view button[name=action_replenish_transfer]:contains(调拨)",
            run: "click",
        },
        {
            content: "The alert is followed up (跟进中)",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(跟进中)",
        },
        {
            content: "Open its transfer",
            trigger: ".o_form_view button[name=action_view_pickings]",
            run: "click",
        },
        {
            content: "The alert's transfer goes from the other warehouse to the alert's",
            trigger: ".o_list_view .o_data_row:contains(ZHSR/Stock):contains(ZHBY/Stock)",
        },
    ],
});

registry.category("web_tour.tours").add("erp_zh_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard shows its key figures, the open alerts (预警) among them",
            trigger: ".o_erp_dashboard .o_erp_dashboard_figure[data-figure=open_alerts]:contains(预警)",
        },
        {
            content: "The forecast figure says when its snapshot was taken",
            trigger: ".o_erp_dashboard_figure[data-figure=running_out] .o_erp_dashboard_snapshot",
        },
        {
            content: "Click the open alerts figure",
            trigger: ".o_erp_dashboard_figure[data-figure=open_alerts]",
            run: "click",
        },
        {
            content: "The alerts it counts are listed, the kettle's among them",
            trigger: ".o_breadcrumb .active:contains(预警)",
        },
        {
            trigger: ".o_kanban_record:contains(仪表板水壶), .o_data_row:contains(仪表板水壶)",
        },
    ],
});
