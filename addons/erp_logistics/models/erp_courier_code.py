# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the tracking services whose courier codes the table maps
COURIER_CODE_PROVIDERS = [
    ("kuaidi100", "快递100 (Kuaidi100)"),
    ("aftership", "AfterShip"),
    ("17track", "17TRACK"),
]


class ErpCourierCode(models.Model):
    """A tracking service's code of a courier (快递100 ``comCode`` such as
    ``shunfeng``, AfterShip slug, 17TRACK carrier number) and the Odoo
    delivery method that stands for that courier."""

    _name = "erp.courier.code"
    _description = "Courier Code Mapping"
    _order = "provider, code, id"

    provider = fields.Selection(
        COURIER_CODE_PROVIDERS, string="Tracking Service", required=True, index=True
    )
    code = fields.Char(
        required=True,
        index=True,
        help="The tracking service's code of the courier, e.g. shunfeng for "
        "快递100, the slug for AfterShip, the numeric carrier id for 17TRACK.",
    )
    name = fields.Char(string="Courier", required=True, help="e.g. 顺丰速运")
    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Delivery Method",
        ondelete="set null",
        help="The Odoo delivery method of this courier: shipments whose "
        "courier the service recognises show it, and a delivery method of "
        "this tracking service without a courier code of its own uses this "
        "code.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "provider_code_uniq",
            "UNIQUE(provider, code)",
            "A courier code appears once per tracking service.",
        ),
    ]

    @api.constrains("code")
    def _check_code(self):
        for mapping in self:
            code = mapping.code or ""
            if code != code.strip() or not code.strip():
                raise ValidationError(
                    self.env._(
                        "The courier code %(code)r must not be empty or start or "
                        "end with spaces.",
                        code=code,
                    )
                )

    @api.model
    def _erp_find(self, provider, codes=None, carriers=None):
        """The active mappings of ``provider`` for ``codes`` (courier codes)
        or ``carriers`` (delivery methods), in one query."""
        domain = [("provider", "=", provider)]
        if codes is not None:
            domain.append(("code", "in", list(codes)))
        if carriers is not None:
            domain.append(("carrier_id", "in", carriers.ids))
        # sudo: a lookup made for whoever ships or polls (a stock user may
        # not read the table of the logistics administrators)
        return self.sudo().search(domain)
