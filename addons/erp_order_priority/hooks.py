def uninstall_hook(env):
    """Remove the activities of the addon's activity type, which would
    otherwise prevent the type from being deleted."""
    activity_type = env.ref(
        "erp_order_priority.mail_activity_type_assigned", raise_if_not_found=False
    )
    if activity_type:
        env["mail.activity"].with_context(active_test=False).search(
            [("activity_type_id", "=", activity_type.id)]
        ).unlink()
