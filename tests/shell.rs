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
