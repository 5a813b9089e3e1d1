# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def run(self, procurements, raise_user_error=True):
        """Procurements of Odoo's reordering rules (the scheduler, the
        Replenishment screen's Order Once) first take the serialization row
        of each product and warehouse, as a threshold's replenishment does
        (``_lock_replenishment_pairs``): when both run at the same moment,
        the second one to commit fails with a serialization error and is
        retried in a new transaction, where it sees what the first one
        ordered. So a product with both a reordering rule and a threshold is
        never ordered twice."""
        if self.env.context.get("from_orderpoint"):
            pairs = set()
            for procurement in procurements:
                warehouse = (
                    procurement.values.get("warehouse_id")
                    or procurement.location_id.warehouse_id
                )
                if warehouse and procurement.product_id.is_storable:
                    pairs.add((procurement.product_id.id, warehouse.id))
            # a conflict is retried by the scheduler (new transaction) or by
            # the request's retry on serialization failures
            self.env["erp.virtual.stock.lock"]._acquire(pairs, log_exceptions=False)
        return super().run(procurements, raise_user_error=raise_user_error)
