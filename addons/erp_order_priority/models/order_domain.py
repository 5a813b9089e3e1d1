# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


def parse_order_domain(rule, check=False, model="sale.order"):
    """The domain on ``model`` (sales orders unless told) of ``rule`` (its
    ``domain`` text) as a list; with ``check``, also run it once so that
    unknown fields or operators are refused too. A ValidationError naming
    the rule if it is not valid."""
    rule.ensure_one()
    try:
        domain = safe_eval(rule.domain or "[]")
        if not isinstance(domain, list | tuple):
            raise ValueError(rule.domain)
        domain = list(domain)
        if check:
            rule.env[model].search_count(domain, limit=1)
    except Exception as error:
        raise ValidationError(
            rule.env._(
                "%(rule)s: the domain %(domain)s is not valid: %(error)s",
                rule=rule.display_name,
                domain=rule.domain,
                error=error,
            )
        ) from error
    return domain
