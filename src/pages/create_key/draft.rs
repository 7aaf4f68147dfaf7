//! The wizard's draft: the choices of steps 1–3, their validation against `/keys/base`, the
//! URL round trip, and the request they make. Plain Rust, tested natively.

use platform_types::{Application, Arx, BaseInfo, CreateApiKey, CreateApiKeyRequest};

/// A step of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choose the application.
    Application,
    /// Choose the Arx.
    Arx,
    /// Review and create.
    Summary,
    /// See the key, once.
    Key,
}

impl Step {
    /// All steps in order.
    pub const ALL: [Step; 4] = [Self::Application, Self::Arx, Self::Summary, Self::Key];

    /// Path segment under `/keys/new/`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Arx => "arx",
            Self::Summary => "summary",
            Self::Key => "key",
        }
    }

    /// Label in the stepper.
    pub fn label(self) -> &'static str {
        match self {
            Self::Application => "Application",
            Self::Arx => "Arx",
            Self::Summary => "Review",
            Self::Key => "Your key",
        }
    }
}

/// The choices so far, as they travel in the URL query of steps 1–3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// Chosen application id.
    pub application: Option<String>,
    /// Chosen Arx id.
    pub arx: Option<String>,
}

impl Draft {
    /// Reads `?app=…&arx=…`; empty or oversized values count as not chosen.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let take = |k: &str| get(k).filter(|v| !v.is_empty() && v.len() <= 200);
        Self {
            application: take("app"),
            arx: take("arx"),
        }
    }

    /// The query for the URL (without `?`), choices only.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![];
        if let Some(a) = &self.application {
            q.push(("app", a.clone()));
        }
        if let Some(a) = &self.arx {
            q.push(("arx", a.clone()));
        }
        q
    }
}

/// A draft checked against what the platform offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The platform offers no applications (newer revision): step 1 is skipped.
    pub skip_application: bool,
    /// The chosen application, if offered.
    pub application: Option<Application>,
    /// The chosen Arx, if offered.
    pub arx: Option<Arx>,
    /// An application id in the URL that is not offered.
    pub stale_application: bool,
    /// An Arx id in the URL that is not offered.
    pub stale_arx: bool,
}

impl Checked {
    /// Checks `draft` against `base`.
    pub fn new(draft: &Draft, base: &BaseInfo) -> Self {
        let apps = &base.model.applications;
        let skip_application = apps.is_empty();
        let application = draft
            .application
            .as_ref()
            .and_then(|id| apps.iter().find(|a| &a.id == id))
            .cloned();
        let arx = draft
            .arx
            .as_ref()
            .and_then(|id| base.model.clusters.iter().find(|c| &c.id == id))
            .cloned();
        Self {
            stale_application: !skip_application
                && draft.application.is_some()
                && application.is_none(),
            stale_arx: draft.arx.is_some() && arx.is_none(),
            skip_application,
            application,
            arx,
        }
    }

    /// Whether step 1 has a valid answer (or is skipped).
    pub fn application_done(&self) -> bool {
        self.skip_application || self.application.is_some()
    }

    /// Whether `step` may be shown: every earlier step has a valid answer.
    pub fn may_enter(&self, step: Step) -> bool {
        match step {
            Step::Application => true,
            Step::Arx => self.application_done(),
            Step::Summary | Step::Key => self.application_done() && self.arx.is_some(),
        }
    }

    /// The first step that still needs an answer, for a link that skipped ahead.
    pub fn first_open_step(&self) -> Step {
        if !self.application_done() {
            Step::Application
        } else if self.arx.is_none() {
            Step::Arx
        } else {
            Step::Summary
        }
    }

    /// The create request, when every choice is valid.
    pub fn request(&self) -> Option<CreateApiKeyRequest> {
        let arx = self.arx.as_ref()?;
        let (application_id, application_technology) = if self.skip_application {
            (None, None)
        } else {
            let app = self.application.as_ref()?;
            (
                Some(app.id.clone()),
                Some(app.application_technology.id.clone()),
            )
        };
        Some(CreateApiKeyRequest {
            api_key: CreateApiKey {
                application_id,
                cluster_id: arx.id.clone(),
                application_technology,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::{Models, Technology};
    use std::collections::HashMap;

    fn app(id: &str, tech: &str) -> Application {
        Application {
            id: id.into(),
            name: id.into(),
            application_technology: Technology {
                id: tech.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn arx(id: &str) -> Arx {
        Arx {
            id: id.into(),
            ..Default::default()
        }
    }

    fn base(apps: Vec<Application>) -> BaseInfo {
        BaseInfo {
            acl: Default::default(),
            model: Models {
                applications: apps,
                clusters: vec![arx("arx--1"), arx("arx--2")],
            },
        }
    }

    fn draft(app: Option<&str>, arx: Option<&str>) -> Draft {
        Draft {
            application: app.map(Into::into),
            arx: arx.map(Into::into),
        }
    }

    #[test]
    fn steps_open_in_order() {
        let b = base(vec![app("app--s", "server"), app("app--c", "client")]);
        let empty = Checked::new(&Draft::default(), &b);
        assert!(empty.may_enter(Step::Application));
        assert!(!empty.may_enter(Step::Arx));
        assert_eq!(empty.first_open_step(), Step::Application);
        let one = Checked::new(&draft(Some("app--s"), None), &b);
        assert!(one.may_enter(Step::Arx));
        assert!(!one.may_enter(Step::Summary));
        assert_eq!(one.first_open_step(), Step::Arx);
        let two = Checked::new(&draft(Some("app--s"), Some("arx--2")), &b);
        assert!(two.may_enter(Step::Summary));
        assert_eq!(two.first_open_step(), Step::Summary);
    }

    #[test]
    fn ids_no_longer_offered_are_reported() {
        let b = base(vec![app("app--s", "server")]);
        let c = Checked::new(&draft(Some("app--gone"), Some("arx--gone")), &b);
        assert!(c.stale_application && c.stale_arx);
        assert!(c.application.is_none() && c.arx.is_none());
        assert!(!c.may_enter(Step::Arx));
        assert!(c.request().is_none());
    }

    #[test]
    fn request_carries_the_application_technology() {
        let b = base(vec![app("app--s", "server"), app("app--c", "client")]);
        let req = Checked::new(&draft(Some("app--c"), Some("arx--1")), &b)
            .request()
            .unwrap();
        assert_eq!(req.api_key.application_id.as_deref(), Some("app--c"));
        assert_eq!(
            req.api_key.application_technology.as_deref(),
            Some("client")
        );
        assert_eq!(req.api_key.cluster_id, "arx--1");
    }

    #[test]
    fn without_applications_step_one_is_skipped_and_only_the_arx_is_sent() {
        let b = base(vec![]);
        let c = Checked::new(&draft(Some("app--whatever"), Some("arx--2")), &b);
        assert!(c.skip_application);
        assert!(!c.stale_application);
        assert!(c.may_enter(Step::Summary));
        let req = c.request().unwrap();
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"api_key":{"cluster_id":"arx--2"}}"#
        );
    }

    #[test]
    fn url_round_trip_and_junk() {
        let d = draft(Some("app--1"), Some("arx--9"));
        let q: HashMap<_, _> = d.to_query().into_iter().collect();
        assert_eq!(Draft::from_query(|k| q.get(k).cloned()), d);
        assert_eq!(Draft::from_query(|_| Some(String::new())), Draft::default());
        assert_eq!(
            Draft::from_query(|_| Some("x".repeat(500))),
            Draft::default()
        );
        assert!(Draft::default().to_query().is_empty());
    }
}
