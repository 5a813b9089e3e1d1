# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

REVIEW_ACTIVITY_TYPE = "erp_virtual_stock.mail_activity_type_erp_review"
DEFAULT_REVIEW_DAYS = 30


def review_days(mode, days):
    """The stored interval of a review choice (``days``: the current value,
    kept when it already is a number of days)."""
    if mode != "every":
        return 0
    return days if days > 0 else DEFAULT_REVIEW_DAYS


class ErpReviewMixin(models.AbstractModel):
    """Periodic review of a configuration record: an interval, a responsible,
    the next review date and a review activity scheduled by a cron when due.

    The models using it also inherit ``mail.thread`` and
    ``mail.activity.mixin`` (listed before this mixin)."""

    _name = "erp.review.mixin"
    _description = "Periodic Review"

    review_interval_days = fields.Integer(
        "Review Every (days)",
        default=0,
        help="Review this record every N days (stored 0: no periodic review; "
        "set it through Periodic Review).",
    )
    review_mode = fields.Selection(
        [("none", "No Review"), ("every", "Every N Days")],
        "Periodic Review",
        compute="_compute_review_mode",
        inverse="_inverse_review_mode",
        help="Whether this record gets a review activity every number of days.",
    )
    review_user_id = fields.Many2one(
        "res.users",
        "Review Responsible",
        help="User who gets the review activity (the creator when empty).",
    )
    last_review_date = fields.Date(copy=False, help="Day of the last review.")
    next_review_date = fields.Date(
        compute="_compute_next_review_date",
        store=True,
        index=True,
        copy=False,
        help="The review activity is scheduled on this day.",
    )
    review_due = fields.Boolean(
        compute="_compute_review_due",
        search="_search_review_due",
        help="The next review date is today or past.",
    )

    _sql_constraints = [
        (
            "review_interval_positive",
            "CHECK(review_interval_days >= 0)",
            "The review interval cannot be negative.",
        ),
    ]

    @api.depends("review_interval_days")
    def _compute_review_mode(self):
        for record in self:
            record.review_mode = "every" if record.review_interval_days > 0 else "none"

    def _inverse_review_mode(self):
        for record in self:
            days = review_days(record.review_mode, record.review_interval_days)
            if days != record.review_interval_days:
                record.review_interval_days = days

    @api.onchange("review_mode")
    def _onchange_review_mode(self):
        for record in self:
            record.review_interval_days = review_days(
                record.review_mode, record.review_interval_days
            )

    @api.depends("review_interval_days", "last_review_date", "create_date")
    def _compute_next_review_date(self):
        today = fields.Date.context_today(self)
        for record in self:
            if record.review_interval_days <= 0:
                record.next_review_date = False
                continue
            start = record.last_review_date or (
                record.create_date.date() if record.create_date else today
            )
            record.next_review_date = start + timedelta(
                days=record.review_interval_days
            )

    @api.depends("next_review_date")
    def _compute_review_due(self):
        today = fields.Date.context_today(self)
        for record in self:
            record.review_due = bool(
                record.next_review_date and record.next_review_date <= today
            )

    def _search_review_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'review due'."))
        domain = [
            ("next_review_date", "!=", False),
            ("next_review_date", "<=", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_review_done(self):
        """Mark as reviewed today (the next review moves one interval on)."""
        self.write({"last_review_date": fields.Date.context_today(self)})
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", self.env.ref(REVIEW_ACTIVITY_TYPE).id),
            ]
        )
        activities.action_feedback(feedback=self.env._("Reviewed."))
        return True

    def action_review_adjust(self):
        """Open the record to adjust it; the review is recorded on save with
        *Mark Reviewed*."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_review_archive(self):
        """Retire the record (archive it) and close the review."""
        self._review_archive()
        return self.action_review_done()

    def _review_archive(self):
        self.action_archive()

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    def _get_review_user(self):
        self.ensure_one()
        return self.review_user_id or self.create_uid

    def _get_review_note(self):
        self.ensure_one()
        return self.env._(
            "Periodic review of %(record)s: check it against the actual sales "
            "and stock changes, then extend, adjust or archive it.",
            record=self.display_name,
        )

    @api.model
    def _schedule_due_reviews(self):
        """Schedule a review activity on the due records of this model that
        have none open yet. Returns the number of activities created."""
        activity_type = self.env.ref(REVIEW_ACTIVITY_TYPE, raise_if_not_found=False)
        if not activity_type:
            return 0
        records = self.search([("review_due", "=", True)])
        if not records:
            return 0
        open_ids = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", records.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for record in records:
            if record.id in open_ids:
                continue
            user = record._get_review_user()
            # summary and note are stored text: in the reviewer's language
            in_lang = record.with_context(lang=user.lang or None)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": record.next_review_date,
                    "summary": in_lang.env._("Periodic review"),
                    "note": in_lang._get_review_note(),
                }
            )
        self.env["mail.activity"].create(vals_list)
        return len(vals_list)

    @api.model
    def _cron_schedule_reviews(self):
        """Schedule the due reviews of every model using the review mixin."""
        model_names = [
            name
            for name in self.env.registry["erp.review.mixin"]._inherit_children
            if name in self.env and not self.env[name]._abstract
        ]
        for done, name in enumerate(model_names):
            self.env[name]._schedule_due_reviews()
            self.env["ir.cron"]._notify_progress(
                done=done + 1, remaining=len(model_names) - done - 1
            )
