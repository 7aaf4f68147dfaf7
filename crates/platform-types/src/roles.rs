//! Roles and what they may do with API keys (contract §4).

/// Display name of a role id (contract §4); unknown ids are shown as themselves.
pub fn role_display_name(role: &str) -> &str {
    match role {
        "platform_owner" => "Platform Owner",
        "developer" => "Developer",
        "platform_admin" => "Platform Admin",
        other => other,
    }
}

/// Whether any of `roles` may create and delete keys (contract §4).
pub fn roles_may_manage_keys<S: AsRef<str>>(roles: &[S]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r.as_ref(), "platform_owner" | "developer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_decide_management() {
        assert!(roles_may_manage_keys(&["platform_admin", "developer"]));
        assert!(roles_may_manage_keys(&["platform_owner"]));
        assert!(!roles_may_manage_keys(&["platform_admin"]));
        assert!(!roles_may_manage_keys::<&str>(&[]));
        assert_eq!(role_display_name("developer"), "Developer");
        assert_eq!(role_display_name("auditor"), "auditor");
    }
}
