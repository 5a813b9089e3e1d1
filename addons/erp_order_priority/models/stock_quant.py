# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# models of the ids in a deferred reservation key, in order
DEFERRED_KEY_MODELS = (
    "product.product",
    "stock.location",
    "stock.lot",
    "stock.quant.package",
    "res.partner",
)


class DeferredReservations(dict):
    """The buffer of the allocation run's deferred reservation changes
    {(product, location, lot, package, owner) ids: quantity}.  Only an
    instance of this class defers anything: a client's JSON context can
    carry a plain dict under the same key, never one of these."""

    __slots__ = ()


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_reserved_quantity(
        self,
        product_id,
        location_id,
        quantity,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        """Under the ``erp_deferred_reservations`` context (a
        DeferredReservations, set by the allocation run while it unlinks and
        creates thousands of move lines), add the change to it instead of
        locking and writing the quant once per move line; the run then writes
        each quant once, netted.  Any other value under the key (a client's
        context) is ignored."""
        deferred = self.env.context.get("erp_deferred_reservations")
        if not isinstance(deferred, DeferredReservations) or not strict:
            return super()._update_reserved_quantity(
                product_id,
                location_id,
                quantity,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=strict,
            )
        key = (
            product_id.id,
            location_id.id,
            lot_id.id if lot_id else False,
            package_id.id if package_id else False,
            owner_id.id if owner_id else False,
        )
        deferred[key] = deferred.get(key, 0.0) + quantity
        return None

    @api.model
    def _erp_apply_deferred_reservations(self, deferred):
        """Write the reservation changes gathered under
        ``erp_deferred_reservations``: one update per product, location, lot,
        package and owner."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        quants = self.with_context(erp_deferred_reservations=None)
        quants._erp_prefetch_cache()
        # records iterated from one recordset share their prefetch: one read
        # per model, not one per key
        records = {}
        for position, model in enumerate(DEFERRED_KEY_MODELS):
            ids = {key[position] for key in deferred if key[position]}
            records[model] = {rec.id: rec for rec in self.env[model].browse(ids)}
        for (product, location, lot, package, owner), quantity in deferred.items():
            if round(quantity, precision):
                quants._update_reserved_quantity(
                    records["product.product"][product],
                    records["stock.location"][location],
                    quantity,
                    lot_id=records["stock.lot"].get(lot, self.env["stock.lot"]),
                    package_id=records["stock.quant.package"].get(
                        package, self.env["stock.quant.package"]
                    ),
                    owner_id=records["res.partner"].get(owner, self.env["res.partner"]),
                    strict=True,
                )
        deferred.clear()

    @api.model
    def _erp_prefetch_cache(self):
        """Read the quants of the ``quants_cache`` context at once: the cache
        holds one recordset per key, each prefetching only itself."""
        cache = self.env.context.get("quants_cache")
        if cache:
            self.union(*cache.values()).fetch(
                [
                    name
                    for name, field in self._fields.items()
                    if field.store and field.prefetch is True
                ]
            )
