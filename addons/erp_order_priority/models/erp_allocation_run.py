# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare


def _array_literal(values):
    """``values`` (ints, floats, dates, strings or None) as the text of a
    PostgreSQL array, passed as one query parameter: PostgreSQL parses it
    at once, where psycopg2's ARRAY[...] of a Python list makes one
    constant of each element to parse and plan (seconds for the 15 arrays
    of a 100,000-line run)."""
    items = []
    for value in values:
        if value is None or value is False:
            items.append("NULL")
        elif isinstance(value, str):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            items.append(f'"{escaped}"')
        elif isinstance(value, float):
            items.append(repr(value))
        elif isinstance(value, date):
            items.append(value.isoformat())
        else:
            items.append(str(int(value)))
    return "{" + ",".join(items) + "}"


class ErpAllocationRun(models.Model):
    """An allocation run: its parameters, its lines and the run itself.

    The plan (who gets what) is in ``erp_allocation_run_plan.py``, the
    re-reservation of an applied run in ``erp_allocation_run_apply.py``."""

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
    source_run_id = fields.Many2one(
        "erp.allocation.run",
        string="Applied Simulation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The simulation this run applied (Apply this Simulation).",
    )
    line_count = fields.Integer(compute="_compute_line_stats")
    changed_count = fields.Integer(
        string="Changed Reservations",
        compute="_compute_line_stats",
        help="Reservations this run changed (applied runs only: a simulation "
        "changes nothing).",
    )
    planned_change_count = fields.Integer(
        string="Planned Reservation Changes",
        compute="_compute_line_stats",
        help="Reservations the plan gives a different quantity than they had: "
        "what applying the run changes.",
    )
    short_qty = fields.Float(
        string="Total Short",
        compute="_compute_line_stats",
        digits="Product Unit of Measure",
    )

    @api.depends(
        "mode",
        "line_ids.short_qty",
        "line_ids.reserved_before",
        "line_ids.allocated_qty",
    )
    def _compute_line_stats(self):
        for run in self:
            run.line_count = len(run.line_ids)
            run.planned_change_count = len(
                run.line_ids.filtered(
                    lambda line: float_compare(
                        line.allocated_qty, line.reserved_before, precision_digits=4
                    )
                )
            )
            # a simulation changes nothing: it must not read as if it had
            run.changed_count = run.planned_change_count if run.mode == "apply" else 0
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

    def action_apply_simulation(self):
        """Apply a finished simulation: create an apply run with the same
        warehouse and products and run it now. The plan is made again on the
        current stock and reservations, which may have moved since the
        simulation."""
        self.ensure_one()
        if self.mode != "simulate" or self.state != "done":
            raise UserError(self.env._("Only a finished simulation can be applied."))
        applied = self.search([("source_run_id", "=", self.id)], limit=1)
        if applied:
            raise UserError(
                self.env._(
                    "Simulation %(simulation)s was already applied by %(run)s.",
                    simulation=self.name,
                    run=applied.name,
                )
            )
        run = self.create(
            {
                "company_id": self.company_id.id,
                "warehouse_id": self.warehouse_id.id,
                "product_ids": [Command.set(self.product_ids.ids)],
                "mode": "apply",
                "source_run_id": self.id,
                "variant_id": self.variant_id.id,
                "include_incoming": self.include_incoming,
            }
        )
        run.action_run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": run.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_order_priority.erp_allocation_run_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_group_product": 1}
        return action

    def action_view_customers(self):
        """The run compared per customer: before -> after quantities and
        dates, gains and losses, totals; pivot by customer and segment."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_order_priority.erp_allocation_run_line_customer_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["display_name"] = self.env._("%s by Customer", self.name)
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

    def _insert_lines(self, plan):
        """Write the plan's lines in one set-based insert (a run covers
        thousands of moves: the ORM's per-record create costs seconds)."""
        self.ensure_one()
        if not plan:
            return
        after = []
        for item in plan:
            move = item["move"]
            if self.mode != "apply":
                after.append(item["reserved_before"])
            elif move.product_uom == move.product_id.uom_id:
                after.append(move.quantity)
            else:
                after.append(
                    move.product_uom._compute_quantity(
                        move.quantity, move.product_id.uom_id, rounding_method="HALF-UP"
                    )
                )
        confirmed = [item.get("confirmed_qty", item["allocated_qty"]) for item in plan]
        confirmed_before = [
            item.get("confirmed_qty_before", item["reserved_before"]) for item in plan
        ]
        shifts = [
            (item["promise_date_after"] - item["promise_date_before"]).days
            if item.get("promise_date_after") and item.get("promise_date_before")
            else None
            for item in plan
        ]
        Line = self.env["erp.allocation.run.line"]
        Segment = self.env["erp.allocation.segment"]
        Line.check_access("create")  # as the ORM's create would
        Line.flush_model()
        # the move's product, order line, score and its order's values are
        # joined here, not read per move through the fields
        self.env["stock.move"].flush_model(
            ["product_id", "sale_line_id", "erp_priority_score"]
        )
        self.env["sale.order.line"].flush_model(["order_id"])
        self.env["sale.order"].flush_model(
            ["priority_level", "commitment_date", "date_order", "partner_id"]
        )
        self.env.execute_query(
            SQL(
                "INSERT INTO erp_allocation_run_line (run_id, company_id, move_id,"
                " sale_line_id, order_id, product_id, rank, priority_score,"
                " priority_level, commitment_date, date_order, demanded_qty,"
                " reserved_before, allocated_qty, short_qty, reserved_after,"
                " partner_id, segment_id, strategy, change_qty, confirmed_qty,"
                " confirmed_date, promise_date_before, promise_date_after,"
                " date_shift_days, confirmed_qty_before, gain_qty, loss_qty,"
                " create_uid, write_uid, create_date, write_date)"
                " SELECT %(run)s, %(company)s, t.move_id, m.sale_line_id,"
                " sol.order_id, m.product_id, t.rank,"
                " COALESCE(m.erp_priority_score, 0), so.priority_level,"
                " so.commitment_date, so.date_order, t.demanded, t.before,"
                " t.allocated, t.short, t.after, so.partner_id, t.segment_id,"
                " t.strategy, t.allocated - t.before, t.confirmed,"
                " t.confirmed_date, t.promise_before, t.promise_after, t.shift,"
                " t.confirmed_before, GREATEST(t.confirmed - t.confirmed_before, 0),"
                " GREATEST(t.confirmed_before - t.confirmed, 0),"
                " %(uid)s, %(uid)s,"
                " now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'"
                " FROM unnest(%(moves)s::int[], %(ranks)s::int[],"
                "  %(demanded)s::float8[], %(before)s::float8[],"
                "  %(allocated)s::float8[], %(short)s::float8[],"
                "  %(after)s::float8[], %(segments)s::int[],"
                "  %(strategies)s::varchar[], %(confirmed)s::float8[],"
                "  %(confirmed_dates)s::date[], %(promise_before)s::date[],"
                "  %(promise_after)s::date[], %(shifts)s::int[],"
                "  %(confirmed_before)s::float8[]) WITH ORDINALITY"
                "  AS t(move_id, rank, demanded, before, allocated, short, after,"
                "  segment_id, strategy, confirmed, confirmed_date, promise_before,"
                "  promise_after, shift, confirmed_before, seq)"
                " JOIN stock_move m ON m.id = t.move_id"
                " LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id"
                " LEFT JOIN sale_order so ON so.id = sol.order_id"
                " ORDER BY t.seq",
                run=self.id,
                company=self.company_id.id,
                uid=self.env.uid,
                **{
                    name: _array_literal(values)
                    for name, values in {
                        "moves": [item["move"].id for item in plan],
                        "ranks": [item["rank"] for item in plan],
                        "demanded": [item["demanded_qty"] for item in plan],
                        "before": [item["reserved_before"] for item in plan],
                        "allocated": [item["allocated_qty"] for item in plan],
                        "short": [item["short_qty"] for item in plan],
                        "after": after,
                        "segments": [
                            (item.get("segment") or Segment).id or None for item in plan
                        ],
                        "strategies": [item.get("strategy") or None for item in plan],
                        "confirmed": confirmed,
                        "confirmed_before": confirmed_before,
                        "confirmed_dates": [
                            item.get("confirmed_date") or None for item in plan
                        ],
                        "promise_before": [
                            item.get("promise_date_before") or None for item in plan
                        ],
                        "promise_after": [
                            item.get("promise_date_after") or None for item in plan
                        ],
                        "shifts": shifts,
                    }.items()
                },
            )
        )
        Line.invalidate_model()
        self.invalidate_recordset(["line_ids"])

    def _run(self):
        self._check_runnable()
        moves = self._get_candidate_moves()
        skipped = self.env["product.product"]
        if self.mode == "apply":
            # lock before reading: the plan must not rest on stock a
            # concurrent confirmation is reserving
            moves, skipped = self._erp_lock_rows(moves)
        plan = self._plan(moves)
        if self.mode == "apply":
            self._apply(plan)
        self._insert_lines(plan)
        if self.mode == "apply" and self._erp_is_backorder_processing():
            self._erp_write_confirmations(plan)
            self._erp_clear_unplanned_confirmations(moves, plan)
        self.write({"state": "done", "date_run": fields.Datetime.now()})
        products = len({item["product"] for item in plan})
        changed = sum(
            1
            for item in plan
            if float_compare(
                item["allocated_qty"], item["reserved_before"], precision_digits=4
            )
        )
        if self.mode == "apply":
            body = self.env._(
                "Allocation applied: %(lines)s lines over %(products)s products, "
                "%(changed)s reservations changed.",
                lines=len(plan),
                products=products,
                changed=changed,
            )
        else:
            body = self.env._(
                "Allocation simulated: %(lines)s lines over %(products)s products, "
                "%(changed)s reservations would change. Nothing was changed.",
                lines=len(plan),
                products=products,
                changed=changed,
            )
        self.message_post(body=body)
        self._erp_note_skipped(skipped)
