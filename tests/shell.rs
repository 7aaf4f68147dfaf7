//! Browser tests of the application shell.
#![cfg(target_arch = "wasm32")]

mod common;

use apikeys_console::app::App;
use apikeys_console::config::RuntimeConfig;
use common::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A developer signed in, with one key.
fn with_one_key() {
    install_fake_fetch(
        &serde_json::json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
        })
        .to_string(),
    );
}

#[wasm_bindgen_test]
async fn shell_mounts_with_header_main_and_status_region() {
    with_one_key();
    let (root, _handle) = mount_app("/");
    eventually("header rendered", || {
        root.query_selector("header.app-header").unwrap().is_some()
    })
    .await;
    assert!(root.query_selector("main#main").unwrap().is_some());
    let status = root
        .query_selector("#announcer[role=status]")
        .unwrap()
        .unwrap();
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    assert!(text(&root).contains("API Keys"));
    assert!(!text(&root).contains("Page not found"));
    eventually("the dashboard's link, marked as the page shown", || {
        root.query_selector("nav a[aria-current=page]")
            .unwrap()
            .is_some()
    })
    .await;
    // The dashboard's tools come after its first frame: not left to start in the next test.
    eventually("the dashboard settled", || {
        root.query_selector(".toolbar").unwrap().is_some()
            && root
                .query_selector(".toolbar[aria-busy=true]")
                .unwrap()
                .is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn unknown_route_renders_not_found() {
    go_to("/definitely/not/a/route");
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        view! { <App config=RuntimeConfig::default()/> }
    });
    eventually("not-found page", || text(&root).contains("Page not found")).await;
    let link = root.query_selector("main a[href='/']").unwrap();
    assert!(link.is_some(), "NotFound offers a way home");
    let current = root.query_selector("nav a[aria-current]").unwrap();
    assert!(current.is_none(), "no page of the navigation is shown");
    go_to("/");
}

/// How the pages load (`components::load::Loaded`): runs go one at a time and in order, so what
/// one does on its way is never overtaken by an older one; calls made during a run make one run
/// after it; the answer on screen stays while the next loads; a signal the loader reads starts a
/// run; and nothing runs or is written once the view has gone.
#[wasm_bindgen_test]
async fn a_loader_runs_one_at_a_time_and_outlives_nothing() {
    use apikeys_console::components::load::Loaded;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    trap_errors();
    // Each call numbers its run; a run logs its number when it starts and when it ends (what
    // the key list's rows are: a write on the way), after the delay set for it.
    let calls = Rc::new(Cell::new(0u32));
    let delay = Rc::new(Cell::new(300));
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let made = Rc::new(Cell::new(None));
    let handle = {
        let (calls, delay, log, made) = (calls.clone(), delay.clone(), log.clone(), made.clone());
        leptos::mount::mount_to(container(), move || {
            let input = RwSignal::new(0u32);
            let (calls, delay, log) = (calls.clone(), delay.clone(), log.clone());
            let loaded = Loaded::new(move || {
                input.track();
                calls.set(calls.get() + 1);
                let (run, ms, log) = (calls.get(), delay.get(), log.clone());
                async move {
                    log.borrow_mut().push(format!("start {run}"));
                    sleep(ms).await;
                    log.borrow_mut().push(format!("end {run}"));
                    run
                }
            });
            made.set(Some((input, loaded)));
        })
    };
    let (input, loaded) = made.get().unwrap();
    eventually("the first run", || calls.get() == 1).await;
    assert_eq!(loaded.get(), None);

    // Two calls while the slow first run is out: one run after it, the last call's.
    delay.set(20);
    loaded.refetch();
    sleep(10).await;
    loaded.refetch();
    eventually("the third call's answer", || loaded.get() == Some(3)).await;
    assert_eq!(
        *log.borrow(),
        ["start 1", "end 1", "start 3", "end 3"],
        "runs overlapped or a call was run twice"
    );

    // Loading again keeps the answer until the new one.
    delay.set(100);
    loaded.refetch();
    eventually("the fourth call", || calls.get() == 4).await;
    assert_eq!(loaded.get(), Some(3));
    eventually("the fourth answer", || loaded.get() == Some(4)).await;

    // A signal the loader read starts a run of its own.
    delay.set(20);
    input.set(1);
    eventually("the fifth answer", || loaded.get() == Some(5)).await;

    // The view goes while a run is out, with a call waiting behind it.
    delay.set(200);
    loaded.refetch();
    eventually("the sixth call", || calls.get() == 6).await;
    loaded.refetch();
    eventually("the seventh call, waiting", || calls.get() == 7).await;
    drop(handle);
    sleep(500).await;
    assert!(
        input.try_get_untracked().is_none(),
        "the view's owner was not disposed"
    );
    loaded.refetch();
    assert!(input.try_set(2).is_some());
    sleep(100).await;
    assert_eq!(calls.get(), 7, "a call after the view went");
    assert_eq!(
        log.borrow().last().map(String::as_str),
        Some("end 6"),
        "a run started after the view went"
    );
    assert_eq!(trapped_errors(), "", "an answer after its view went");
}

/// "Skip to content" moves the focus to the main region and leaves the address and the history
/// as they were: Back then leaves the page, not the jump.
#[wasm_bindgen_test]
async fn skip_to_content_focuses_main_and_adds_no_history_entry() {
    with_one_key();
    let (root, _handle) = mount_app("/");
    eventually("the row", || text(&root).contains("onq.AAA")).await;
    let window = web_sys::window().unwrap();
    let entries = window.history().unwrap().length().unwrap();
    let skip: web_sys::HtmlElement = find(&root, "a.skip-link").unwrap().unchecked_into();
    skip.click();
    sleep(50).await;
    assert_eq!(window.location().hash().unwrap(), "");
    assert_eq!(window.location().pathname().unwrap(), "/");
    assert_eq!(window.history().unwrap().length().unwrap(), entries);
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("main")
    );
}

#[wasm_bindgen_test]
async fn config_json_is_taken_from_the_page_and_given_up_when_it_never_answers() {
    use apikeys_console::config::load_within;
    hand_off("config", r#"{"body": {"poll_interval_ms": 700}}"#);
    let config = load_within(5_000).await;
    assert_eq!(config.map(|c| c.poll_interval_ms), Ok(700));
    // `index.html`'s request has no deadline: the app's ends the wait with the error page.
    hand_off("config", r#"{"never": true}"#);
    let config = finishes_within(
        5_000,
        "the app still waits for config.json after 5 s",
        load_within(50),
    )
    .await;
    clear_hand_off();
    assert_eq!(
        config.map_err(|e| e.to_string()),
        Err("config.json could not be loaded: no answer in time".to_owned())
    );
}

#[wasm_bindgen_test]
async fn an_answer_from_the_page_whose_body_stops_half_way_is_given_up_at_its_deadline() {
    hand_off("keys", r#"{"body_stalls": true}"#);
    let answer = finishes_within(
        5_000,
        "the app still reads the page's answer after 5 s",
        apikeys_console::api::handed_off("keys", 50, None),
    )
    .await;
    clear_hand_off();
    assert!(answer.is_none(), "a body cut short is no answer");
}
