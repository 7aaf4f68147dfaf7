//! The keys as the dashboard lists them: each prepared once for sorting and searching, the
//! order of a sort, the rows a search and filters keep, and one page of them.

use std::borrow::Cow;
use std::sync::OnceLock;

use memchr::memmem;
use platform_types::{ApiKey, KeyStatus};

use super::search_index::SearchIndex;
use super::view_state::{SortKey, ViewState};
use crate::shown;
use crate::{fold, time};

/// A key prepared once for sorting and for the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The key.
    pub key: ApiKey,
    /// Application display name.
    pub application: String,
    /// Arx display name.
    pub arx: String,
    /// Creator display name.
    pub creator: String,
    /// Parsed creation time.
    pub created_ms: Option<f64>,
    /// Parsed last use.
    pub last_used_ms: Option<f64>,
}

impl Row {
    /// Prepares `key`.
    pub fn new(key: ApiKey) -> Self {
        Self {
            created_ms: time::parse_timestamp(&key.created_at),
            last_used_ms: key.last_used_at.as_deref().and_then(time::parse_timestamp),
            application: shown::name(key.application_name()).into_owned(),
            arx: shown::name(key.arx_name()).into_owned(),
            creator: shown::name(key.creator_name()).into_owned(),
            key,
        }
    }

    /// Appends what a search matches in this row (access key, application, Arx, creator's name
    /// and e-mail), lower-cased, each part ended by a newline.
    pub(super) fn push_search_text(&self, out: &mut String) {
        let email = self
            .key
            .created_by
            .as_ref()
            .map(|c| c.email_address.as_str())
            .unwrap_or("");
        let start = out.len();
        for part in [
            self.key.access_key.as_str(),
            &self.application,
            &self.arx,
            &self.creator,
            email,
        ] {
            out.push_str(&fold::search_spacing(part));
            out.push('\n');
        }
        // Names are nearly always ASCII, lower-cased in place; anything else by `fold`.
        if out[start..].is_ascii() {
            out[start..].make_ascii_lowercase();
        } else {
            let folded = fold::search_lowercase(&out[start..]);
            out.truncate(start);
            out.push_str(&folded);
        }
    }

    /// Whether the row passes the view's status, application, Arx and deleted filters.
    fn passes_filters(&self, state: &ViewState) -> bool {
        if !state.shows_deleted() && self.key.status == KeyStatus::Deleted {
            return false;
        }
        if state
            .status
            .as_deref()
            .is_some_and(|s| s != self.key.status.as_str())
        {
            return false;
        }
        if state
            .application
            .as_deref()
            .is_some_and(|a| a != self.key.application_id)
        {
            return false;
        }
        state
            .arx
            .as_deref()
            .is_none_or(|a| a == self.key.cluster_id)
    }
}

/// The rows of the list, with the text a search scans, built on the first search after a change.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    rows: Vec<Row>,
    search: OnceLock<SearchIndex>,
}

impl Rows {
    /// Puts a fresher copy of `key` into its row (by id); gives the key back if no row has it.
    pub fn replace(&mut self, mut key: ApiKey) -> Option<ApiKey> {
        let row = self.rows.iter_mut().find(|r| r.key.id == key.id);
        let Some(row) = row else { return Some(key) };
        // An answer about one key (a delete's, a poll's) may leave out what the row knows: the
        // contract requires only the id.
        key.fill_from(&row.key);
        *row = Row::new(key);
        self.search = OnceLock::new();
        None
    }

    /// Like `replace`, and a key the list lacks is added.
    pub fn upsert(&mut self, key: ApiKey) {
        if let Some(key) = self.replace(key) {
            self.rows.push(Row::new(key));
            self.search = OnceLock::new();
        }
    }

    fn search_index(&self) -> &SearchIndex {
        self.search.get_or_init(|| SearchIndex::new(&self.rows))
    }
}

impl std::ops::Deref for Rows {
    type Target = [Row];
    fn deref(&self) -> &[Row] {
        &self.rows
    }
}

impl FromIterator<Row> for Rows {
    fn from_iter<I: IntoIterator<Item = Row>>(rows: I) -> Self {
        Self {
            rows: rows.into_iter().collect(),
            search: OnceLock::new(),
        }
    }
}

/// Orders known times by `dir`; unknown times always go last, whichever the direction.
fn cmp_time(a: Option<f64>, b: Option<f64>, descending: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (a, b) {
        (Some(x), Some(y)) if descending => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Less,
        (None, Some(_)) => Greater,
        (None, None) => Equal,
    }
}

/// Every row's index in `state`'s order (ties newest first, then by id). Sorting depends only
/// on the sort column and direction, so typing a search filters this order instead of sorting again.
pub fn sort_all(rows: &[Row], sort: SortKey, desc: bool) -> Vec<usize> {
    let dir = |o: std::cmp::Ordering| if desc { o.reverse() } else { o };
    // The sorted column's names, lower-cased once per sort rather than once per comparison.
    let names: Vec<Cow<str>> = match sort {
        SortKey::Application => rows
            .iter()
            .map(|r| fold::sort_key(&r.application))
            .collect(),
        SortKey::Arx => rows.iter().map(|r| fold::sort_key(&r.arx)).collect(),
        SortKey::CreatedBy => rows.iter().map(|r| fold::sort_key(&r.creator)).collect(),
        SortKey::AccessKey | SortKey::Status | SortKey::Created | SortKey::LastUsed => Vec::new(),
    };
    let by = |i: usize, j: usize| -> std::cmp::Ordering {
        let (a, b) = (&rows[i], &rows[j]);
        match sort {
            SortKey::AccessKey => dir(a.key.access_key.cmp(&b.key.access_key)),
            SortKey::Application | SortKey::Arx | SortKey::CreatedBy => {
                dir(fold::cmp_sort_keys(&names[i], &names[j]))
            }
            SortKey::Status => dir(a.key.status.as_str().cmp(b.key.status.as_str())),
            SortKey::Created => cmp_time(a.created_ms, b.created_ms, desc),
            SortKey::LastUsed => cmp_time(a.last_used_ms, b.last_used_ms, desc),
        }
    };
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    // Ties newest first, as the list comes by default, then by id, so the order is stable.
    idx.sort_by(|&i, &j| {
        by(i, j)
            .then_with(|| cmp_time(rows[i].created_ms, rows[j].created_ms, true))
            .then_with(|| rows[i].key.id.cmp(&rows[j].key.id))
    });
    idx
}

/// The search as rows are matched against it (its spacing as [`fold::search_spacing`] reads it,
/// lower-cased), prepared once per keystroke; it scans with SIMD.
fn search_finder(search: &str) -> memmem::Finder<'static> {
    memmem::Finder::new(fold::search_lowercase(&fold::search_spacing(search.trim())).as_bytes())
        .into_owned()
}

/// The indices in `sorted` whose rows match `state`'s search and filters, keeping their order.
pub fn filter_sorted(rows: &Rows, sorted: &[usize], state: &ViewState) -> Vec<usize> {
    let matches = matcher(rows, state);
    sorted.iter().copied().filter(|&i| matches(i)).collect()
}

/// Whether the row at an index passes `state`'s search and filters.
fn matcher<'a>(rows: &'a Rows, state: &'a ViewState) -> impl Fn(usize) -> bool + 'a {
    let needle = search_finder(&state.search);
    let hits = (!needle.needle().is_empty()).then(|| rows.search_index().hits(&needle));
    move |i| hits.as_ref().is_none_or(|h| h[i]) && rows[i].passes_filters(state)
}

/// How many deleted keys, hidden from `state`, its search and filters match: a search for a key
/// that was deleted (an API key pasted from a log) finds it behind "Show deleted keys".
pub fn hidden_deleted_matches(rows: &Rows, state: &ViewState) -> usize {
    if state.shows_deleted() {
        return 0;
    }
    let with_deleted = ViewState {
        show_deleted: true,
        ..state.clone()
    };
    let matches = matcher(rows, &with_deleted);
    (0..rows.len())
        .filter(|&i| rows[i].key.status == KeyStatus::Deleted && matches(i))
        .count()
}

/// One page of `matches`: the slice to show, and the page actually shown (clamped).
pub fn page_of(matches: &[usize], state: &ViewState) -> (Vec<usize>, usize, usize) {
    let size = state.rows_per_page();
    let pages = matches.len().div_ceil(size).max(1);
    let page = state.page.clamp(1, pages);
    let start = (page - 1) * size;
    let end = (start + size).min(matches.len());
    (matches[start..end].to_vec(), page, pages)
}

#[cfg(test)]
mod tests {
    use super::super::search_index::SearchIndex;
    use super::*;
    use memchr::memmem;
    use platform_types::{Creator, Ref};

    fn key(
        id: &str,
        access: &str,
        app: &str,
        arx: &str,
        status: &str,
        created: &str,
        who: &str,
    ) -> Row {
        Row::new(ApiKey {
            id: id.into(),
            access_key: access.into(),
            application_id: format!("app--{app}"),
            application: Some(Ref {
                id: format!("app--{app}"),
                name: app.into(),
                label: app.into(),
            }),
            cluster_id: format!("arx--{arx}"),
            cluster: Some(Ref {
                id: format!("arx--{arx}"),
                name: arx.into(),
                label: arx.into(),
            }),
            status: KeyStatus::parse(status),
            created_at: created.into(),
            created_by: Some(Creator {
                full_name: who.into(),
                ..Default::default()
            }),
            ..Default::default()
        })
    }

    fn rows() -> Rows {
        [
            key(
                "1",
                "onq.AAA",
                "Payments",
                "Prod",
                "active",
                "2024-01-03T00:00:00Z",
                "Olivia",
            ),
            key(
                "2",
                "onq.BBB",
                "Portal",
                "Staging",
                "pending",
                "2024-01-01T00:00:00Z",
                "Devon",
            ),
            key(
                "3",
                "onq.CCC",
                "Payments",
                "Staging",
                "deleted",
                "2024-01-05T00:00:00Z",
                "Olivia",
            ),
            key(
                "4",
                "onq.DDD",
                "Reports",
                "Prod",
                "failed",
                "not a date",
                "Devon",
            ),
            key(
                "5",
                "onq.EEE",
                "portal",
                "Dev",
                "active",
                "2024-01-04T00:00:00Z",
                "Zed",
            ),
        ]
        .into_iter()
        .collect()
    }

    /// Indices of the rows that match `state`, in its order: what the dashboard shows.
    fn filter_and_sort(rows: &Rows, state: &ViewState) -> Vec<usize> {
        filter_sorted(rows, &sort_all(rows, state.sort, state.descending), state)
    }

    fn ids(rows: &[Row], idx: &[usize]) -> Vec<String> {
        idx.iter().map(|&i| rows[i].key.id.clone()).collect()
    }

    #[test]
    fn default_hides_deleted_and_sorts_newest_first() {
        let r = rows();
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &ViewState::default())),
            ["5", "1", "2", "4"]
        );
        let with_deleted = ViewState {
            show_deleted: true,
            ..Default::default()
        };
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &with_deleted)),
            ["3", "5", "1", "2", "4"]
        );
    }

    #[test]
    fn search_covers_key_application_arx_and_creator_case_insensitively() {
        let r = rows();
        let s = |q: &str| ViewState {
            search: q.into(),
            ..Default::default()
        };
        assert_eq!(ids(&r, &filter_and_sort(&r, &s("onq.bbb"))), ["2"]);
        assert_eq!(ids(&r, &filter_and_sort(&r, &s("PORTAL"))), ["5", "2"]);
        assert_eq!(ids(&r, &filter_and_sort(&r, &s("prod"))), ["1", "4"]);
        assert_eq!(ids(&r, &filter_and_sort(&r, &s("zed"))), ["5"]);
        assert!(filter_and_sort(&r, &s("nothing-like-this")).is_empty());
    }

    #[test]
    fn a_search_only_a_hidden_deleted_key_matches_is_counted() {
        let r = rows();
        let s = |q: &str| ViewState {
            search: q.into(),
            ..Default::default()
        };
        assert!(filter_and_sort(&r, &s("onq.ccc")).is_empty());
        assert_eq!(hidden_deleted_matches(&r, &s("onq.ccc")), 1);
        assert_eq!(
            hidden_deleted_matches(&r, &s("olivia")),
            1,
            "one of two is deleted"
        );
        assert_eq!(hidden_deleted_matches(&r, &s("onq.aaa")), 0);
        let shown = ViewState {
            show_deleted: true,
            ..s("onq.ccc")
        };
        assert_eq!(hidden_deleted_matches(&r, &shown), 0, "not hidden");
    }

    #[test]
    fn filters_combine() {
        let r = rows();
        let st = ViewState {
            status: Some("active".into()),
            ..Default::default()
        };
        assert_eq!(ids(&r, &filter_and_sort(&r, &st)), ["5", "1"]);
        let st = ViewState {
            application: Some("app--Payments".into()),
            show_deleted: true,
            ..Default::default()
        };
        assert_eq!(ids(&r, &filter_and_sort(&r, &st)), ["3", "1"]);
        let st = ViewState {
            arx: Some("arx--Prod".into()),
            search: "reports".into(),
            ..Default::default()
        };
        assert_eq!(ids(&r, &filter_and_sort(&r, &st)), ["4"]);
        let deleted = ViewState::from_query(|k| (k == "status").then(|| "deleted".into()));
        assert_eq!(ids(&r, &filter_and_sort(&r, &deleted)), ["3"]);
    }

    #[test]
    fn sorts_on_every_column_both_ways() {
        let r = rows();
        let asc = |k| ViewState {
            sort: k,
            descending: false,
            show_deleted: true,
            ..Default::default()
        };
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &asc(SortKey::AccessKey))),
            ["1", "2", "3", "4", "5"]
        );
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &asc(SortKey::Application))),
            ["3", "1", "5", "2", "4"],
            "ties newest first"
        );
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &asc(SortKey::Arx))),
            ["5", "1", "4", "3", "2"]
        );
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &asc(SortKey::Status))),
            ["5", "1", "3", "4", "2"]
        );
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &asc(SortKey::Created))),
            ["2", "1", "5", "3", "4"],
            "unparseable last"
        );
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &asc(SortKey::CreatedBy))),
            ["2", "4", "3", "1", "5"]
        );
        let desc = ViewState {
            descending: true,
            ..asc(SortKey::AccessKey)
        };
        assert_eq!(
            ids(&r, &filter_and_sort(&r, &desc)),
            ["5", "4", "3", "2", "1"]
        );
        let s = ViewState::default().sorted_by(SortKey::Arx);
        assert!(!s.descending);
        assert!(s.sorted_by(SortKey::Arx).descending);
    }

    #[test]
    fn one_sorted_order_serves_every_search() {
        let r = rows();
        for sort in SortKey::ALL {
            let base = ViewState {
                sort,
                show_deleted: true,
                ..Default::default()
            };
            let sorted = sort_all(&r, sort, base.descending);
            for q in ["", "o", "PAY", "staging", "onq.d", "nothing"] {
                let st = ViewState {
                    search: q.into(),
                    ..base.clone()
                };
                // The other way round, independently: keep the rows whose own text contains the
                // search, then sort them.
                let needle = q.trim().to_lowercase();
                let matching: Rows = r
                    .iter()
                    .filter(|row| own_text(row).contains(&needle) && row.passes_filters(&st))
                    .cloned()
                    .collect();
                let want = ids(&matching, &sort_all(&matching, sort, st.descending));
                assert_eq!(
                    ids(&r, &filter_sorted(&r, &sorted, &st)),
                    want,
                    "{sort:?} {q:?}"
                );
            }
        }
    }

    /// A row's search text on its own, as if it were the only row.
    fn own_text(row: &Row) -> String {
        let mut text = String::new();
        row.push_search_text(&mut text);
        text
    }

    /// What the search index must agree with: each row's own text, searched on its own.
    fn hits_one_by_one(rows: &[Row], needle: &str) -> Vec<bool> {
        rows.iter()
            .map(|row| own_text(row).contains(needle))
            .collect()
    }

    #[test]
    fn a_search_finds_a_name_as_it_is_shown_whatever_its_spacing() {
        let r: Rows = [
            key(
                "1",
                "onq.AAA",
                "padded\u{A0}name\nwith  line break",
                "x",
                "active",
                "",
                "Ann",
            ),
            key("2", "onq.BBB", "zero\u{200B}width", "x", "active", "", "Bo"),
            key("3", "onq.CCC", "Payments", "x", "active", "", "Cy"),
        ]
        .into_iter()
        .collect();
        let sorted = sort_all(&r, SortKey::AccessKey, false);
        let found = |q: &str| {
            let st = ViewState {
                search: q.into(),
                ..Default::default()
            };
            ids(&r, &filter_sorted(&r, &sorted, &st))
        };
        assert_eq!(found("padded name with line break"), ["1"]);
        assert_eq!(found("NAME\u{A0} WITH"), ["1"]);
        assert_eq!(found("zerowidth"), ["2"]);
        assert_eq!(found("zero\u{200B}width"), ["2"]);
        assert_eq!(found("payments"), ["3"]);
        assert!(found("name  x").is_empty());
    }

    #[test]
    fn a_match_across_two_rows_is_no_match() {
        let r = rows();
        // Row 1 ends with its creator's (empty) e-mail and row 2 starts with its access key.
        let across = "olivia\n\nonq.bbb";
        let index = SearchIndex::new(&r);
        assert!(
            index.text.contains(across),
            "the rows are neighbours in the text"
        );
        assert_eq!(index.hits(&memmem::Finder::new(across)), [false; 5]);
        // After the one across the boundary, a match inside the next row still counts.
        assert_eq!(
            index.hits(&memmem::Finder::new("\nonq.")),
            hits_one_by_one(&r, "\nonq.")
        );
        assert_eq!(
            index.hits(&memmem::Finder::new("o")),
            [true, true, true, true, true]
        );
    }

    #[test]
    fn a_changed_row_is_searched_as_it_now_is() {
        let mut r = rows();
        let search = |r: &Rows, q: &str| {
            let st = ViewState {
                search: q.into(),
                show_deleted: true,
                ..Default::default()
            };
            ids(r, &filter_and_sort(r, &st))
        };
        assert_eq!(search(&r, "onq.bbb"), ["2"]);
        let mut key = r[1].key.clone();
        key.access_key = "onq.XYZ".into();
        assert!(r.replace(key.clone()).is_none());
        assert!(search(&r, "onq.bbb").is_empty());
        assert_eq!(search(&r, "onq.xyz"), ["2"]);
        // Not in the list: added only when asked to.
        key.id = "6".into();
        key.access_key = "onq.NEW".into();
        assert_eq!(r.replace(key.clone()), Some(key.clone()));
        assert!(search(&r, "onq.new").is_empty());
        r.upsert(key);
        assert_eq!(search(&r, "onq.new"), ["6"]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn the_index_finds_what_each_row_has(
            keys in proptest::collection::vec(("[abAB.]{0,6}", "[ab ]{0,4}", "[Éab]{0,3}"), 0..12),
            needle in "[ab.\n]{1,4}",
        ) {
            let r: Rows = keys
                .iter()
                .enumerate()
                .map(|(i, (access, app, who))| key(&i.to_string(), access, app, "x", "active", "", who))
                .collect();
            let needle = needle.to_lowercase();
            proptest::prop_assert_eq!(
                SearchIndex::new(&r).hits(&memmem::Finder::new(&needle)),
                hits_one_by_one(&r, &needle)
            );
        }
    }

    #[test]
    fn pages_are_clamped() {
        let m: Vec<usize> = (0..53).collect();
        let st = |page, size| ViewState {
            page,
            page_size: size,
            ..Default::default()
        };
        assert_eq!(page_of(&m, &st(1, 25)), ((0..25).collect(), 1, 3));
        assert_eq!(page_of(&m, &st(3, 25)), ((50..53).collect(), 3, 3));
        assert_eq!(
            page_of(&m, &st(9, 25)).1,
            3,
            "past the end shows the last page"
        );
        assert_eq!(page_of(&[], &st(2, 10)), (vec![], 1, 1));
    }
}
