//! What the signed-in person may do. The server's ACL is the truth; the roles of contract §4
//! are the fallback when the ACL does not say.

use platform_types::{roles_may_manage_keys, Acl, ApiKey, KeyStatus};

/// The answer to "may I?", with the reason when not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permission {
    /// Allowed.
    Allowed,
    /// Not allowed, and why (the server's reason when it gave one).
    Denied(String),
}

impl Permission {
    /// Whether the action is allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allowed)
    }

    /// The reason for a refusal.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Allowed => None,
            Self::Denied(r) => Some(r),
        }
    }
}

/// Default reason when a role may not create.
pub const CREATE_DENIED: &str = "Only Platform Owners and Developers can create API keys.";
/// Default reason when a role may not delete.
pub const DELETE_DENIED: &str = "Only Platform Owners and Developers can delete API keys.";

/// A refusal as the pages show it, a sentence of its own: the platform's reasons may come
/// without a full stop, or be blank (then `fallback` says it).
fn denied(reason: &str, fallback: &str) -> Permission {
    let reason = match reason.trim() {
        "" => fallback,
        r => r,
    };
    Permission::Denied(if reason.ends_with(['.', '!', '?', '…']) {
        reason.to_owned()
    } else {
        format!("{reason}.")
    })
}

fn decide(acl: Option<&Acl>, action: &str, roles: &[String], fallback_reason: &str) -> Permission {
    match acl.and_then(|a| a.allows(action)) {
        Some(true) => Permission::Allowed,
        Some(false) => denied(
            acl.and_then(|a| a.reason(action))
                .unwrap_or(fallback_reason),
            fallback_reason,
        ),
        None if roles_may_manage_keys(roles) => Permission::Allowed,
        None => denied(fallback_reason, fallback_reason),
    }
}

/// May the person create keys? From the collection ACL (`can.add`), else the roles.
pub fn create_permission(collection_acl: Option<&Acl>, roles: &[String]) -> Permission {
    decide(collection_acl, "add", roles, CREATE_DENIED)
}

/// May the person delete this key? A key that is pending or deleted never can, from the UI;
/// otherwise the key's ACL (`can.delete`) decides, else the roles.
pub fn delete_permission(key: &ApiKey, roles: &[String]) -> Permission {
    match key.status {
        KeyStatus::Pending => Permission::Denied("An operation on this key is in progress.".into()),
        KeyStatus::Deleted => Permission::Denied("This API key has already been deleted.".into()),
        _ => decide(Some(&key.acl), "delete", roles, DELETE_DENIED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(r: &[&str]) -> Vec<String> {
        r.iter().map(|s| s.to_string()).collect()
    }

    fn acl(action: &str, allowed: Option<bool>, reason: &str) -> Acl {
        let mut a = Acl::default();
        if let Some(v) = allowed {
            a.set(action, v, reason);
        }
        a
    }

    #[test]
    fn create_follows_the_acl_then_the_roles() {
        let owner = roles(&["platform_owner"]);
        let dev = roles(&["developer"]);
        let admin = roles(&["platform_admin"]);
        let other = roles(&["auditor"]);
        let both = roles(&["platform_admin", "developer"]);
        // No ACL: roles decide.
        for (r, ok) in [
            (&owner, true),
            (&dev, true),
            (&admin, false),
            (&other, false),
            (&both, true),
            (&vec![], false),
        ] {
            assert_eq!(create_permission(None, r).is_allowed(), ok, "{r:?}");
            assert_eq!(
                create_permission(Some(&Acl::default()), r).is_allowed(),
                ok,
                "{r:?} empty acl"
            );
        }
        // The ACL wins over the roles, both ways, and its reason is shown.
        let no = acl("add", Some(false), "Your plan does not allow more keys");
        assert_eq!(
            create_permission(Some(&no), &owner),
            Permission::Denied("Your plan does not allow more keys.".into()),
            "a reason is a sentence"
        );
        let yes = acl("add", Some(true), "");
        assert!(create_permission(Some(&yes), &admin).is_allowed());
        // Refused without a reason: a default one.
        let bare = acl("add", Some(false), "");
        assert_eq!(
            create_permission(Some(&bare), &owner).reason(),
            Some(CREATE_DENIED)
        );
        assert_eq!(
            create_permission(None, &admin).reason(),
            Some(CREATE_DENIED)
        );
    }

    #[test]
    fn delete_follows_status_then_acl_then_roles() {
        let owner = roles(&["platform_owner"]);
        let admin = roles(&["platform_admin"]);
        let key = |status: KeyStatus, a: Acl| ApiKey {
            id: "apikey--1".into(),
            status,
            acl: a,
            ..Default::default()
        };
        assert!(delete_permission(&key(KeyStatus::Active, Acl::default()), &owner).is_allowed());
        assert!(!delete_permission(&key(KeyStatus::Active, Acl::default()), &admin).is_allowed());
        assert!(delete_permission(
            &key(KeyStatus::Failed, acl("delete", Some(true), "")),
            &admin
        )
        .is_allowed());
        let refused = key(
            KeyStatus::Active,
            acl("delete", Some(false), "Locked by policy"),
        );
        assert_eq!(
            delete_permission(&refused, &owner).reason(),
            Some("Locked by policy.")
        );
        let said = key(
            KeyStatus::Active,
            acl("delete", Some(false), "Locked by policy! "),
        );
        assert_eq!(
            delete_permission(&said, &owner).reason(),
            Some("Locked by policy!")
        );
        let blank = key(KeyStatus::Active, acl("delete", Some(false), "  "));
        assert_eq!(
            delete_permission(&blank, &owner).reason(),
            Some(DELETE_DENIED),
            "a blank reason is the default one"
        );
        for s in [KeyStatus::Pending, KeyStatus::Deleted] {
            let p = delete_permission(&key(s.clone(), acl("delete", Some(true), "")), &owner);
            assert!(!p.is_allowed(), "{s:?} cannot be deleted from the UI");
        }
        assert!(delete_permission(
            &key(KeyStatus::Other("weird".into()), Acl::default()),
            &owner
        )
        .is_allowed());
    }
}
