//! Browser tests of the console's router: the route table, the query, links and history.
#![cfg(target_arch = "wasm32")]

mod common;

use apikeys_console::pages::create_key::draft::Step;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use apikeys_console::router::{lazy_view, provide_router, Address, NavigateOptions, Shown};
use apikeys_console::routes::Route;
use common::*;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_route_table_reads_every_page_address() {
    let dashboard = |delete: Option<&str>| Route::Dashboard {
        delete: delete.map(str::to_owned),
    };
    let cases = [
        ("/", dashboard(None)),
        ("/sign-in", Route::SignIn),
        ("/sign-in/", Route::SignIn),
        ("/keys/new", Route::Wizard(None)),
        ("/keys/new/", Route::Wizard(None)),
        (
            "/keys/new/application",
            Route::Wizard(Some(Step::Application)),
        ),
        ("/keys/new/arx", Route::Wizard(Some(Step::Arx))),
        ("/keys/new/summary", Route::Wizard(Some(Step::Summary))),
        ("/keys/new/key", Route::Wizard(Some(Step::Key))),
        ("/keys/new/other", Route::NotFound),
        ("/keys/apikey--1", Route::KeyDetail("apikey--1".into())),
        ("/keys/a%20b%2Fc", Route::KeyDetail("a b/c".into())),
        ("/keys/%E0%A4%A", Route::KeyDetail("%E0%A4%A".into())),
        ("/keys/apikey--1/delete", dashboard(Some("apikey--1"))),
        ("/keys", Route::NotFound),
        ("/keys/", Route::NotFound),
        ("/keys//delete", Route::NotFound),
        ("/keys/apikey--1/delete/more", Route::NotFound),
        ("/sign-in/more", Route::NotFound),
        ("//", Route::NotFound),
        ("/definitely/not/a/route", Route::NotFound),
    ];
    for (path, route) in cases {
        assert_eq!(Route::of(path), route, "{path}");
    }
    // Moving between a page's nested views keeps the page.
    assert_eq!(
        Route::of("/keys/apikey--1/delete").frame(),
        Route::of("/").frame()
    );
    assert_eq!(
        Route::of("/keys/new/arx").frame(),
        Route::of("/keys/new").frame()
    );
    assert_ne!(Route::of("/keys/a").frame(), Route::of("/keys/b").frame());
}

#[wasm_bindgen_test]
fn the_query_is_read_as_url_search_params_reads_it() {
    let at = Address {
        path: "/".into(),
        search: "?q=a%20b&plus=1+2&flag&mark=%E2%9C%93&bad=%E0%A4%A&q=second".into(),
    };
    assert_eq!(at.query("q").as_deref(), Some("a b"), "the first of two");
    assert_eq!(at.query("plus").as_deref(), Some("1 2"));
    assert_eq!(at.query("flag").as_deref(), Some(""));
    assert_eq!(at.query("mark").as_deref(), Some("✓"));
    assert_eq!(
        at.query("bad").as_deref(),
        Some("%E0%A4%A"),
        "kept as it is"
    );
    assert_eq!(at.query("missing"), None);
    let bare = Address {
        path: "/".into(),
        search: String::new(),
    };
    assert_eq!(bare.query("q"), None);
}

/// Clicks `el` (with Ctrl when `ctrl`); true when the router took the click (prevented the
/// browser's navigation). The browser never follows the link: a listener after the router's
/// prevents it.
fn click(el: &web_sys::Element, ctrl: bool) -> bool {
    let taken = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = taken.clone();
    let after = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |e: web_sys::MouseEvent| {
        seen.set(e.default_prevented());
        e.prevent_default();
    });
    window()
        .add_event_listener_with_callback("click", after.as_ref().unchecked_ref())
        .unwrap();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_ctrl_key(ctrl);
    let e = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&e).unwrap();
    window()
        .remove_event_listener_with_callback("click", after.as_ref().unchecked_ref())
        .unwrap();
    taken.get()
}

#[wasm_bindgen_test]
async fn own_links_move_the_page_and_history_while_others_are_left_to_the_browser() {
    go_to("/start");
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), || {
        let router = provide_router();
        let go_same = move |_| router.navigate("/keys/./x?q=1", NavigateOptions::default());
        let go_with_state = move |_| {
            router.navigate(
                "/keys/new/key",
                NavigateOptions {
                    state: Some("apikey--7".into()),
                    ..Default::default()
                },
            )
        };
        let go_again = move |_| router.navigate("/keys/new/key", NavigateOptions::default());
        view! {
            <p id="at">{move || router.with(|a| format!("{}{}", a.path, a.search))}</p>
            <a id="own" href="/keys/x?q=1"><span id="inner">"own"</span></a>
            <a id="blank" href="/keys/y" target="_blank">"new tab"</a>
            <a id="download" href="/file.json" download="file.json">"file"</a>
            <a id="external" href="https://example.com/keys">"elsewhere"</a>
            <a id="fragment" href="#main">"skip"</a>
            <a id="marked" href="/keys/m" data-history-state="opened-here">"marked"</a>
            <button id="same" on:click=go_same>"same"</button>
            <button id="state" on:click=go_with_state>"state"</button>
            <button id="again" on:click=go_again>"again"</button>
        }
    });
    let find = |sel: &str| root.query_selector(sel).unwrap().unwrap();
    let at = || find("#at").text_content().unwrap_or_default();
    let history = window().history().unwrap();
    eventually("the address shown", || at() == "/start").await;

    // A plain click inside an own link: the page moves, with a history entry.
    let entries = history.length().unwrap();
    assert!(
        click(&find("#inner"), false),
        "the router takes a plain click"
    );
    eventually("the page at the link", || at() == "/keys/x?q=1").await;
    assert_eq!(window().location().pathname().unwrap(), "/keys/x");
    assert_eq!(history.length().unwrap(), entries + 1);

    // New tabs, downloads, other origins and fragments are the browser's.
    assert!(!click(&find("#own"), true), "a Ctrl-click opens a new tab");
    for id in ["#blank", "#download", "#external", "#fragment"] {
        assert!(!click(&find(id), false), "{id} is left to the browser");
    }
    assert_eq!(at(), "/keys/x?q=1");

    // Going to the address shown adds no entry.
    find("#same")
        .unchecked_ref::<web_sys::HtmlElement>()
        .click();
    assert_eq!(history.length().unwrap(), entries + 1);

    // The entry's state is what the navigation gave.
    find("#state")
        .unchecked_ref::<web_sys::HtmlElement>()
        .click();
    eventually("the page at step 4", || at() == "/keys/new/key").await;
    assert_eq!(
        history.state().unwrap().as_string().as_deref(),
        Some("apikey--7")
    );

    // Back and Forward move the page.
    history.back().unwrap();
    eventually("back at the link's page", || at() == "/keys/x?q=1").await;
    history.back().unwrap();
    eventually("back at the start", || at() == "/start").await;
    history.forward().unwrap();
    eventually("forward again", || at() == "/keys/x?q=1").await;

    // A link may name the state of the entry it opens; a plain one gives none.
    assert!(history.state().unwrap().is_null());
    assert!(click(&find("#marked"), false));
    eventually("the marked link's page", || at() == "/keys/m").await;
    assert_eq!(
        history.state().unwrap().as_string().as_deref(),
        Some("opened-here")
    );

    drop(handle);
    go_to("/");
}

#[wasm_bindgen_test]
async fn a_page_fetched_on_demand_shows_its_wait_until_ready() {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), || {
        let load = |shown: Shown| async move {
            sleep(150).await;
            shown
                .is_shown()
                .then(|| view! { <p id="ready">"ready"</p> }.into_any())
        };
        lazy_view(load, || view! { <p id="waiting">"waiting"</p> })
    });
    let has = |sel: &str| root.query_selector(sel).unwrap().is_some();
    eventually("the wait shown", || has("#waiting")).await;
    assert!(!has("#ready"));
    eventually("the page shown", || has("#ready")).await;
    assert!(!has("#waiting"), "the wait gives way to the page");
    drop(handle);
}

/// A view fetched on demand under `/a` whose code arrives 100 ms later; `built` says whether
/// it was built.
fn held_view(built: Arc<AtomicBool>) -> impl IntoView {
    let load = move |shown: Shown| async move {
        sleep(100).await;
        if !shown.is_shown() {
            return None;
        }
        built.store(true, Ordering::Relaxed);
        Some(view! { <p id="late">"late"</p> }.into_any())
    };
    lazy_view(load, || ())
}

#[wasm_bindgen_test]
async fn a_page_left_before_its_code_arrives_is_not_built() {
    // `direct`: the view that asked is redrawn (its owner lives on, cleaned up);
    // otherwise the page around it goes (as the dashboard around its delete dialog).
    for direct in [true, false] {
        go_to("/a");
        let built = Arc::new(AtomicBool::new(false));
        let root = container();
        let handle = {
            let built = built.clone();
            leptos::mount::mount_to(root.clone(), move || {
                let router = provide_router();
                let at_a = Memo::new(move |_| router.with(|a| a.path == "/a"));
                move || {
                    let built = built.clone();
                    if direct {
                        at_a.get().then(|| held_view(built)).into_any()
                    } else {
                        at_a.get()
                            .then(|| {
                                let open = Memo::new(move |_| router.with(|a| a.path.len() > 1));
                                move || open.get().then(|| held_view(built.clone()))
                            })
                            .into_any()
                    }
                }
            })
        };
        sleep(10).await;
        follow_link(&root, "/");
        sleep(200).await;
        assert!(
            !built.load(Ordering::Relaxed),
            "nothing built once the address has moved on (direct: {direct})"
        );
        assert!(root.query_selector("#late").unwrap().is_none());
        drop(handle);
    }
    go_to("/");
}

/// Follows a link to `href` from inside `root`, as a person would.
fn follow_link(root: &web_sys::HtmlElement, href: &str) {
    let a = document().create_element("a").unwrap();
    a.set_attribute("href", href).unwrap();
    root.append_child(&a).unwrap();
    a.unchecked_ref::<web_sys::HtmlElement>().click();
    a.remove();
}
