# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Row locks taken before an action that must not run twice at once."""

import psycopg2

from odoo.exceptions import UserError
from odoo.tools import SQL


def lock_rows_nowait(records, busy_message):
    """Lock the rows of ``records`` (one query, ``FOR NO KEY UPDATE
    NOWAIT``) for the rest of the transaction; when another transaction
    holds one of them, raise a ``UserError`` with ``busy_message`` (already
    translated) instead of waiting for it."""
    if not records:
        return
    try:
        with records.env.cr.savepoint(flush=False):
            records.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                ),
                log_exceptions=False,
            )
    except psycopg2.errors.LockNotAvailable:
        raise UserError(busy_message) from None
