# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_round

from .product_product_engine import _int_array

# {field: the engine's figure it shows}: the components computed together
# by _compute_erp_virtual_stock, the virtual stock by a compute of its own
# (the lists show that column alone, and every figure a compute assigns
# costs its conversion per row)
VIRTUAL_STOCK_COMPONENT_FIELDS = {
    "virtual_manual_qty": "manual",
    "committed_qty": "committed",
    "virtual_incoming_qty": "incoming",
}
VIRTUAL_STOCK_TOTAL_FIELDS = {"virtual_stock_qty": "total"}
# the context keys the quantities depend on (those of Odoo's own quantity
# fields: warehouses, locations, lots, owner, package, dates, companies)
VIRTUAL_STOCK_CONTEXT_KEYS = (
    "lot_id",
    "owner_id",
    "package_id",
    "from_date",
    "to_date",
    "location",
    "warehouse_id",
    "allowed_company_ids",
)


class ProductProduct(models.Model):
    _inherit = "product.product"

    virtual_manual_qty = fields.Float(
        "Manual Virtual Stock",
        compute="_compute_erp_virtual_stock",
        digits="Product Unit of Measure",
        help="Sum of the active manual virtual stock entries.",
    )
    committed_qty = fields.Float(
        "Committed",
        compute="_compute_erp_virtual_stock",
        digits="Product Unit of Measure",
        help="Confirmed outgoing demand not delivered yet.",
    )
    virtual_incoming_qty = fields.Float(
        "Incoming (Virtual Stock)",
        compute="_compute_erp_virtual_stock",
        digits="Product Unit of Measure",
        help="Incoming quantity counted by the warehouse policy.",
    )
    virtual_stock_qty = fields.Float(
        "Virtual Stock",
        compute="_compute_virtual_stock_qty",
        search="_search_virtual_stock_qty",
        digits="Product Unit of Measure",
        help="On hand - committed + incoming within the warehouse horizon "
        "+ active manual entries. Honours the warehouse and location context.",
    )

    # ------------------------------------------------------------------
    # Context-aware fields
    # ------------------------------------------------------------------
    @api.model
    def _erp_context_records(self, model, key):
        """The records of ``model`` the context names under ``key`` (an id or
        a name, or a list of them), parsed like Odoo's
        ``_get_domain_locations``; None when the key is not set. The context
        comes from the caller (a client's RPC context too) and the figures
        are read in SQL: like Odoo's ``qty_available``, an id the user may
        not read is refused (AccessError) and names are searched as the
        user."""
        value = self.env.context.get(key)
        if not value:
            return None
        if not isinstance(value, list):
            value = [value]
        Model = self.env[model]
        ids = {item for item in value if isinstance(item, int)}
        names = [item for item in value if not isinstance(item, int)]
        if ids:
            Model.browse(ids).check_access("read")
        if names:
            ids |= set(
                Model.search(
                    expression.OR([[(Model._rec_name, "ilike", n)] for n in names])
                ).ids
            )
        return Model.browse(sorted(ids))

    @api.model
    def _erp_context_warehouses(self):
        """Warehouses targeted by the context: those named under
        ``warehouse_id``, else all warehouses of the allowed companies."""
        warehouses = self._erp_context_records("stock.warehouse", "warehouse_id")
        if warehouses is not None:
            return warehouses
        return self.env["stock.warehouse"].search(
            [("company_id", "in", self.env.companies.ids)]
        )

    @api.depends_context(*VIRTUAL_STOCK_CONTEXT_KEYS)
    def _compute_erp_virtual_stock(self):
        values = self._erp_virtual_stock_values()
        self._erp_virtual_stock_assign(
            values,
            self._erp_uom_roundings(list(values)),
            VIRTUAL_STOCK_COMPONENT_FIELDS,
        )

    @api.depends_context(*VIRTUAL_STOCK_CONTEXT_KEYS)
    def _compute_virtual_stock_qty(self):
        values = self._erp_virtual_stock_values()
        self._erp_virtual_stock_assign(
            values, self._erp_uom_roundings(list(values)), VIRTUAL_STOCK_TOTAL_FIELDS
        )

    def _erp_virtual_stock_values(self):
        """{product_id: {component: qty}} of the products of ``self`` in the
        context (warehouses, or locations, lots, owner, dates); the fields
        of the products and of their templates are computed from it."""
        context = self.env.context
        if context.get("location") or any(
            context.get(key) for key in ("lot_id", "owner_id", "package_id", "to_date")
        ):
            storable = self.filtered(lambda p: p.is_storable and p._origin.id)
            return storable._erp_virtual_stock_by_locations() if storable else {}
        return self._erp_virtual_stock_per_product(
            self._erp_context_warehouses(), self._origin
        )

    def _erp_virtual_stock_assign(self, values, roundings, fields_figures):
        """Assign the fields of ``fields_figures`` {field: figure} of
        ``self`` from ``values`` {product_id: {component: qty}} (0 for the
        products not in it), rounded to the UoM (``roundings``); the figure
        "total" is the virtual stock (the formula), the others components."""
        for product in self:
            vals = values.get(product._origin.id, {})
            rounding = roundings.get(product._origin.id, 0.01)
            for fname, figure in fields_figures.items():
                product[fname] = float_round(
                    self._erp_virtual_stock_figure(vals, figure),
                    precision_rounding=rounding,
                )

    @api.model
    def _erp_virtual_stock_figure(self, values, figure):
        """One figure of a dict of components: "total" is the virtual stock
        (the formula), any other name that component (0 if missing)."""
        if figure == "total":
            return self._erp_virtual_stock_total(values)
        return float(values.get(figure) or 0.0)

    @api.model
    def _erp_uom_roundings(self, product_ids, storable=False):
        """{product_id: rounding of its UoM} in one query (the related
        ``uom_id`` of thousands of variants is slow to read one by one);
        only the storable products if ``storable``; every product of the
        database if ``product_ids`` is None."""
        if product_ids is not None and not product_ids:
            return {}
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["uom_id", "is_storable"])
        return dict(
            self.env.execute_query(
                SQL(
                    "SELECT pp.id, u.rounding FROM product_product pp"
                    " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                    " JOIN uom_uom u ON u.id = pt.uom_id"
                    " WHERE (%s OR pp.id = ANY(%s::int[]))"
                    " AND (pt.is_storable OR %s)",
                    product_ids is None,
                    _int_array(product_ids or ()),
                    not storable,
                )
            )
        )

    def _erp_virtual_stock_by_locations(self):
        """Per product totals for a ``location`` (or lot/owner/date) context:
        built on Odoo's ``_compute_quantities_dict`` so the figures are the
        ones of ``qty_available`` / ``outgoing_qty``."""
        context = self.env.context
        origin = self._origin
        base = origin._compute_quantities_dict(
            context.get("lot_id"),
            context.get("owner_id"),
            context.get("package_id"),
            context.get("from_date"),
            context.get("to_date"),
        )
        warehouses = self._erp_location_warehouses()
        horizons = set(warehouses.mapped("virtual_incoming_days")) or {-1}
        if any(days < 0 for days in horizons):
            incoming = {pid: vals["incoming_qty"] for pid, vals in base.items()}
        elif max(horizons) == 0:
            incoming = {}
        else:
            limit = fields.Datetime.now() + timedelta(days=max(horizons))
            to_date = context.get("to_date")
            if to_date:
                limit = min(limit, fields.Datetime.to_datetime(to_date))
            horizon = origin.with_context(to_date=limit)._compute_quantities_dict(
                context.get("lot_id"),
                context.get("owner_id"),
                context.get("package_id"),
                context.get("from_date"),
                limit,
            )
            incoming = {pid: vals["incoming_qty"] for pid, vals in horizon.items()}
        # the components Odoo's quantities do not give (the manual entries,
        # those a sub-module adds) from the engine, for the warehouses inside
        # the context's locations
        engine = (
            self._erp_virtual_stock_per_product(warehouses, origin)
            if warehouses
            else {}
        )
        measured = {"on_hand", "committed", "incoming"}
        result = {}
        for pid, vals in base.items():
            values = {
                name: qty
                for name, qty in engine.get(pid, {}).items()
                if name not in measured
            }
            values.setdefault("manual", 0.0)
            values["on_hand"] = vals["qty_available"]
            values["committed"] = vals["outgoing_qty"]
            values["incoming"] = incoming.get(pid, 0.0)
            result[pid] = values
        return result

    def _erp_location_warehouses(self):
        """Warehouses whose stock location lies inside the context's
        locations: their horizon and manual entries apply."""
        locations = self._erp_context_records("stock.location", "location")
        warehouses = self._erp_context_warehouses()
        if locations is None:
            return warehouses
        paths = locations.mapped("parent_path")
        return warehouses.filtered(
            lambda wh: any(wh.lot_stock_id.parent_path.startswith(p) for p in paths)
        )

    def _search_virtual_stock_qty(self, operator, value):
        if operator not in ("<", ">", "=", "!=", "<=", ">=") or not isinstance(
            value, int | float
        ):
            raise UserError(self.env._("Unsupported search on virtual stock."))
        ops = {
            "<": lambda a, b: a < b,
            ">": lambda a, b: a > b,
            "=": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<=": lambda a, b: a <= b,
            ">=": lambda a, b: a >= b,
        }
        compare = ops[operator]
        totals = {
            product_id: self._erp_virtual_stock_total(values)
            for product_id, values in self._erp_virtual_stock_per_product(
                self._erp_context_warehouses()
            ).items()
        }
        matching = [pid for pid, qty in totals.items() if compare(qty, value)]
        if compare(0.0, value):
            # storable products without any stock, move or entry are at 0
            return [
                ("is_storable", "=", True),
                "|",
                ("id", "in", matching),
                ("id", "not in", list(totals)),
            ]
        return [("id", "in", matching)]

    def action_open_virtual_stock_breakdown(self):
        """Per-warehouse breakdown of the virtual stock (analysis view)."""
        self.ensure_one()
        return self.env["erp.virtual.stock.report"].action_open_for_products(self)
