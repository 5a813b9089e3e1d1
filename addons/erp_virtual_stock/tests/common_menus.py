# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user


class MenuAccessMixin:
    """Shared checks that an addon's menus, actions and views load for its
    groups and stay hidden from other users (mixed into a BaseCommon test
    case of each addon, which sets ``addon`` and ``odoo_group``)."""

    addon = None
    odoo_group = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        addon = cls.addon
        cls.root_xmlid = f"{addon}.{addon}_menu_root"
        cls.user = new_test_user(
            cls.env, login=f"{addon}_user", groups=f"{addon}.{addon}_group_user"
        )
        cls.manager = new_test_user(
            cls.env, login=f"{addon}_manager", groups=f"{addon}.{addon}_group_manager"
        )
        cls.outsider = new_test_user(
            cls.env, login=f"{addon}_outsider", groups="base.group_user"
        )

    def _visible_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        return {
            menu["xmlid"]: menu
            for key, menu in menus.items()
            if key != "root" and menu.get("xmlid", "").startswith(f"{self.addon}.")
        }

    def test_groups_imply_odoo_groups(self):
        """Given the addon's groups, they imply the matching Odoo groups."""
        self.assertTrue(self.user.has_group(self.odoo_group))
        self.assertTrue(self.manager.has_group(f"{self.addon}.{self.addon}_group_user"))

    def test_menus_actions_and_views_load_for_each_group(self):
        """Given a user of each group, when the menus load, every menu of the
        addon shows and its action and views open for that user."""
        for user in (self.user, self.manager):
            with self.subTest(user=user.login):
                menus = self._visible_menus(user)
                self.assertIn(self.root_xmlid, menus)
                for menu in menus.values():
                    if not menu.get("action"):
                        continue
                    model, action_id = menu["action"].split(",")
                    action = self.env[model].browse(int(action_id))
                    # the web client reads actions as superuser
                    # (/web/action/load), then the user needs the model's ACL
                    data = action.sudo().read()[0]
                    if not data.get("res_model"):
                        continue
                    self.env[data["res_model"]].with_user(user).check_access("read")
                    views = [(False, vtype) for vtype in data["view_mode"].split(",")]
                    result = (
                        self.env[data["res_model"]]
                        .with_user(user)
                        .get_views(views + [(False, "search")])
                    )
                    self.assertTrue(result["views"])

    def test_menu_hidden_from_other_users(self):
        """Given a user without the addon's groups, the addon's menu is hidden."""
        self.assertNotIn(self.root_xmlid, self._visible_menus(self.outsider))
