//! The dashboard's view state: search, filters, sort and page. It lives in the URL query, so a
//! view can be bookmarked, shared and restored with Back.

/// The longest search the address keeps; the search fields take no more (their `maxlength`,
/// in UTF-16 units, is never more characters than this), so nothing typed is cut off later.
pub const SEARCH_MAX_CHARS: usize = 200;

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The access key.
    AccessKey,
    /// Application name.
    Application,
    /// Arx name.
    Arx,
    /// Status.
    Status,
    /// Creation time.
    Created,
    /// Creator name.
    CreatedBy,
    /// Last use.
    LastUsed,
}

impl SortKey {
    /// Every column, in table order.
    pub const ALL: [SortKey; 7] = [
        Self::AccessKey,
        Self::Application,
        Self::Arx,
        Self::Status,
        Self::Created,
        Self::CreatedBy,
        Self::LastUsed,
    ];

    /// Name in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessKey => "key",
            Self::Application => "application",
            Self::Arx => "arx",
            Self::Status => "status",
            Self::Created => "created",
            Self::CreatedBy => "creator",
            Self::LastUsed => "last_used",
        }
    }

    /// Column heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::AccessKey => "API key",
            Self::Application => "Application",
            Self::Arx => "Arx",
            Self::Status => "Status",
            Self::Created => "Created",
            Self::CreatedBy => "Created by",
            Self::LastUsed => "Last used",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Page sizes on offer.
pub const PAGE_SIZES: [usize; 4] = [10, 25, 50, 100];
const DEFAULT_PAGE_SIZE: usize = 25;

/// Statuses a person can filter by.
pub const STATUS_FILTERS: [&str; 5] = ["active", "pending", "disabled", "failed", "deleted"];

/// Everything that decides which rows show, in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewState {
    /// Free-text search over access key, application, Arx and creator.
    pub search: String,
    /// Only this status.
    pub status: Option<String>,
    /// Only this application id.
    pub application: Option<String>,
    /// Only this Arx id.
    pub arx: Option<String>,
    /// Sort column.
    pub sort: SortKey,
    /// Descending order.
    pub descending: bool,
    /// 1-based page.
    pub page: usize,
    /// Rows per page.
    pub page_size: usize,
    /// Show deleted keys too.
    pub show_deleted: bool,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            search: String::new(),
            status: None,
            application: None,
            arx: None,
            sort: SortKey::Created,
            descending: true,
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            show_deleted: false,
        }
    }
}

impl ViewState {
    /// The most rows a page shows (at least one, whatever the URL said).
    pub fn rows_per_page(&self) -> usize {
        self.page_size.max(1)
    }

    /// Reads the URL query; anything unknown or malformed takes its default.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let d = Self::default();
        let non_empty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let sort = get("sort").and_then(|s| SortKey::parse(&s));
        Self {
            search: get("q")
                .unwrap_or_default()
                .chars()
                .take(SEARCH_MAX_CHARS)
                .collect(),
            status: non_empty("status").filter(|s| STATUS_FILTERS.contains(&s.as_str())),
            application: non_empty("app").filter(|s| s.len() <= 200),
            arx: non_empty("arx").filter(|s| s.len() <= 200),
            descending: match get("dir").as_deref() {
                Some("asc") => false,
                Some("desc") => true,
                _ if sort.is_some() => false,
                _ => d.descending,
            },
            sort: sort.unwrap_or(d.sort),
            page: get("page")
                .and_then(|p| p.parse::<usize>().ok())
                .filter(|p| (1..=100_000).contains(p))
                .unwrap_or(1),
            page_size: get("size")
                .and_then(|p| p.parse::<usize>().ok())
                .filter(|p| PAGE_SIZES.contains(p))
                .unwrap_or(d.page_size),
            show_deleted: get("deleted").as_deref() == Some("1"),
        }
    }

    /// The query pairs for the URL; defaults are left out so plain URLs stay plain.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let d = Self::default();
        let mut q = vec![];
        if !self.search.is_empty() {
            q.push(("q", self.search.clone()));
        }
        if let Some(s) = &self.status {
            q.push(("status", s.clone()));
        }
        if let Some(a) = &self.application {
            q.push(("app", a.clone()));
        }
        if let Some(a) = &self.arx {
            q.push(("arx", a.clone()));
        }
        if self.sort != d.sort || self.descending != d.descending {
            q.push(("sort", self.sort.as_str().to_owned()));
            q.push((
                "dir",
                if self.descending { "desc" } else { "asc" }.to_owned(),
            ));
        }
        if self.page != 1 {
            q.push(("page", self.page.to_string()));
        }
        if self.page_size != d.page_size {
            q.push(("size", self.page_size.to_string()));
        }
        if self.show_deleted {
            q.push(("deleted", "1".into()));
        }
        q
    }

    /// Whether deleted keys are listed: the box ticked, or the status filter "Deleted", which
    /// shows them whatever the box says (and leaves the box as the person set it, for when the
    /// filter changes again).
    pub fn shows_deleted(&self) -> bool {
        self.show_deleted || self.status.as_deref() == Some("deleted")
    }

    /// Whether any search or filter narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.search.is_empty()
            || self.status.is_some()
            || self.application.is_some()
            || self.arx.is_some()
    }

    /// The same sort and page size with every filter cleared.
    pub fn cleared(&self) -> Self {
        Self {
            sort: self.sort,
            descending: self.descending,
            page_size: self.page_size,
            show_deleted: self.show_deleted,
            ..Self::default()
        }
    }

    /// Clicking a column heading: ascending first, then toggling.
    pub fn sorted_by(&self, key: SortKey) -> Self {
        Self {
            sort: key,
            descending: self.sort == key && !self.descending,
            page: 1,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn url_round_trip() {
        let state = ViewState {
            search: "pay ments&x=1".into(),
            status: Some("failed".into()),
            application: Some("app--1".into()),
            arx: Some("arx--2".into()),
            sort: SortKey::Arx,
            descending: false,
            page: 3,
            page_size: 50,
            show_deleted: true,
        };
        let q: HashMap<_, _> = state.to_query().into_iter().collect();
        let back = ViewState::from_query(|k| q.get(k).cloned());
        assert_eq!(back, state);
        assert!(
            ViewState::default().to_query().is_empty(),
            "defaults keep the URL plain"
        );
    }

    #[test]
    fn malformed_query_values_fall_back_to_defaults() {
        let bad: HashMap<&str, &str> = [
            ("status", "exploded"),
            ("sort", "nonsense"),
            ("dir", "sideways"),
            ("page", "-4"),
            ("size", "7"),
            ("deleted", "yes please"),
        ]
        .into_iter()
        .collect();
        let s = ViewState::from_query(|k| bad.get(k).map(|v| v.to_string()));
        assert_eq!(s, ViewState::default());
        let s = ViewState::from_query(|k| (k == "page").then(|| "99999999999999999999".into()));
        assert_eq!(s.page, 1);
    }

    #[test]
    fn the_deleted_filter_shows_deleted_keys_without_ticking_the_box() {
        let deleted = ViewState::from_query(|k| (k == "status").then(|| "deleted".into()));
        assert!(deleted.shows_deleted());
        // Back to all statuses: the box is as the person left it, unticked.
        let all = ViewState {
            status: None,
            ..deleted
        };
        assert!(!all.shows_deleted());
        assert!(all.to_query().is_empty(), "{:?}", all.to_query());
    }
}
