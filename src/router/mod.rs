//! The console's router: the address as a signal, navigation through the History API, and the
//! clicks on same-origin links turned into navigations. The route table is `routes::Route`.
//!
//! The console has five pages and two nested views, all addressed by absolute paths it builds
//! itself (`links`), so it needs none of a general router's machinery: relative paths, route
//! ranking, nested routes built as futures. With `leptos_router` that machinery was 38 kB brotli
//! of the first load (docs/performance.md, "A router of the console's own").

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

mod clicks;
mod lazy;

use clicks::clicked_link;
use clicks::own_link;
pub use clicks::{before_the_router_follows_links, HISTORY_STATE};
pub use lazy::{lazy_view, Shown};

/// Where the browser is: the path and the query (`?…` or empty), without the fragment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    /// The path, percent-encoded as in the address bar.
    pub path: String,
    /// The query with its `?`, or empty.
    pub search: String,
}

impl Address {
    /// The browser's current address.
    fn current() -> Self {
        let location = window().location();
        Self {
            path: location.pathname().unwrap_or_else(|_| "/".to_owned()),
            search: location.search().unwrap_or_default(),
        }
    }

    /// `href` as the browser will write it into the address bar (dot segments resolved, characters
    /// encoded), when it is an address of this origin.
    fn parse(href: &str) -> Option<Self> {
        let location = window().location();
        let url = web_sys::Url::new_with_base(href, &location.href().ok()?).ok()?;
        (url.origin() == location.origin().ok()?).then(|| Self {
            path: url.pathname(),
            search: url.search(),
        })
    }

    /// The value of `key` in the query, decoded.
    pub fn query(&self, key: &str) -> Option<String> {
        self.search
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(k, _)| decode_query_part(k) == key)
            .map(|(_, v)| decode_query_part(v))
    }
}

/// A path segment, percent-decoded; text that is not valid percent-encoding is kept as it is.
pub fn decode_segment(text: &str) -> String {
    js_sys::decode_uri_component(text)
        .map(String::from)
        .unwrap_or_else(|_| text.to_owned())
}

/// A query key or value, decoded as `URLSearchParams` does (`+` is a space).
fn decode_query_part(text: &str) -> String {
    decode_segment(&text.replace('+', " "))
}

/// How a navigation treats history and scrolling.
#[derive(Debug, Clone)]
pub struct NavigateOptions {
    /// Replace the current history entry instead of adding one.
    pub replace: bool,
    /// Scroll to the top of the page afterwards.
    pub scroll: bool,
    /// The history entry's state (a string, never a secret: history state outlives the page).
    pub state: Option<String>,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        Self {
            replace: false,
            scroll: true,
            state: None,
        }
    }
}

/// Whether a Back or Forward may leave the address shown ([`Router::ask_before_leaving`]).
type LeaveCheck = std::rc::Rc<dyn Fn() -> bool>;

/// The router; `Copy`, provided by [`provide_router`].
#[derive(Clone, Copy)]
pub struct Router {
    address: RwSignal<Address>,
    /// Whether the page itself moved to the address shown ([`redirect`]), not the person.
    redirected: StoredValue<bool>,
    /// Whether the address shown came from Back or Forward.
    traversed: StoredValue<bool>,
    /// The query the dashboard last showed (its search, filters, sort and page).
    dashboard_search: StoredValue<String>,
    /// Asked before a Back or Forward leaves the address shown, the latest first (see
    /// [`Router::ask_before_leaving`]).
    leave_checks: StoredValue<Vec<(u32, LeaveCheck)>, LocalStorage>,
    /// Whether the `popstate` being handled was answered by staying ([`Router::stayed`]).
    stayed: StoredValue<bool>,
}

impl Router {
    /// The current address (tracked).
    pub fn address(&self) -> Address {
        self.address.get()
    }

    /// Reads the current address (tracked) without cloning it.
    pub fn with<T>(&self, f: impl FnOnce(&Address) -> T) -> T {
        self.address.with(f)
    }

    /// Reads the current address (untracked).
    pub fn with_untracked<T>(&self, f: impl FnOnce(&Address) -> T) -> T {
        self.address.with_untracked(f)
    }

    /// The dashboard as the person last saw it, for the links back to it from other pages.
    pub fn dashboard_href(&self) -> String {
        format!("/{}", self.dashboard_search())
    }

    /// The query of the dashboard as the person last saw it (`?…`, or empty).
    pub fn dashboard_search(&self) -> String {
        self.dashboard_search.get_value()
    }

    /// Shows `next`; `redirected` and `traversed` as [`Router::redirected`] and
    /// [`Router::traversed`] say.
    fn show(&self, next: Address, redirected: bool, traversed: bool) {
        if next.path == "/" {
            self.dashboard_search.set_value(next.search.clone());
        }
        self.redirected.set_value(redirected);
        self.traversed.set_value(traversed);
        self.address.set(next);
    }

    /// Whether the address shown is where a [`redirect`] sent the page.
    pub fn redirected(&self) -> bool {
        self.redirected.get_value()
    }

    /// Whether the address shown came from Back or Forward, not a link or the page.
    pub fn traversed(&self) -> bool {
        self.traversed.get_value()
    }

    /// Whether the page stayed in answer to the `popstate` being handled: listeners after the
    /// router's see the page's own address again, and must not take it for a Back onto it.
    pub fn stayed(&self) -> bool {
        self.stayed.get_value()
    }

    /// Until the calling owner is cleaned up, a Back or Forward that would leave the address
    /// shown asks `go` first, however many entries it crosses (the Back button's menu, or an
    /// entry the browser skips). When `go` says no, the page stays: its address is pushed again
    /// on top of the entry the person landed on, so the entries after that one (the page's own
    /// among them) are dropped, as with any new navigation. The page's own navigations are not
    /// asked about: it decides those itself. Views within views may each ask; the innermost,
    /// the latest to ask, is asked first.
    pub fn ask_before_leaving(&self, go: impl Fn() -> bool + 'static) {
        thread_local! {
            static ASKED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
        }
        let n = ASKED.with(|a| {
            a.set(a.get().wrapping_add(1));
            a.get()
        });
        self.leave_checks
            .update_value(|c| c.push((n, std::rc::Rc::new(go) as LeaveCheck)));
        let leave_checks = self.leave_checks;
        on_cleanup(move || {
            // Only its own: the others' views still stand.
            leave_checks.try_update_value(|c| c.retain(|(m, _)| *m != n));
        });
    }

    /// Goes to `href`, a path of this console with an optional query. Going to the address
    /// already shown adds no history entry and keeps the entry's state unless given one.
    pub fn navigate(&self, href: &str, options: NavigateOptions) {
        self.go(href, options, false);
    }

    fn go(&self, href: &str, options: NavigateOptions, redirect: bool) {
        let (Ok(history), Some(next)) = (window().history(), Address::parse(href)) else {
            return;
        };
        let same = self.address.with_untracked(|a| *a == next);
        let state = match options.state.as_deref() {
            Some(state) => JsValue::from_str(state),
            None if same => history.state().unwrap_or(JsValue::NULL),
            None => JsValue::NULL,
        };
        let written = if options.replace || same {
            history.replace_state_with_url(&state, "", Some(href))
        } else {
            history.push_state_with_url(&state, "", Some(href))
        };
        if written.is_err() {
            return;
        }
        if !same {
            self.show(next, redirect, false);
        }
        if options.scroll {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// Starts following the browser's address: Back and Forward, and clicks on links to this
/// console's own pages (which then load no page, as with any single-page app). Listeners go
/// with the calling owner.
pub fn provide_router() -> Router {
    let here = Address::current();
    let router = Router {
        dashboard_search: StoredValue::new(if here.path == "/" {
            here.search.clone()
        } else {
            String::new()
        }),
        address: RwSignal::new(here),
        redirected: StoredValue::new(false),
        traversed: StoredValue::new(false),
        leave_checks: StoredValue::new_local(Vec::new()),
        stayed: StoredValue::new(false),
    };
    provide_context(router);
    let popstate = window_event_listener(ev::popstate, move |_| {
        router.stayed.set_value(false);
        let now = Address::current();
        let shown = router.address.get_untracked();
        if shown == now {
            return;
        }
        // The latest view's check first; one that says no keeps the page, and asks no more.
        let checks = router
            .leave_checks
            .with_value(|c| c.iter().rev().map(|(_, go)| go.clone()).collect::<Vec<_>>());
        if !checks.iter().all(|go| go()) {
            if let Ok(history) = window().history() {
                let href = format!("{}{}", shown.path, shown.search);
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&href));
            }
            router.stayed.set_value(true);
            return;
        }
        router.show(now, false, true);
    });
    let click = window_event_listener(ev::click, move |e| {
        if let Some(href) = own_link(&e) {
            e.prevent_default();
            let state = clicked_link(&e).and_then(|a| a.get_attribute(HISTORY_STATE));
            router.navigate(
                &href,
                NavigateOptions {
                    state,
                    ..Default::default()
                },
            );
        }
    });
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    router
}

/// The router of the app.
pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// Navigation, as a function to hand to callbacks.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    let router = use_router();
    move |href: &str, options: NavigateOptions| router.navigate(href, options)
}

/// Goes to `path` in place of the current entry, once the view that asks is on screen.
pub fn redirect(path: String) -> impl IntoView {
    let router = use_router();
    Effect::new(move |_| {
        router.go(
            &path,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
            true,
        )
    });
}
