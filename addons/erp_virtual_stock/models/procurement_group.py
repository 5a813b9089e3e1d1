# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def run(self, procurements, raise_user_error=True):
        """Procurements of Odoo's reordering rules (the scheduler, the
        Replenishment screen's Order Once, the rules run when a move is
        confirmed) first take the serialization row of each product and
        warehouse that a stock threshold also watches, as the threshold's
        replenishment does (``_lock_replenishment_pairs``): when both run at
        the same moment, the second one to commit fails with a serialization
        error and is retried in a new transaction, where it sees what the
        first one ordered. So a product with both a reordering rule and a
        threshold is never ordered twice; products without a threshold are
        procured as in Odoo."""
        if self.env.context.get("from_orderpoint"):
            self._erp_lock_threshold_pairs(procurements)
        return super().run(procurements, raise_user_error=raise_user_error)

    @api.model
    def _erp_lock_threshold_pairs(self, procurements):
        by_warehouse = {}
        for procurement in procurements:
            warehouse = (
                procurement.values.get("warehouse_id")
                or procurement.location_id.warehouse_id
            )
            if warehouse and procurement.product_id.is_storable:
                by_warehouse.setdefault(warehouse, set()).add(procurement.product_id.id)
        if not by_warehouse:
            return
        # sudo: which pairs a threshold watches decides a lock, whoever orders
        # (an Inventory administrator need not read thresholds)
        Threshold = self.env["erp.stock.threshold"].sudo()
        pairs = set()
        for warehouse, product_ids in by_warehouse.items():
            pairs.update(Threshold._get_rule_id_map(warehouse, list(product_ids)))
        # a conflict is retried by the scheduler (new transaction) or by the
        # request's retry on serialization failures
        self.env["erp.virtual.stock.lock"]._acquire(pairs, log_exceptions=False)
