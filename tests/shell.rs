//! Browser tests of the application shell.
#![cfg(target_arch = "wasm32")]

mod common;

use apikeys_console::app::App;
use apikeys_console::config::RuntimeConfig;
use common::*;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn shell_mounts_with_header_main_and_status_region() {
    go_to("/");
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        view! { <App config=RuntimeConfig::default()/> }
    });
    eventually("header rendered", || {
        root.query_selector("header.app-header").unwrap().is_some()
    })
    .await;
    assert!(root.query_selector("main#main").unwrap().is_some());
    let status = root.query_selector("[role=status]").unwrap().unwrap();
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    assert!(text(&root).contains("API Keys"));
    assert!(!text(&root).contains("Page not found"));
    let current = root.query_selector("nav a[aria-current=page]").unwrap();
    assert!(
        current.is_some(),
        "the dashboard's link is marked as the page shown"
    );
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

/// How the pages load (`components::load::Loaded`): the latest run's answer wins, the answer on
/// screen stays while the next loads, a signal the loader reads starts a new run, and an answer
/// that arrives after its view has gone is dropped without harm.
#[wasm_bindgen_test]
async fn a_loader_shows_the_latest_answer_and_outlives_nothing() {
    use apikeys_console::components::load::Loaded;
    use std::cell::Cell;
    use std::rc::Rc;

    trap_errors();
    // Each run answers its own number, after the delay set for it.
    let runs = Rc::new(Cell::new(0u32));
    let delay = Rc::new(Cell::new(300));
    let made = Rc::new(Cell::new(None));
    let handle = {
        let (runs, delay, made) = (runs.clone(), delay.clone(), made.clone());
        leptos::mount::mount_to(container(), move || {
            let input = RwSignal::new(0u32);
            let (runs, delay) = (runs.clone(), delay.clone());
            let loaded = Loaded::new(move || {
                input.track();
                runs.set(runs.get() + 1);
                let (run, ms) = (runs.get(), delay.get());
                async move {
                    sleep(ms).await;
                    run
                }
            });
            made.set(Some((input, loaded)));
        })
    };
    let (input, loaded) = made.get().unwrap();
    eventually("the first run", || runs.get() == 1).await;
    assert_eq!(loaded.get(), None);

    // A second run overtakes the slow first: its answer shows, the first's never does.
    delay.set(20);
    loaded.refetch();
    eventually("the second answer", || loaded.get() == Some(2)).await;
    sleep(400).await;
    assert_eq!(loaded.get(), Some(2), "an older answer came back");

    // Loading again keeps the answer until the new one.
    delay.set(100);
    loaded.refetch();
    eventually("the third run", || runs.get() == 3).await;
    assert_eq!(loaded.get(), Some(2));
    eventually("the third answer", || loaded.get() == Some(3)).await;

    // A signal the loader read starts a run of its own.
    delay.set(20);
    input.set(1);
    eventually("the fourth answer", || loaded.get() == Some(4)).await;

    // The view goes while a run is out.
    delay.set(200);
    loaded.refetch();
    eventually("the fifth run", || runs.get() == 5).await;
    drop(handle);
    sleep(300).await;
    assert_eq!(trapped_errors(), "", "an answer after its view went");
    assert_eq!(runs.get(), 5, "a run started after its view went");
}
