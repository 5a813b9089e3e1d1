/** @odoo-module **/
import {Component, onWillStart, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {ControlPanel} from "@web/search/control_panel/control_panel";
import {View} from "@web/views/view";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

/**
 * The manager dashboard: key figures computed by the server
 * (erp.dashboard.get_dashboard_data), each opening the list it counts, and
 * graphs by product and by date that open their analysis.
 */
export class ErpDashboard extends Component {
    static template = "erp_virtual_stock.Dashboard";
    static components = {ControlPanel, View};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({figures: [], graphs: []});
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("erp.dashboard", "get_dashboard_data", []);
        this.state.figures = data.figures;
        this.state.graphs = data.graphs;
    }

    open(item) {
        return this.actionService.doAction(item.action);
    }

    graphProps(graph) {
        return {
            type: "graph",
            resModel: graph.action.res_model,
            domain: graph.action.domain,
            context: graph.graph_context || {},
            display: {controlPanel: false},
            useSampleModel: false,
        };
    }
}

registry.category("actions").add("erp_virtual_stock.dashboard", ErpDashboard);
