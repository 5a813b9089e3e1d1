# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import SQL, mute_logger

from .erp_stock_replenishment import OPEN_STATES

_logger = logging.getLogger(__name__)


class ErpStockAlert(models.Model):
    """Evaluation of the thresholds: the immediate trigger of the ledger and
    the scheduled scan raise and resolve the alerts here, and hand those to
    replenish to the replenishment job."""

    _inherit = "erp.stock.alert"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Evaluation (immediate trigger and scan share it)
    # ------------------------------------------------------------------

    @api.model
    def _evaluate_thresholds(
        self,
        warehouses,
        product_ids=None,
        quantities=None,
        components=None,
        rules=None,
        open_alerts=None,
    ):
        """Compare the quantities of the warehouses with their rules, set-based
        (rules in memory, one aggregate per basis): raise alerts (one per
        product x warehouse x rule), resolve those back to their minimum, mark
        new ones (and those to retry) pending for the replenishment job.
        ``product_ids=None`` scans every product the rules cover. Returns the
        new alerts. Each step (``_get_*``/``_prepare_*``) is a method of its
        own, so that a module can change one of them with ``super()``.
        ``quantities``: the answer of ``_get_engine_quantities`` an override
        already read for this evaluation (the overstock one), not read again;
        ``components``: the engine's components of ``product_ids`` x
        ``warehouses`` a caller has just read (the ledger's trigger);
        ``rules`` and ``open_alerts``: those of ``_get_evaluation_rules`` and
        ``_get_open_alerts`` an override has already read (not read again)."""
        if not warehouses:
            return self
        requested_ids = product_ids
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        if open_alerts is None:
            open_alerts = self._get_open_alerts(warehouses, product_ids)
        open_info = self._get_open_alert_info(open_alerts)
        if rules is None:
            rules = self._get_evaluation_rules(warehouses)
        if not rules and not open_alerts:
            return self
        engine = quantities or self._get_engine_quantities(
            warehouses, product_ids, rules, open_info, components
        )
        if engine is not None:
            # one query: the quantities, virtual stock and what is on its way
            product_ids, qty_by_basis, supply = engine
        else:
            qty_by_basis = self._get_basis_quantities(
                warehouses, product_ids, rules, open_info
            )
            # virtual stock and what is on its way (see _get_trigger_qty)
            supply = self._get_trigger_supply(
                warehouses,
                requested_ids,
                with_incoming=self._counts_incoming(rules, open_info),
            )
        if product_ids is None:
            product_ids = self._get_scan_products(
                warehouses, rules, open_info, qty_by_basis, supply, precision
            )
        rule_map = self.env["erp.stock.threshold"]._get_rule_id_map(
            warehouses, product_ids, rules=rules
        )
        epsilon = 0.5 * 10**-precision
        to_resolve = self._resolve_recovered_alerts(
            open_info, qty_by_basis, supply, epsilon
        )
        resolved = set(to_resolve.ids)
        open_keys = {
            info[:3] for alert_id, info in open_info.items() if alert_id not in resolved
        }
        vals_list = self._prepare_alert_vals_list(
            rule_map, qty_by_basis, supply, open_keys, epsilon
        )
        retry = self._get_alerts_to_retry(open_alerts - to_resolve)
        new_alerts = self._create_open_alerts(vals_list)
        new_alerts._notify_responsibles()
        # the actions run in the replenishment job, not in this transaction
        (
            retry | new_alerts.filtered(lambda a: a.threshold_id.action != "notify")
        )._request_replenishment()
        return new_alerts

    @api.model
    def _get_open_alerts(self, warehouses, product_ids=None):
        """The open alerts the evaluation compares with the quantities."""
        return self._get_all_open_alerts(warehouses, product_ids)

    @api.model
    def _get_all_open_alerts(self, warehouses, product_ids=None):
        """The open alerts of every type of ``warehouses`` (of
        ``product_ids``, None: all)."""
        domain = [("warehouse_id", "in", warehouses.ids), ("state", "in", OPEN_STATES)]
        if product_ids is not None:
            domain.append(("product_id", "in", list(product_ids)))
        return self.search(domain)

    @api.model
    def _get_open_alert_info(self, open_alerts):
        """{alert id: (product id, warehouse id, rule id, basis, minimum,
        scope)}: plain values, no ORM access in the loops of the evaluation."""
        return {
            alert.id: (
                alert.product_id.id,
                alert.warehouse_id.id,
                alert.threshold_id.id,
                alert.threshold_id.basis,
                alert.min_qty,
                alert.threshold_id.scope,
            )
            for alert in open_alerts
        }

    @api.model
    def _get_evaluation_rules(self, warehouses):
        """The threshold rules compared with the quantities of ``warehouses``,
        with the fields the evaluation reads (one query)."""
        return self.env["erp.stock.threshold"].search_fetch(
            [("warehouse_id", "in", warehouses.ids)],
            [
                "sequence",
                "company_id",
                "warehouse_id",
                "product_id",
                "product_categ_id",
                "scope",
                "basis",
                "min_qty",
                "target_qty",
                "max_qty",
                "action",
            ],
        )

    @api.model
    def _get_basis_quantities(self, warehouses, product_ids, rules, open_info):
        """{basis: {(product id, warehouse id): quantity}}, one aggregate per
        basis of the rules and of the open alerts.

        A full scan (``product_ids`` None) reads every product at once
        (cheaper than a huge IN list); the on-hand basis of a full scan is
        left out: SQL finds its short products first (``_get_scan_products``).
        """
        Threshold = self.env["erp.stock.threshold"]
        bases = {rule.basis for rule in rules} | {
            info[3] for info in open_info.values()
        }
        rule_bases = set(rules.mapped("basis"))
        full_on_hand = product_ids is None and "on_hand" in rule_bases
        qty_by_basis = {}
        for basis in bases:
            if product_ids is not None:
                basis_products = list(product_ids)
            elif basis == "on_hand" and full_on_hand:
                continue  # SQL finds the short products, read below
            elif basis in rule_bases:
                basis_products = None
            else:
                # only open alerts of archived rules use this basis
                basis_products = [
                    info[0] for info in open_info.values() if info[3] == basis
                ]
            qty_by_basis[basis] = Threshold._get_quantity_map(
                basis, warehouses, basis_products
            )
        return qty_by_basis

    @api.model
    def _resolve_recovered_alerts(self, open_info, qty_by_basis, supply, epsilon):
        """Resolve the open alerts back above their minimum; returns them."""
        resolve_ids = [
            alert_id
            for alert_id, (pid, wid, _rid, basis, min_qty, scope) in open_info.items()
            if self._get_trigger_qty(
                qty_by_basis[basis].get((pid, wid)) or 0.0,
                supply.get((pid, wid)),
                basis,
                scope,
            )
            > min_qty - epsilon
        ]
        to_resolve = self.browse(resolve_ids)
        if to_resolve:
            to_resolve.write(
                {"state": "resolved", "date_resolved": fields.Datetime.now()}
            )
            to_resolve.activity_feedback(
                ["erp_virtual_stock.mail_activity_type_stock_alert"],
                feedback=self.env._("Stock is back above the minimum."),
            )
        return to_resolve

    @api.model
    def _prepare_alert_vals_list(
        self, rule_map, qty_by_basis, supply, open_keys, epsilon
    ):
        """Values of the alerts to raise: one per (product, warehouse) of
        ``rule_map`` below its rule's minimum, unless its alert is open."""
        # plain values: no ORM access in the per-product loop below
        rule_info = {
            rule.id: (
                rule.basis,
                rule.min_qty,
                rule.target_qty,
                rule.company_id.id,
                rule.scope,
            )
            for rule in self.env["erp.stock.threshold"].browse(set(rule_map.values()))
        }
        vals_list = []
        for key, rule_id in rule_map.items():
            basis, min_qty, target_qty, company_id, scope = rule_info[rule_id]
            # an aggregate over no row is NULL: count it as 0
            qty = self._get_trigger_qty(
                qty_by_basis[basis].get(key) or 0.0, supply.get(key), basis, scope
            )
            if qty > min_qty - epsilon or (*key, rule_id) in open_keys:
                continue
            vals_list.append(
                {
                    "product_id": key[0],
                    "warehouse_id": key[1],
                    "threshold_id": rule_id,
                    "company_id": company_id,
                    "qty_at_trigger": qty,
                    "min_qty": min_qty,
                    "target_qty": target_qty,
                }
            )
        return vals_list

    @api.model
    def _create_open_alerts(self, vals_list):
        """Create the alerts of ``vals_list``, leaving out those another
        transaction opened meanwhile: an order confirmation and the scan may
        raise the same alert at once, and the unique index
        erp_stock_alert_open_uniq keeps one. That alert is the same one, so
        it is no failure for either (no error for the salesman, no company
        skipped by the scan): the batch is inserted in a savepoint, and
        again one alert per savepoint when it meets such an alert."""
        if not vals_list:
            return self
        # savepoints without flush: a flushing one would drop the pending
        # hooks of the transaction (the order's tracking) when rolled back;
        # the expected conflict is not logged as a bad query (as Odoo does)
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                return self.create(vals_list)
        except pg_errors.UniqueViolation as error:
            if error.diag.constraint_name != "erp_stock_alert_open_uniq":
                raise
        alerts = self
        for vals in vals_list:
            try:
                with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                    alerts |= self.create([vals])
            except pg_errors.UniqueViolation as error:
                if error.diag.constraint_name != "erp_stock_alert_open_uniq":
                    raise
                _logger.info(
                    "Stock alert of product %s in warehouse %s opened meanwhile",
                    vals["product_id"],
                    vals["warehouse_id"],
                )
        return alerts

    @api.model
    def _get_alerts_to_retry(self, open_alerts):
        """Open alerts that could not be replenished yet (no surplus, no
        vendor...) try again; alerts with transfers or RFQs never reorder,
        alerts already pending wait for the job."""
        return open_alerts.filtered(
            lambda a: a.state == "open"
            and a.replenish_state != "pending"
            and a.threshold_id.action != "notify"
            and not a.picking_ids
            and not a.purchase_line_ids
        )

    @api.model
    def _get_trigger_supply(self, warehouses, product_ids=None, with_incoming=True):
        """{(product_id, warehouse_id): (virtual stock, incoming)} of the
        storable products (None: all) in ``warehouses``, in one SQL query (unless
        a sub-module adds a component); only the pairs that change a trigger
        qty (a negative virtual stock, or incoming if ``with_incoming``)."""
        Product = self.env["product.product"]
        products = Product.browse(product_ids) if product_ids is not None else None
        if not Product._erp_virtual_stock_is_engine_only():
            return {
                key: (virtual, values["incoming"])
                for key, values in Product._erp_virtual_stock_components(
                    warehouses, products
                ).items()
                if (virtual := Product._erp_virtual_stock_total(values)) < 0
                or (with_incoming and values["incoming"])
            }
        query = Product._erp_virtual_stock_components_query(warehouses, products)
        if query is None:
            return {}
        virtual = Product._erp_virtual_stock_total_sql("c")
        rows = self.env.execute_query(
            SQL(
                "SELECT c.product_id, c.warehouse_id, %(virtual)s, c.incoming"
                " FROM (%(query)s) c"
                " WHERE %(virtual)s < 0 OR (%(incoming)s AND c.incoming <> 0)",
                virtual=virtual,
                query=query,
                incoming=with_incoming,
            )
        )
        return {
            (pid, wid): (virtual_qty, incoming)
            for pid, wid, virtual_qty, incoming in rows
        }

    @api.model
    def _counts_incoming(self, rules, open_info):
        """Whether a rule or open alert counts the incoming (_get_trigger_qty)."""
        return any(
            rule.scope == "all" and rule.basis == "on_hand" for rule in rules
        ) or any(
            info[5] == "all" and info[3] == "on_hand" for info in open_info.values()
        )

    @api.model
    def _get_trigger_qty(self, qty, supply, basis, scope):
        """Quantity compared with a rule's minimum, from ``qty`` on the rule's
        basis and ``supply`` (virtual stock, incoming) of the pair:

        - a negative virtual stock always alerts: sold beyond what will be
          there, whatever the basis (the alert shows the virtual stock);
        - a rule for every product on the on-hand basis counts what is on its
          way, so that a product already being received raises no alert.
        """
        virtual, incoming = supply or (0.0, 0.0)
        if scope == "all" and basis == "on_hand":
            qty += incoming
        if virtual < 0:
            qty = min(qty, virtual)
        return qty

    def _notify_responsibles(self):
        if not self:
            return
        template = self.env.ref(
            "erp_virtual_stock.mail_template_stock_alert", raise_if_not_found=False
        )
        for alert in self:
            users = alert.threshold_id.notify_user_ids
            for user in users:
                # summary and note are stored text: write them in the language
                # of the user who reads them, not in the scan's language
                in_lang = alert.with_context(lang=user.lang or None)
                in_lang.activity_schedule(
                    "erp_virtual_stock.mail_activity_type_stock_alert",
                    user_id=user.id,
                    note=in_lang.env._(
                        "%(product)s is below its minimum in %(warehouse)s: "
                        "%(qty)s < %(min)s.",
                        product=in_lang.product_id.display_name,
                        warehouse=in_lang.warehouse_id.display_name,
                        qty=alert.qty_at_trigger,
                        min=alert.min_qty,
                    ),
                )
            if users and template:
                alert.message_subscribe(partner_ids=users.partner_id.ids)
                alert.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment"
                )
