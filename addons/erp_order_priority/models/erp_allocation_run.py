import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from .sale_order import PRIORITY_LEVELS

_logger = logging.getLogger(__name__)


class ErpAllocationRun(models.Model):
    _name = "erp.allocation.run"
    _description = "Scarce Stock Allocation Run"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        tracking=True,
        default=lambda self: self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
        domain="[('is_storable', '=', True)]",
        help="Leave empty to allocate every product that is short in the warehouse.",
    )
    mode = fields.Selection(
        [("simulate", "Simulate"), ("apply", "Apply")],
        required=True,
        default="simulate",
        tracking=True,
        help="Simulate shows who would get what and changes nothing; apply "
        "re-reserves the stock by priority.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    date_run = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many(
        "erp.allocation.run.line", "run_id", string="Lines", readonly=True, copy=False
    )
    line_count = fields.Integer(compute="_compute_line_stats")
    changed_count = fields.Integer(
        string="Changed Reservations", compute="_compute_line_stats"
    )
    short_qty = fields.Float(
        string="Total Short",
        compute="_compute_line_stats",
        digits="Product Unit of Measure",
    )

    @api.depends("line_ids.short_qty", "line_ids.reserved_before")
    def _compute_line_stats(self):
        for run in self:
            run.line_count = len(run.line_ids)
            run.changed_count = len(
                run.line_ids.filtered(
                    lambda line: float_compare(
                        line.allocated_qty, line.reserved_before, precision_digits=4
                    )
                )
            )
            run.short_qty = sum(run.line_ids.mapped("short_qty"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "erp.allocation.run"
                ) or self.env._("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_run(self):
        for run in self:
            run._run()
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_order_priority.erp_allocation_run_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_group_product": 1}
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _check_runnable(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "Allocation run %s was already run; create a new one.", self.name
                )
            )
        if self.warehouse_id.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "You cannot allocate the stock of warehouse %s: it belongs to "
                    "a company you are not working in.",
                    self.warehouse_id.display_name,
                )
            )

    def _get_candidate_moves(self):
        """Open sales moves taking stock from the warehouse's stock location."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "in", ("confirmed", "partially_available", "assigned")),
            ("location_id", "child_of", self.warehouse_id.lot_stock_id.id),
            ("sale_line_id", "!=", False),
            ("picked", "=", False),
            ("product_id.is_storable", "=", True),
        ]
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        return self.env["stock.move"].search(domain)

    def _plan(self, moves):
        """Plan the allocation: return one dict per move, in serving order."""
        self.ensure_one()
        products = moves.product_id.with_context(
            location=self.warehouse_id.lot_stock_id.id
        )
        free = {product: product.free_qty for product in products}
        plan = []
        for product, product_moves in moves.grouped("product_id").items():
            rounding = product.uom_id.rounding
            reserved = {
                move: move.product_uom._compute_quantity(
                    move.quantity, product.uom_id, rounding_method="HALF-UP"
                )
                for move in product_moves
            }
            demand = sum(product_moves.mapped("product_qty"))
            pool = free[product] + sum(reserved.values())
            if not self.product_ids and (
                float_compare(demand, pool, precision_rounding=rounding) <= 0
            ):
                continue  # not short: nothing to arbitrate
            remaining = pool
            ordered = product_moves.sorted(lambda move: move._erp_reservation_key())
            for rank, move in enumerate(ordered, start=1):
                allocated = float_round(
                    max(min(move.product_qty, remaining), 0.0),
                    precision_rounding=rounding,
                )
                remaining -= allocated
                plan.append(
                    {
                        "move": move,
                        "rank": rank,
                        "demanded_qty": move.product_qty,
                        "reserved_before": reserved[move],
                        "allocated_qty": allocated,
                        "short_qty": move.product_qty - allocated,
                    }
                )
        return plan

    def _apply(self, plan):
        """Unreserve the moves losing stock, then reserve the moves gaining
        stock, highest priority first."""
        changed = self.env["stock.move"].concat(
            *(
                item["move"]
                for item in plan
                if float_compare(
                    item["allocated_qty"],
                    item["reserved_before"],
                    precision_rounding=item["move"].product_id.uom_id.rounding,
                )
            )
        )
        if not changed:
            return changed
        changed._do_unreserve()
        changed._action_assign()
        return changed

    def _run(self):
        self._check_runnable()
        moves = self._get_candidate_moves()
        plan = self._plan(moves)
        if self.mode == "apply":
            self._apply(plan)
        line_vals = []
        for item in plan:
            move = item["move"]
            order = move.sale_line_id.order_id
            reserved_after = item["reserved_before"]
            if self.mode == "apply":
                reserved_after = move.product_uom._compute_quantity(
                    move.quantity, move.product_id.uom_id, rounding_method="HALF-UP"
                )
            line_vals.append(
                {
                    "run_id": self.id,
                    "move_id": move.id,
                    "sale_line_id": move.sale_line_id.id,
                    "product_id": move.product_id.id,
                    "rank": item["rank"],
                    "priority_score": move.erp_priority_score,
                    "priority_level": order.priority_level,
                    "commitment_date": order.commitment_date,
                    "date_order": order.date_order,
                    "demanded_qty": item["demanded_qty"],
                    "reserved_before": item["reserved_before"],
                    "allocated_qty": item["allocated_qty"],
                    "short_qty": item["short_qty"],
                    "reserved_after": reserved_after,
                }
            )
        self.env["erp.allocation.run.line"].create(line_vals)
        self.write({"state": "done", "date_run": fields.Datetime.now()})
        products = len({item["move"].product_id for item in plan})
        if self.mode == "apply":
            body = self.env._(
                "Allocation applied: %(lines)s lines over %(products)s products, "
                "%(changed)s reservations changed.",
                lines=len(plan),
                products=products,
                changed=self.changed_count,
            )
        else:
            body = self.env._(
                "Allocation simulated: %(lines)s lines over %(products)s products, "
                "%(changed)s reservations would change. Nothing was changed.",
                lines=len(plan),
                products=products,
                changed=self.changed_count,
            )
        self.message_post(body=body)

    @api.model
    def _cron_scheduled_allocation(self):
        """Apply an allocation run on every warehouse that asks for it."""
        warehouses = self.env["stock.warehouse"].search(
            [("erp_allocation_scheduled", "=", True)]
        )
        done = 0
        for warehouse in warehouses:
            try:
                with self.env.cr.savepoint():
                    run = self.with_company(warehouse.company_id).create(
                        {
                            "warehouse_id": warehouse.id,
                            "company_id": warehouse.company_id.id,
                            "mode": "apply",
                        }
                    )
                    run.with_company(warehouse.company_id).action_run()
            except Exception:
                _logger.exception(
                    "Scheduled allocation failed for warehouse %s", warehouse.id
                )
            done += 1
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(warehouses) - done
            )
        return True


class ErpAllocationRunLine(models.Model):
    _name = "erp.allocation.run.line"
    _description = "Scarce Stock Allocation Line"
    _order = "run_id, product_id, rank, id"

    run_id = fields.Many2one(
        "erp.allocation.run", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    move_id = fields.Many2one("stock.move", ondelete="set null")
    sale_line_id = fields.Many2one("sale.order.line", ondelete="set null")
    order_id = fields.Many2one(
        related="sale_line_id.order_id", string="Sales Order", store=True
    )
    partner_id = fields.Many2one(
        related="sale_line_id.order_id.partner_id", string="Customer"
    )
    product_id = fields.Many2one("product.product", required=True)
    rank = fields.Integer(help="Serving order of the line for its product.")
    priority_score = fields.Integer()
    priority_level = fields.Selection(PRIORITY_LEVELS)
    commitment_date = fields.Datetime(string="Delivery Date")
    date_order = fields.Datetime(string="Order Date")
    demanded_qty = fields.Float(digits="Product Unit of Measure")
    reserved_before = fields.Float(digits="Product Unit of Measure")
    allocated_qty = fields.Float(digits="Product Unit of Measure")
    short_qty = fields.Float(digits="Product Unit of Measure")
    reserved_after = fields.Float(digits="Product Unit of Measure")
    reason = fields.Char(compute="_compute_reason")

    @api.depends("rank", "priority_score", "commitment_date", "date_order")
    def _compute_reason(self):
        for line in self:
            line.reason = self.env._(
                "#%(rank)s by score %(score)s, then delivery date %(commitment)s, "
                "then order date %(order)s",
                rank=line.rank,
                score=line.priority_score,
                commitment=line.commitment_date or "-",
                order=line.date_order or "-",
            )
