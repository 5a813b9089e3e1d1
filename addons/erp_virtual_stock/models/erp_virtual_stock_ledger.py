# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

_logger = logging.getLogger(__name__)

# context key of the running virtual stock operation
OPERATION_KEY = "erp_virtual_stock_operation"


class VirtualStockOperation:
    """State of one virtual stock operation (see ``_erp_operation``).

    Passed down in the context of the records the operation runs on (bind
    them with :meth:`bind`); compared by identity, so that two operations are
    never mistaken for each other and environments stay cheap to compare.
    """

    __slots__ = ("before", "closed", "event", "source", "sources")

    def __init__(self, event, source=None):
        self.event = event
        self.source = source
        self.sources = {}  # {pair: source document of the pair}
        self.before = {}  # {pair: virtual stock before the change}
        self.closed = False

    def bind(self, records):
        """``records`` with this operation in their context: what they change
        while it runs is recorded by it."""
        return records.with_context(**{OPERATION_KEY: self})


class ErpVirtualStockLedger(models.Model):
    _name = "erp.virtual.stock.ledger"
    _description = "Virtual Stock Ledger"
    _order = "id desc"
    _rec_name = "product_id"

    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, index=True
    )
    # precomputed: written with the row (one INSERT, no UPDATE after it)
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id",
        store=True,
        precompute=True,
        string="Product Template",
    )
    categ_id = fields.Many2one(
        related="product_id.categ_id",
        store=True,
        precompute=True,
        string="Product Category",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        related="warehouse_id.company_id", store=True, precompute=True, index=True
    )
    delta = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="Change of virtual stock caused by this event.",
    )
    balance = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        aggregator="max",
        help="Virtual stock of the product in the warehouse after this event.",
    )
    event = fields.Selection(
        [
            ("order_confirmed", "Order Confirmed"),
            ("order_changed", "Order Changed"),
            ("order_cancelled", "Order Cancelled"),
            ("delivered", "Delivered"),
            ("received", "Received"),
            ("manual", "Manual Entry"),
            ("transfer", "Transfer"),
            ("reconcile", "Reconciliation"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    res_model = fields.Char("Source Model", readonly=True)
    res_id = fields.Many2oneReference(
        "Source ID", model_field="res_model", readonly=True
    )
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        compute="_compute_source_ref",
        string="Source Document",
    )
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )

    @api.model
    def _selection_source_ref(self):
        return [
            (model.model, model.name)
            for model in self.env["ir.model"].sudo().search([])  # all models
        ]

    @api.depends("res_model", "res_id")
    def _compute_source_ref(self):
        for line in self:
            if line.res_model and line.res_id and line.res_model in self.env:
                line.source_ref = f"{line.res_model},{line.res_id}"
            else:
                line.source_ref = False

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The virtual stock ledger is append-only: it cannot be edited."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_append_only(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The virtual stock ledger is append-only: its lines cannot be "
                    "deleted."
                )
            )

    # ------------------------------------------------------------------
    # Operations: track the virtual stock of (product, warehouse) pairs
    # ------------------------------------------------------------------
    @api.model
    def _erp_current_operation(self):
        """The running operation of the context, None outside of one."""
        operation = self.env.context.get(OPERATION_KEY)
        if operation is None or operation.closed:
            return None
        return operation

    @api.model
    @contextlib.contextmanager
    def _erp_operation(self, event, source=None, pairs=(), sources=None):
        """Record every change of virtual stock done inside the block.

        Yields the operation; the block runs its work on records bound to it
        (``operation.bind(records)``) so that nested operations find it in
        their context. The outermost operation owns the event and the source
        document; nested ones only add their pairs. Pairs are watched
        (serialization row bumped, virtual stock read) before they change;
        when the outermost block ends the virtual stock is read again and a
        ledger row is written for each pair that moved.
        """
        operation = self._erp_current_operation()
        if operation is not None:
            self._erp_watch(pairs, source=source, sources=sources)
            yield operation
            return
        operation = VirtualStockOperation(event, source)
        ledger = operation.bind(self)
        try:
            ledger._erp_watch(pairs, source=source, sources=sources)
            yield operation
            ledger._erp_finish(operation)
        finally:
            operation.closed = True

    @api.model
    def _erp_watch(self, pairs, source=None, sources=None):
        """Bump the serialization rows of new ``pairs`` and remember their
        virtual stock before the change. Returns that map (all pairs)."""
        operation = self._erp_current_operation()
        if operation is None:
            return {}
        new_pairs = {pair for pair in pairs if pair not in operation.before}
        for pair in new_pairs:
            record = (sources or {}).get(pair) or source
            if record:
                operation.sources.setdefault(pair, record)
        if new_pairs:
            self.env["erp.virtual.stock.lock"]._acquire(new_pairs)
            operation.before.update(self._erp_pairs_map(new_pairs))
        return operation.before

    @api.model
    def _erp_pairs_map(self, pairs):
        # sudo: the ledger records the true virtual stock; a salesman
        # confirming an order may not read every quant, move or entry
        products = self.env["product.product"].sudo().browse({p for p, _w in pairs})
        warehouses = self.env["stock.warehouse"].sudo().browse({w for _p, w in pairs})
        stock_map = (
            self.env["product.product"]
            .sudo()
            ._erp_virtual_stock_map(warehouses, products)
        )
        return {pair: stock_map.get(pair, 0.0) for pair in pairs}

    @api.model
    def _erp_finish(self, operation):
        before = operation.before
        if not before:
            return
        self.env.flush_all()
        # the components (not only the totals): what the rows set off (the
        # thresholds' trigger) compares them with the rules without reading
        # them again
        components = self._erp_pairs_components(set(before))
        Product = self.env["product.product"]
        after = {
            pair: Product._erp_virtual_stock_total(components.get(pair, {}))
            for pair in before
        }
        # the operation is over: what the ledger rows set off (alerts) is
        # recorded by operations of its own
        operation.closed = True
        products = self.env["product.product"].browse({p for p, _w in before})
        rounding = {product.id: product.uom_id.rounding for product in products}
        vals_list = []
        for pair in sorted(before):
            delta = after[pair] - before[pair]
            if float_is_zero(delta, precision_rounding=rounding[pair[0]]):
                continue
            source = operation.sources.get(pair) or operation.source
            vals_list.append(
                {
                    "product_id": pair[0],
                    "warehouse_id": pair[1],
                    "delta": delta,
                    "balance": after[pair],
                    "event": operation.event,
                    "res_model": source._name if source else False,
                    "res_id": source.id if source else False,
                }
            )
        if vals_list:
            self._erp_create_rows(vals_list, components)

    @api.model
    def _erp_pairs_components(self, pairs):
        """The engine's components ({pair: {component: qty}}, the extension
        point) of every product x warehouse of ``pairs``."""
        # sudo: as _erp_pairs_map
        Product = self.env["product.product"].sudo()
        return Product._erp_virtual_stock_components(
            self.env["stock.warehouse"].sudo().browse({w for _p, w in pairs}),
            Product.browse({p for p, _w in pairs}),
        )

    @api.model
    def _erp_create_rows(self, vals_list, components):
        """Write the ledger rows of an operation. ``components``: those of
        ``_erp_pairs_components`` after the operation, the balances' source."""
        # the ledger is written by the system for whoever changed the stock
        return self.sudo().create(vals_list)

    # ------------------------------------------------------------------
    # Reconciliation
    # ------------------------------------------------------------------
    @api.model
    def _erp_last_balances(self, warehouses):
        """{(product_id, warehouse_id): balance of the latest ledger row}."""
        self.flush_model()
        rows = self._read_group(
            [("warehouse_id", "in", warehouses.ids)],
            groupby=["product_id", "warehouse_id"],
            aggregates=["id:max"],
        )
        last_ids = [last_id for _p, _w, last_id in rows]
        return {
            (line.product_id.id, line.warehouse_id.id): line.balance
            for line in self.browse(last_ids)
        }

    @api.model
    def _cron_reconcile(self):
        """Recompute every product x warehouse from scratch and write a
        ``reconcile`` row for each drift from the ledger's last balance."""
        warehouses = self.env["stock.warehouse"].sudo().search([])
        actual = self.env["product.product"]._erp_virtual_stock_map(warehouses)
        recorded = self._erp_last_balances(warehouses)
        products = self.env["product.product"].browse(
            {pair[0] for pair in set(actual) | set(recorded)}
        )
        rounding = {
            product.id: product.uom_id.rounding
            for product in products.with_context(active_test=False)
        }
        vals_list = []
        drifted = 0
        for pair in sorted(set(actual) | set(recorded)):
            delta = actual.get(pair, 0.0) - recorded.get(pair, 0.0)
            if float_is_zero(delta, precision_rounding=rounding.get(pair[0], 0.01)):
                continue
            drifted += pair in recorded
            vals_list.append(
                {
                    "product_id": pair[0],
                    "warehouse_id": pair[1],
                    "delta": delta,
                    "balance": actual.get(pair, 0.0),
                    "event": "reconcile",
                }
            )
        if drifted:
            _logger.warning(
                "Virtual stock reconciliation: %s product/warehouse pairs drifted"
                " from the ledger; reconcile rows written.",
                drifted,
            )
        if vals_list:
            _logger.info(
                "Virtual stock reconciliation: %s reconcile rows (%s opening).",
                len(vals_list),
                len(vals_list) - drifted,
            )
            # the ledger is written by the system
            self.sudo().create(vals_list)
        self.env["ir.cron"]._notify_progress(done=len(vals_list), remaining=0)
        return vals_list
