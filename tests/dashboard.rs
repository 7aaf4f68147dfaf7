//! Browser tests of the dashboard's states and the copy button, against a fake platform.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use apikeys_console::config::RuntimeConfig;
use common::*;
use leptos::prelude::document;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlButtonElement;

wasm_bindgen_test_configure!(run_in_browser);

fn with_list(list: serde_json::Value) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": list,
            "GET /api/tenants/tenant--t/keys/apikey--p": [
                {"body": ok(key("apikey--p", "onq.PPP", "pending", "Portal", false))},
                {"body": ok(key("apikey--p", "onq.PPP", "active", "Portal", true))}
            ],
        })
        .to_string(),
    );
}

/// A tenant with one active key, `onq.AAA` of Payments, answered at once.
fn with_one_key() {
    with_list(
        json!([{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}]),
    );
}

/// A key never used shows a dash, and says in words what it means to a screen reader.
#[wasm_bindgen_test]
async fn a_key_never_used_says_so_in_words() {
    with_one_key();
    let (root, _h) = mount_app("/");
    eventually("the row", || find(&root, "tbody tr").is_some()).await;
    let cell = find(&root, "tbody tr td[data-label='Last used']").unwrap();
    let dash = cell.query_selector("[aria-hidden=true]").unwrap().unwrap();
    assert_eq!(dash.text_content().as_deref(), Some("—"));
    let words = cell.query_selector(".visually-hidden").unwrap().unwrap();
    assert_eq!(
        words.text_content().as_deref(),
        Some("Never used or not reported")
    );
    assert!(cell.query_selector("[aria-label]").unwrap().is_none());
}

/// A request tried again after a failure that may pass is said to be, whatever page waits for
/// it, and the words go with the retry.
#[wasm_bindgen_test]
async fn a_request_tried_again_is_said_to_be_until_it_is_answered() {
    with_list(json!([
        {"network_error": true},
        {"delay": 800, "body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}
    ]));
    let (root, _h) = mount_app("/");
    let notice = || {
        find(&root, "[data-testid=still-trying][role=status]")
            .expect("the status region is always in the page")
            .text_content()
            .unwrap_or_default()
    };
    assert_eq!(notice(), "", "nothing said before a retry");
    eventually("said while tried again", || {
        notice() == "Still trying to reach the platform…"
    })
    .await;
    assert!(find(&root, "tbody tr").is_none(), "still loading");
    eventually("the rows", || find(&root, "tbody tr").is_some()).await;
    eventually("no longer said", || notice().is_empty()).await;
}

/// The polls of a pending key on screen are tried again in silence: during an outage, "Still
/// trying…" would be said anew with every poll, for as long as the key is watched.
#[wasm_bindgen_test]
async fn a_poll_tried_again_is_not_said_to_be() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--p", "onq.PPP", "pending", "Portal", false)], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--p": [
                {"network_error": true},
                {"network_error": true},
                {"body": ok(key("apikey--p", "onq.PPP", "active", "Portal", true))}
            ],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    let notice = || {
        find(&root, "[data-testid=still-trying]")
            .and_then(|n| n.text_content())
            .unwrap_or_default()
    };
    let polls = || fake_calls("GET /api/tenants/tenant--t/keys/apikey--p");
    let settled = || find(&root, "tr[data-key-id='apikey--p'][data-status=active]").is_some();
    for _ in 0..1_000 {
        assert_eq!(notice(), "", "said after {} polls", polls());
        if settled() {
            break;
        }
        sleep(10).await;
    }
    assert!(settled(), "the key settled");
    assert_eq!(polls(), 3, "the poll was tried again");
}

#[wasm_bindgen_test]
async fn a_skeleton_shows_while_loading() {
    with_list(json!([{"delay": 500, "body": key_list(vec![], true)}]));
    let (root, _h) = mount_app("/");
    eventually("skeleton", || {
        find(&root, ".page-skeleton").is_some() && text(&root).contains("API keys")
    })
    .await;
    eventually("empty state after load", || {
        text(&root).contains("No API keys yet")
    })
    .await;
    assert!(find(&root, ".page-skeleton").is_none());
}

#[wasm_bindgen_test]
async fn an_empty_tenant_invites_to_create() {
    with_list(json!([{"body": key_list(vec![], true)}]));
    let (root, _h) = mount_app("/");
    eventually("empty state", || text(&root).contains("No API keys yet")).await;
    assert!(text(&root).contains("Create your first API key"));
}

#[wasm_bindgen_test]
async fn no_results_offers_to_clear_the_filter() {
    with_one_key();
    let (root, _h) = mount_app("/?q=nothing-matches");
    eventually("no results", || {
        find(&root, "[data-testid=no-results]").is_some()
    })
    .await;
    assert_eq!(
        find(&root, "[role=status][data-testid=empty-said]")
            .and_then(|s| s.text_content())
            .as_deref(),
        Some("No keys match. Nothing matches the current search and filters."),
        "said in a live region, without the panel's buttons"
    );
    let clear: HtmlButtonElement = find(&root, "[data-testid=no-results] button")
        .unwrap()
        .unchecked_into();
    clear.focus().unwrap();
    clear.click();
    eventually("row back", || {
        find(&root, "table.keys-table tbody tr").is_some()
    })
    .await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("key-search"),
        "the focus goes on to the search, not to the page's start"
    );
}

/// A search reads accents as a person types them, or not: "jose" finds José, and a name sent
/// decomposed (e and a combining acute) is found as one sent composed.
#[wasm_bindgen_test]
async fn a_search_finds_names_with_or_without_their_accents() {
    with_list(json!([{"body": key_list(vec![
        key("apikey--1", "onq.AAA", "active", "José's app", true),
        key("apikey--2", "onq.BBB", "active", "Rene\u{301}e", true),
        key("apikey--3", "onq.CCC", "active", "Payments", true),
    ], true)}]));
    let (root, _h) = mount_app("/");
    tools_live(&root).await;
    let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    let listed = || {
        let rows = root.query_selector_all("tr[data-key-id]").unwrap();
        let mut ids: Vec<String> = (0..rows.length())
            .filter_map(|i| {
                rows.item(i)?
                    .unchecked_into::<web_sys::Element>()
                    .get_attribute("data-key-id")
            })
            .collect();
        ids.sort();
        ids
    };
    for (typed, want) in [
        ("jose", vec!["apikey--1"]),
        ("JOSÉ", vec!["apikey--1"]),
        ("renée", vec!["apikey--2"]),
        ("renee", vec!["apikey--2"]),
    ] {
        type_into(&input, typed);
        eventually(&format!("{typed} finds {want:?}"), || listed() == want).await;
    }
}

/// A search that only a deleted key matches (an API key pasted from a log) says so, and shows
/// the deleted keys on request, rather than "No keys match" with nothing to reveal it.
#[wasm_bindgen_test]
async fn a_search_only_a_deleted_key_matches_offers_to_show_it() {
    with_list(json!([{"body": key_list(vec![
        key("apikey--1", "onq.AAA", "active", "Payments", true),
        key("apikey--2", "onq.DDD", "deleted", "Payments", false),
    ], true)}]));
    let (root, _h) = mount_app("/");
    tools_live(&root).await;
    let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    type_into(&input, "onq.ddd");
    eventually("the panel says a deleted key matches", || {
        find(&root, "[data-testid=no-results]")
            .and_then(|p| p.text_content())
            .is_some_and(|t| t.contains("a deleted key does"))
    })
    .await;
    let show: HtmlButtonElement = root
        .query_selector_all("[data-testid=no-results] button")
        .ok()
        .and_then(|all| {
            (0..all.length())
                .filter_map(|i| all.item(i))
                .find(|b| b.text_content().as_deref() == Some("Show deleted keys"))
        })
        .expect("a way to show it")
        .unchecked_into();
    show.click();
    eventually("the deleted key listed", || {
        find(&root, "tr[data-key-id='apikey--2']").is_some()
    })
    .await;
    assert!(
        location_search().contains("deleted=1"),
        "{}",
        location_search()
    );
}

/// The search field takes no more than the address keeps, so nothing typed is cut off once the
/// search reaches the address; as long as that, it is kept whole.
#[wasm_bindgen_test]
async fn the_search_field_takes_no_more_than_the_address_keeps() {
    with_one_key();
    let (root, _h) = mount_app("/");
    tools_live(&root).await;
    let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    assert_eq!(input.max_length(), 200);
    let longest = "é".repeat(200);
    type_into(&input, &longest);
    eventually("the search in the URL", || location_search().contains("q=")).await;
    sleep(50).await;
    assert_eq!(input.value(), longest);
}

/// "Clear filters" after a search typed into the live toolbar clears what was typed too, whether
/// or not the search has reached the URL yet: the typed text must not come back over the cleared
/// view (the URL back at the view it was typed over).
#[wasm_bindgen_test]
async fn clear_filters_clears_a_typed_search_before_and_after_it_reaches_the_url() {
    for wait_for_url in [false, true] {
        with_one_key();
        let (root, _h) = mount_app("/");
        tools_live(&root).await;
        let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
        type_into(&input, "zzzz");
        eventually("no results", || {
            find(&root, "[data-testid=no-results]").is_some()
        })
        .await;
        if wait_for_url {
            eventually("the search in the URL", || {
                location_search().contains("q=zzzz")
            })
            .await;
        }
        let clear: HtmlButtonElement = find(&root, "[data-testid=no-results] button")
            .unwrap()
            .unchecked_into();
        clear.click();
        eventually("the row back", || {
            find(&root, "table.keys-table tbody tr").is_some()
        })
        .await;
        // Past the moment a typed search would have reached the URL.
        sleep(500).await;
        assert!(
            find(&root, "[data-testid=no-results]").is_none(),
            "waited for the URL: {wait_for_url}"
        );
        assert_eq!(input.value(), "", "waited for the URL: {wait_for_url}");
        assert!(!location_search().contains("q="), "{}", location_search());
    }
}

#[wasm_bindgen_test]
async fn a_tenant_whose_keys_are_all_deleted_says_so_and_shows_them_on_request() {
    with_list(
        json!([{"body": key_list(vec![key("apikey--d", "onq.DDD", "deleted", "Old app", false)], true)}]),
    );
    let (root, _h) = mount_app("/");
    eventually("the all-deleted state", || {
        find(&root, "[data-testid=all-deleted]").is_some()
    })
    .await;
    assert!(text(&root).contains("No API keys in use"));
    assert!(
        find(&root, "[data-testid=no-results]").is_none(),
        "no filter to clear"
    );
    tools_live(&root).await;
    let show: HtmlButtonElement = find(&root, "[data-testid=all-deleted] button")
        .unwrap()
        .unchecked_into();
    show.focus().unwrap();
    show.click();
    eventually("the deleted key", || text(&root).contains("onq.DDD")).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("show-deleted"),
        "the focus goes to the box that undoes it, not to the page's start"
    );
}

/// "Clear filters" clicked while the stand-in search field still holds the toolbar's place: the
/// toolbar, taking over what the field holds, must not bring the cleared search back.
#[wasm_bindgen_test]
async fn a_clear_before_the_toolbar_is_live_stays_cleared() {
    clear_over_the_stand_in(None).await;
}

/// The same when text was typed into the stand-in field before the click.
#[wasm_bindgen_test]
async fn a_clear_after_typing_before_the_toolbar_is_live_stays_cleared() {
    clear_over_the_stand_in(Some("more")).await;
}

/// Clicks "Clear filters" the moment it appears over the stand-in field, after typing `typed` into
/// that field, and checks that the search stays cleared once the toolbar takes over.
async fn clear_over_the_stand_in(typed: Option<&'static str>) {
    with_one_key();
    // Clicked in the microtask after the empty state enters the DOM, before the toolbar takes
    // over (in the frame that draws it, or in a task after that frame).
    let clicked = when_in_page("[data-testid=no-results] button", move |button| {
        let stand_in = stand_in_field();
        if let (Some(field), Some(typed)) = (&stand_in, typed) {
            field.set_value(&format!("{}{typed}", field.value()));
        }
        button.unchecked_into::<HtmlButtonElement>().click();
        stand_in.is_some()
    });
    let (root, _h) = mount_app("/?q=nothing-matches");
    assert!(
        clicked.result("clicked").await,
        "the click came while the stand-in field held the toolbar's place"
    );
    tools_live(&root).await;
    sleep(100).await;
    assert!(
        find(&root, "table.keys-table tbody tr").is_some(),
        "the row stays"
    );
    let field: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    assert_eq!(field.value(), "", "the search stays cleared");
}

/// Back or Forward to another search while the stand-in field holds the toolbar's place: the field
/// shows that search at once, and the toolbar keeps it.
#[wasm_bindgen_test]
async fn a_search_changed_by_history_before_the_toolbar_is_live_is_drawn_into_the_stand_in() {
    with_one_key();
    // What the stand-in field was drawn with, as each change arrives.
    let drawn = Rc::new(RefCell::new(None::<Vec<String>>));
    let record = drawn.clone();
    let on_attribute = wasm_bindgen::closure::Closure::<
        dyn FnMut(js_sys::Array, web_sys::MutationObserver),
    >::new(move |records: js_sys::Array, _| {
        for r in records.iter() {
            let target: web_sys::Element = js_sys::Reflect::get(&r, &"target".into())
                .unwrap()
                .unchecked_into();
            let value = target.get_attribute("value").unwrap_or_default();
            record.borrow_mut().get_or_insert_with(Vec::new).push(value);
        }
    });
    let attributes = web_sys::MutationObserver::new(on_attribute.as_ref().unchecked_ref()).unwrap();
    let moved = when_in_page("tbody tr", move |_| {
        let Some(field) = stand_in_field() else {
            return false;
        };
        let options = web_sys::MutationObserverInit::new();
        options.set_attribute_filter(&js_sys::Array::of1(&"value".into()));
        attributes.observe_with_options(&field, &options).unwrap();
        // As the browser does on Back or Forward: the address changes, then `popstate`.
        let window = leptos::prelude::window();
        window
            .history()
            .unwrap()
            .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/?q=pay"))
            .unwrap();
        window
            .dispatch_event(&web_sys::PopStateEvent::new("popstate").unwrap())
            .unwrap();
        true
    });
    let (root, _h) = mount_app("/?q=onq");
    assert!(
        moved.result("moved").await,
        "moved while the stand-in showed"
    );
    tools_live(&root).await;
    assert_eq!(
        drawn.borrow().as_deref(),
        Some(&["pay".to_owned()][..]),
        "the stand-in field was drawn with the search of the history entry"
    );
    let field: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    assert_eq!(field.value(), "pay", "and the toolbar keeps it");
}

/// A sort chosen while the stand-in field holds the toolbar's place leaves what was typed into
/// the field: the toolbar takes it over.
#[wasm_bindgen_test]
async fn a_sort_before_the_toolbar_is_live_keeps_what_was_typed() {
    with_one_key();
    let sorted = when_in_page("tbody tr", |_| {
        let field = stand_in_field();
        if let Some(field) = &field {
            field.set_value("pay");
        }
        let sort: HtmlButtonElement = document()
            .query_selector(".sort-button")
            .unwrap()
            .unwrap()
            .unchecked_into();
        sort.click();
        field.is_some()
    });
    let (root, _h) = mount_app("/");
    assert!(
        sorted.result("sorted").await,
        "typed and sorted while the stand-in field held the toolbar's place"
    );
    tools_live(&root).await;
    let field: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    eventually("the typed search in the toolbar", || field.value() == "pay").await;
    assert!(
        leptos::prelude::window()
            .location()
            .search()
            .unwrap()
            .contains("sort="),
        "the sort holds"
    );
}

#[wasm_bindgen_test]
async fn an_error_shows_the_reference_and_retry_recovers() {
    with_list(json!([
        {"status": 500, "body": err(500, "internal_err", "Something went wrong on the platform")},
        {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}
    ]));
    let (root, _h) = mount_app("/");
    eventually("error panel", || {
        text(&root).contains("could not be loaded")
    })
    .await;
    assert!(text(&root).contains("corr--test"), "correlation id shown");
    assert!(
        find(&root, "[data-testid=create-key]").is_some(),
        "with the list down, the roles decide: Create stays within reach"
    );
    assert!(find(&root, "[data-testid=view-only]").is_none());
    let retry: HtmlButtonElement = find(&root, ".error-panel button").unwrap().unchecked_into();
    retry.focus().unwrap();
    retry.click();
    eventually("recovered", || text(&root).contains("onq.AAA")).await;
    // The button went with the panel; the focus goes on to the page, not to its start.
    eventually("the focus on the page's heading", || {
        document().active_element().is_some_and(|a| {
            a.tag_name() == "H1" && a.text_content().as_deref() == Some("API keys")
        })
    })
    .await;
}

/// Contract §2.1: a refusal, not only a failure, carries the reference a person quotes.
#[wasm_bindgen_test]
async fn a_refusal_shows_its_reference_too() {
    with_list(json!([
        {"status": 403, "body": err(403, "internal_authz_err", "You may not list keys here")},
    ]));
    let (root, _h) = mount_app("/");
    eventually("error panel", || {
        text(&root).contains("You may not list keys here")
    })
    .await;
    assert!(text(&root).contains("corr--test"), "correlation id shown");
}

#[wasm_bindgen_test]
async fn a_list_that_does_not_come_times_out_and_retry_recovers() {
    let (root, _h) = mount_with_a_late_list(4);
    eventually("timeout shown", || {
        text(&root).contains("took too long to answer")
    })
    .await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        4,
        "the first request and three retries, each given up at its deadline"
    );
    let retry: HtmlButtonElement = find(&root, ".error-panel button").unwrap().unchecked_into();
    retry.click();
    eventually("recovered", || text(&root).contains("onq.AAA")).await;
}

/// A failure tried again by itself that fails again keeps the panel: the focus stays on its
/// "Try again" and the alert is not read out anew (the new reference shows beside it); a retry
/// pressed there that fails says the words again.
#[wasm_bindgen_test]
async fn a_failure_tried_again_by_itself_keeps_the_panel_and_the_focus() {
    let failing = |corr: &str| {
        json!({"status": 500, "body": {"data": null, "error": {"code": 500, "status": "FAILED",
            "message": "down", "correlation_id": corr, "details": null}}})
    };
    with_list(json!([
        failing("corr--1"),
        failing("corr--2"),
        failing("corr--3")
    ]));
    let (root, _h) = mount_app("/");
    eventually("the failure", || text(&root).contains("corr--1")).await;
    let alert = find(&root, ".error-panel [role=alert]").expect("the alert");
    let said = alert.first_element_child().expect("the alert's words");
    let retry: HtmlButtonElement = find(&root, ".error-panel button").unwrap().unchecked_into();
    retry.focus().unwrap();
    eventually_within(8_000, "tried again by itself", || {
        text(&root).contains("corr--2")
    })
    .await;
    assert!(
        alert.is_connected() && said.is_connected(),
        "the alert kept"
    );
    assert!(!text(&root).contains("corr--1"));
    assert!(
        document().active_element() == Some(retry.clone().unchecked_into()),
        "the focus stays on Try again"
    );
    retry.click();
    eventually("pressed, failed again", || text(&root).contains("corr--3")).await;
    eventually("the words taken out", || !said.is_connected()).await;
    eventually("and put back", || {
        alert
            .text_content()
            .is_some_and(|t| t.contains("The API keys could not be loaded") && t.contains("down"))
    })
    .await;
    assert!(alert.is_connected());
}

/// The dashboard whose list goes unanswered `unanswered` times (each try runs out of its 100 ms;
/// a read and its three retries are four), then comes with `onq.AAA`.
fn mount_with_a_late_list(unanswered: usize) -> (web_sys::HtmlElement, impl Drop) {
    let silent = json!({"delay": 60_000, "body": key_list(vec![], true)});
    let mut answers = vec![silent; unanswered];
    answers.push(json!({"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}));
    with_list(json!(answers));
    let config = RuntimeConfig {
        request_timeout_ms: 100,
        ..test_config()
    };
    mount_app_with("/", config)
}

/// A failure that may pass mends itself: the list is asked for again after a while, without a
/// click, and what the person meanwhile sees is the failure with its "Try again".
#[wasm_bindgen_test]
async fn a_list_that_failed_comes_by_itself_once_the_platform_is_back() {
    let (root, _h) = mount_with_a_late_list(4);
    eventually("the failure", || {
        text(&root).contains("took too long to answer")
    })
    .await;
    assert_eq!(fake_calls("GET /api/tenants/tenant--t/keys"), 4);
    sleep(2_000).await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        4,
        "not asked again at once"
    );
    eventually_within(5_000, "recovered by itself", || {
        text(&root).contains("onq.AAA")
    })
    .await;
    assert_eq!(fake_calls("GET /api/tenants/tenant--t/keys"), 5);
}

/// A list that comes by itself while the focus is on the failure's "Try again" takes the
/// panel away: the focus goes to the page's heading, not to the document's start.
#[wasm_bindgen_test]
async fn a_list_come_by_itself_under_the_focus_keeps_it_on_the_page() {
    let _soon = HastenedTimeouts::new(5_000, 500);
    let (root, _h) = mount_with_a_late_list(4);
    eventually("the failure", || {
        find(&root, ".error-panel button").is_some()
    })
    .await;
    let retry: HtmlButtonElement = find(&root, ".error-panel button").unwrap().unchecked_into();
    retry.focus().unwrap();
    eventually("the list, by itself", || text(&root).contains("onq.AAA")).await;
    eventually("the focus on the heading", || {
        find(&root, "h1").is_some_and(|h| document().active_element() == Some(h))
    })
    .await;
}

/// A failure that would mend by itself is not asked again while a read the person asked for is
/// out: that read's answer decides, and schedules the next try if it fails.
#[wasm_bindgen_test]
async fn a_list_does_not_mend_by_itself_while_a_read_is_out() {
    with_list(json!([
        {"status": 500, "body": err(500, "internal_err", "Something broke")},
        {"delay": 1_500, "body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}
    ]));
    let _soon = HastenedTimeouts::new(5_000, 300);
    let (root, _h) = mount_app("/");
    eventually("the failure", || {
        find(&root, ".error-panel button").is_some()
    })
    .await;
    find(&root, ".error-panel button")
        .unwrap()
        .unchecked_into::<HtmlButtonElement>()
        .click();
    eventually_within(4_000, "the list", || text(&root).contains("onq.AAA")).await;
    sleep(600).await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        2,
        "not asked again by itself while the read was out"
    );
}

/// The list asked for again by itself is a read nobody waits on: its own retries do not say
/// "Still trying…" with every round while the failure lasts (a screen reader would hear it each
/// time); the first read, which the person waits on, does.
#[wasm_bindgen_test]
async fn a_list_mending_by_itself_is_not_said_to_be_tried_again() {
    let _soon = HastenedTimeouts::new(5_000, 300);
    let (root, _h) = mount_with_a_late_list(6);
    let notice = || {
        find(&root, "[data-testid=still-trying]")
            .and_then(|n| n.text_content())
            .unwrap_or_default()
    };
    let calls = || fake_calls("GET /api/tenants/tenant--t/keys");
    eventually("the first read tried again, and said to be", || {
        notice().contains("Still trying")
    })
    .await;
    eventually("the failure", || {
        text(&root).contains("took too long to answer")
    })
    .await;
    assert_eq!(calls(), 4);
    for _ in 0..1_000 {
        if text(&root).contains("onq.AAA") {
            break;
        }
        assert_eq!(notice(), "", "said at call {}", calls());
        sleep(10).await;
    }
    assert!(text(&root).contains("onq.AAA"), "mended by itself");
    assert_eq!(calls(), 7, "the read made by itself was tried again");
}

/// A platform that asks for a wait (`Retry-After`) is not asked for the list again before then,
/// however soon the list would mend by itself otherwise.
#[wasm_bindgen_test]
async fn a_list_refused_with_a_wait_is_asked_again_only_after_it() {
    with_list(json!([
        {"status": 429, "headers": {"retry-after": "20"}, "body": err(429, "internal_rate_limited", "Too many requests")},
        {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}
    ]));
    // The list's own first wait, and the platform's 20 s, made short enough for a test.
    let _own = HastenedTimeouts::new(5_000, 20);
    let _asked = HastenedTimeouts::new(20_000, 1_500);
    let (root, _h) = mount_app("/");
    eventually("the refusal", || {
        text(&root).contains("Try again in 20 seconds")
    })
    .await;
    sleep(600).await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        1,
        "not asked again before the wait"
    );
    eventually_within(5_000, "asked again after it", || {
        text(&root).contains("onq.AAA")
    })
    .await;
    assert_eq!(fake_calls("GET /api/tenants/tenant--t/keys"), 2);
}

/// A key that turns pending while another has been pending for long (deleted in another tab) is
/// asked for after the first poll delay, not after the other's backed-off one.
#[wasm_bindgen_test]
async fn a_key_that_turns_pending_later_is_polled_without_the_others_backoff() {
    let long = "GET /api/tenants/tenant--t/keys/apikey--p";
    let later = "GET /api/tenants/tenant--t/keys/apikey--q";
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [
                {"body": key_list(vec![
                    key("apikey--p", "onq.PPP", "pending", "Portal", false),
                    key("apikey--q", "onq.QQQ", "active", "Payments", true),
                ], true)},
                {"body": key_list(vec![
                    key("apikey--p", "onq.PPP", "pending", "Portal", false),
                    key("apikey--q", "onq.QQQ", "pending", "Payments", false),
                ], true)}
            ],
            long: [{"body": ok(key("apikey--p", "onq.PPP", "pending", "Portal", false))}],
            later: [{"body": ok(key("apikey--q", "onq.QQQ", "deleted", "Payments", false))}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    // The first poll delay is 50 ms, × 1.5 a pass: after 4 s of polls the next is 1.9 s off.
    eventually_within(6_000, "the long-pending key backed off", || {
        fake_calls(long) >= 10
    })
    .await;
    let channel = web_sys::BroadcastChannel::new("onqlave-console-keys").unwrap();
    channel
        .post_message(&r#"{"event":"deleted","id":"apikey--q"}"#.into())
        .unwrap();
    eventually("the list read again", || {
        find(&root, "tr[data-key-id='apikey--q'][data-status=pending]").is_some()
    })
    .await;
    eventually_within(700, "the new pending key asked for soon", || {
        fake_calls(later) >= 1
    })
    .await;
    eventually("and settled", || {
        find(&root, "tr[data-key-id='apikey--q']").is_none()
            || find(&root, "tr[data-key-id='apikey--q'][data-status=deleted]").is_some()
    })
    .await;
}

/// A list asked for before a pending key's poll found it settled, and answered after, puts
/// the key back to pending for one more poll; that is not news: "is now Active" is said once.
#[wasm_bindgen_test]
async fn a_key_settling_again_after_an_older_list_is_said_once() {
    let poll = "GET /api/tenants/tenant--t/keys/apikey--p";
    let list = "GET /api/tenants/tenant--t/keys";
    let pending = || key("apikey--p", "onq.PPP", "pending", "Portal", false);
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            list: [
                {"body": key_list(vec![pending()], true)},
                {"delay": 800, "body": key_list(vec![pending()], true)},
            ],
            poll: [{"delay": 300, "body": ok(key("apikey--p", "onq.PPP", "active", "Portal", true))}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually("the tools live", || {
        find(&root, ".toolbar[role=search]:not([aria-busy=true])").is_some()
    })
    .await;
    // News from another tab: the list is read again, and answered after the poll.
    let channel = web_sys::BroadcastChannel::new("onqlave-console-keys").unwrap();
    channel
        .post_message(&r#"{"event":"created","id":"apikey--x"}"#.into())
        .unwrap();
    eventually("the list asked for again", || fake_calls(list) >= 2).await;
    eventually("said", || {
        announced(&root) == "API key onq.PPP is now Active"
    })
    .await;
    eventually_within(5_000, "polled again after the older list", || {
        fake_calls(poll) >= 2
            && find(&root, "tr[data-key-id='apikey--p'][data-status=active]").is_some()
    })
    .await;
    sleep(100).await;
    assert_eq!(
        announced(&root),
        "API key onq.PPP is now Active",
        "not said a second time"
    );
}

/// A search that matches nothing, typed in the search field, leaves the focus there: only the
/// rows gone from under the focus hand it on.
#[wasm_bindgen_test]
async fn a_search_that_empties_the_table_keeps_the_focus_in_the_field() {
    with_one_key();
    let (root, _h) = mount_app("/");
    eventually("the tools live", || {
        find(&root, ".toolbar[role=search]:not([aria-busy=true])").is_some()
    })
    .await;
    let field: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    field.focus().unwrap();
    type_into(&field, "nothing-matches");
    eventually("no results", || {
        find(&root, "[data-testid=no-results]").is_some()
    })
    .await;
    sleep(100).await;
    assert_eq!(
        document().active_element().map(|a| a.id()).as_deref(),
        Some("key-search")
    );
}

/// Tells the page, as another tab does, that the key `apikey--1` was deleted.
fn tell_deleted_elsewhere() {
    let channel = web_sys::BroadcastChannel::new("onqlave-console-keys").unwrap();
    channel
        .post_message(&r#"{"event":"deleted","id":"apikey--1"}"#.into())
        .unwrap();
    channel.close();
}

/// Gives the focus to `control` once the dashboard's tools are live.
async fn focus_once_the_tools_are_live(root: &web_sys::HtmlElement, control: &str) {
    tools_live(root).await;
    find(root, control)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
}

/// The key page's "Use this key", gone from under the focus (the key deleted elsewhere), hands
/// the focus to the page's heading, not the document's start.
#[wasm_bindgen_test]
async fn the_usage_gone_from_under_the_focus_leaves_it_on_the_heading() {
    install_fake_fetch(
        &one_key_page(json!([
            {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))},
            {"body": ok(key("apikey--1", "onq.AAA", "deleted", "Payments", false))}
        ]))
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1");
    eventually("the usage", || {
        find(&root, ".usage-section button, .usage-section a[href]").is_some()
    })
    .await;
    find(&root, ".usage-section button, .usage-section a[href]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
    tell_deleted_elsewhere();
    eventually("the usage gone", || find(&root, ".usage-section").is_none()).await;
    assert_eq!(
        document().active_element().map(|a| a.id()).as_deref(),
        Some("detail-title")
    );
}

/// The last line gone from under the focus (its key deleted elsewhere, and deleted keys hidden)
/// hands the focus to the empty state in the table's place, not the document's start.
#[wasm_bindgen_test]
async fn the_last_line_gone_leaves_the_focus_on_the_empty_state() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [
                {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)},
                {"body": key_list(vec![key("apikey--1", "onq.AAA", "deleted", "Payments", false)], true)},
            ],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    focus_once_the_tools_are_live(&root, "tr[data-key-id='apikey--1'] a.link").await;
    tell_deleted_elsewhere();
    eventually("the empty state", || {
        find(&root, "[data-testid=all-deleted]").is_some()
    })
    .await;
    eventually("the focus on the empty state", || {
        document()
            .active_element()
            .is_some_and(|a| a.closest(".empty-state").ok().flatten().is_some())
    })
    .await;
}

/// The last line goes when a key above it leaves the page (deleted elsewhere, the list read
/// again): the focus on it follows its key to the line that now shows it, as on a line that
/// stays, not to the document's start.
#[wasm_bindgen_test]
async fn the_last_line_gone_under_the_focus_hands_it_to_its_key_s_new_line() {
    the_last_line_goes_under("a.link:not(.danger)", "Details of onq.CCC").await;
}

/// The same from the line's Delete: the focus goes to the Delete of the key's new line, not to
/// its Details (the link's own clean-up, which runs first, leaves a going line alone).
#[wasm_bindgen_test]
async fn the_last_line_gone_under_a_delete_link_hands_the_focus_to_its_key_s_delete() {
    the_last_line_goes_under("a.danger", "Delete onq.CCC").await;
}

/// Focuses `control` on the last of three lines, then the first key leaves the page (deleted
/// elsewhere): the focus must end on the control named `label`.
async fn the_last_line_goes_under(control: &str, label: &str) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [
                {"body": key_list(vec![
                    key("apikey--1", "onq.AAA", "active", "Payments", true),
                    key("apikey--2", "onq.BBB", "active", "Payments", true),
                    key("apikey--3", "onq.CCC", "active", "Payments", true),
                ], true)},
                {"body": key_list(vec![
                    key("apikey--1", "onq.AAA", "deleted", "Payments", false),
                    key("apikey--2", "onq.BBB", "active", "Payments", true),
                    key("apikey--3", "onq.CCC", "active", "Payments", true),
                ], true)},
            ],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    focus_once_the_tools_are_live(&root, &format!("tbody tr:last-child {control}")).await;
    let focused = || {
        document()
            .active_element()
            .and_then(|a| a.get_attribute("aria-label"))
    };
    assert_eq!(focused().as_deref(), Some(label), "on the last line");
    tell_deleted_elsewhere();
    eventually("two lines", || {
        root.query_selector_all("tbody tr").unwrap().length() == 2
    })
    .await;
    eventually("the focus on its key's new line", || {
        focused().as_deref() == Some(label)
    })
    .await;
}

/// A line's Delete that goes from under the focus (the list read again finds the key being
/// deleted elsewhere) hands the focus to the line's Details, not the document's start; so does
/// a key page's Delete, to the page's heading.
#[wasm_bindgen_test]
async fn a_delete_link_that_goes_leaves_the_focus_on_its_key() {
    let active = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let pending = key("apikey--1", "onq.AAA", "pending", "Payments", false);
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [
                {"body": key_list(vec![active.clone()], true)},
                {"body": key_list(vec![pending.clone()], true)},
            ],
            "GET /api/tenants/tenant--t/keys/base": [{"status": 404, "body": err(404, "not_found_err", "none")}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [{"delay": 5_000, "body": ok(pending.clone())}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    focus_once_the_tools_are_live(&root, "tr[data-key-id='apikey--1'] a.danger").await;
    tell_deleted_elsewhere();
    eventually("the line, being deleted", || {
        find(&root, "tr[data-key-id='apikey--1'][data-status=pending]").is_some()
    })
    .await;
    assert!(find(&root, "tr[data-key-id='apikey--1'] a.danger").is_none());
    let active_text = || {
        leptos::prelude::document()
            .active_element()
            .and_then(|a| a.get_attribute("aria-label"))
    };
    assert_eq!(active_text().as_deref(), Some("Details of onq.AAA"));
    drop(_h);

    install_fake_fetch(
        &one_key_page(json!([{"body": ok(active)}, {"body": ok(pending)}])).to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1");
    eventually("the key's Delete", || {
        find(&root, ".detail-actions a.danger").is_some()
    })
    .await;
    find(&root, ".detail-actions a.danger")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
    tell_deleted_elsewhere();
    eventually("the Delete gone", || {
        find(&root, ".detail-actions a.danger").is_none()
    })
    .await;
    assert_eq!(
        leptos::prelude::document()
            .active_element()
            .map(|a| a.id())
            .as_deref(),
        Some("detail-title")
    );
}

/// The count of keys shown is said once the search settles, not on every keystroke, and again
/// when keys match after a search that matched none (the pager is then drawn anew).
#[wasm_bindgen_test]
async fn the_count_is_said_once_a_search_settles() {
    with_list(json!([{"body": key_list(vec![
        key("apikey--1", "onq.AAA", "active", "Payments", true),
        key("apikey--2", "onq.BBB", "active", "Portal", true),
        key("apikey--3", "onq.CCC", "active", "Payroll", true),
    ], true)}]));
    let (root, _h) = mount_app("/");
    eventually("rows", || text(&root).contains("onq.AAA")).await;
    tools_live(&root).await;
    assert!(
        find(&root, ".pager [role=status]").is_none(),
        "the pager's count is no live region"
    );
    let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    type_into(&input, "p");
    sleep(30).await;
    type_into(&input, "pa");
    sleep(30).await;
    assert!(
        !announced(&root).starts_with("Showing"),
        "not while typing: {}",
        announced(&root)
    );
    eventually("said once it settles", || {
        announced(&root) == "Showing 1–2 of 2"
    })
    .await;
    type_into(&input, "zzz");
    eventually("nothing matches", || {
        find(&root, "[data-testid=no-results]").is_some()
    })
    .await;
    find(&root, "[data-testid=no-results] button")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    eventually("said again when keys match", || {
        announced(&root) == "Showing 1–3 of 3"
    })
    .await;
}

/// A key's poll answered in a way the console does not understand is not asked again (the next
/// answer would be the same): the list is read again, which says what is left to wait for.
#[wasm_bindgen_test]
async fn a_poll_the_dashboard_does_not_understand_is_not_sent_again() {
    let poll = "GET /api/tenants/tenant--t/keys/apikey--p";
    let mut nameless = key("apikey--p", "onq.PPP", "pending", "Portal", false);
    nameless.as_object_mut().unwrap().remove("id");
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--p", "onq.PPP", "pending", "Portal", false)], true)}],
            poll: [{"body": ok(nameless)}],
        })
        .to_string(),
    );
    let (_root, _h) = mount_app("/");
    eventually("the first poll", || fake_calls(poll) >= 1).await;
    eventually("the list read again", || {
        fake_calls("GET /api/tenants/tenant--t/keys") >= 2
    })
    .await;
    sleep(800).await;
    assert_eq!(fake_calls(poll), 1, "not asked again");
}

/// A hidden tab (in the background) asks nothing about a key being set up until it is shown:
/// nobody would see the answer, and a tab left overnight would spend the tenant's rate limit.
#[wasm_bindgen_test]
async fn a_hidden_tab_polls_no_pending_key_until_it_is_shown() {
    let poll = "GET /api/tenants/tenant--t/keys/apikey--p";
    with_list(
        json!([{"body": key_list(vec![key("apikey--p", "onq.PPP", "pending", "Portal", false)], true)}]),
    );
    let hidden = HiddenPage::new();
    let (root, _h) = mount_app("/");
    eventually("the row", || {
        find(&root, "tr[data-key-id='apikey--p']").is_some()
    })
    .await;
    sleep(600).await;
    assert_eq!(fake_calls(poll), 0, "nothing asked while hidden");
    hidden.show();
    eventually_within(3_000, "asked once shown, and settled", || {
        find(&root, "tr[data-key-id='apikey--p'][data-status=active]").is_some()
    })
    .await;
}

/// A pending key's poll that the platform refuses with a wait (`Retry-After`) is not sent again
/// before then.
#[wasm_bindgen_test]
async fn a_poll_refused_with_a_wait_is_sent_again_only_after_it() {
    let poll = "GET /api/tenants/tenant--t/keys/apikey--p";
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--p", "onq.PPP", "pending", "Portal", false)], true)}],
            poll: [
                {"status": 429, "headers": {"retry-after": "20"}, "body": err(429, "internal_rate_limited", "Too many requests")},
                {"body": ok(key("apikey--p", "onq.PPP", "active", "Portal", true))}
            ],
        })
        .to_string(),
    );
    let _asked = HastenedTimeouts::new(20_000, 1_500);
    let (root, _h) = mount_app("/");
    eventually("the first poll", || fake_calls(poll) == 1).await;
    sleep(600).await;
    assert_eq!(fake_calls(poll), 1, "not sent again before the wait");
    eventually_within(5_000, "sent again after it", || {
        find(&root, "tr[data-key-id='apikey--p'][data-status=active]").is_some()
    })
    .await;
    assert_eq!(fake_calls(poll), 2);
}

#[wasm_bindgen_test]
async fn a_malformed_body_is_an_error_not_a_panic() {
    with_list(json!([{"body": "{\"data\": {\"api_keys\": \"surprise\"}}"}]));
    let (root, _h) = mount_app("/");
    eventually("decode error shown", || {
        text(&root).contains("does not understand")
    })
    .await;
}

#[wasm_bindgen_test]
async fn an_oversized_answer_is_refused_declared_or_not() {
    let too_big = apikeys_console::api::MAX_RESPONSE_BYTES + 1;
    for answer in [
        // Declared too large: refused before a byte is read.
        json!({"body": "{}", "headers": {"content-length": too_big.to_string()}}),
        // Not declared: refused once that many bytes have arrived.
        json!({"stream_bytes": too_big}),
    ] {
        with_list(json!([answer]));
        let (root, _h) = mount_app("/");
        eventually_within(10_000, "the error", || {
            text(&root).contains("larger than this console accepts")
        })
        .await;
        assert!(
            find(&root, ".error-panel button").is_some(),
            "with a way on"
        );
        assert_eq!(
            fake_calls("GET /api/tenants/tenant--t/keys"),
            1,
            "not retried"
        );
    }
}

#[wasm_bindgen_test]
async fn a_request_its_page_left_behind_leaves_no_timer_to_fire() {
    trap_errors();
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--p", "onq.PPP", "pending", "Portal", false)], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--p": [{"delay": 2_000, "body": ok(key("apikey--p", "onq.PPP", "active", "Portal", true))}],
        })
        .to_string(),
    );
    let config = RuntimeConfig {
        request_timeout_ms: 400,
        ..test_config()
    };
    let (root, handle) = mount_app_with("/", config);
    eventually("the pending key is polled", || {
        fake_calls("GET /api/tenants/tenant--t/keys/apikey--p") == 1
    })
    .await;
    // The page goes while its poll is under way (the poller's task is dropped with it); the
    // poll's deadline would have been at 400 ms.
    drop(handle);
    drop(root);
    sleep(700).await;
    assert_eq!(trapped_errors(), "", "nothing fired into a dropped closure");
}

/// Keys whose application names differ from ASCII order once folded: unfolded, "Émile" (É is
/// U+00C9) sorts before "éclair" (U+00E9), and "ÉCLAIR" matches nothing.
const FOLDED_NAMES: [&str; 4] = ["Émile", "éclair", "Zeta", "alpha"];

fn with_folded_names() {
    let keys = FOLDED_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            key(
                &format!("apikey--{i}"),
                &format!("onq.K{i}"),
                "active",
                name,
                true,
            )
        })
        .collect();
    with_list(json!([{"body": key_list(keys, true)}]));
}

/// The application of each row shown, in order.
fn applications_shown(root: &web_sys::HtmlElement) -> Vec<&'static str> {
    let rows = root
        .query_selector_all("table.keys-table tbody tr")
        .unwrap();
    (0..rows.length())
        .map(|i| {
            let row = rows.item(i).unwrap().text_content().unwrap_or_default();
            FOLDED_NAMES
                .into_iter()
                .find(|name| row.contains(name))
                .unwrap_or("?")
        })
        .collect()
}

/// Names beyond ASCII sort without regard to case (the browser folds them: `src/fold.rs`).
#[wasm_bindgen_test]
async fn names_beyond_ascii_sort_without_case() {
    with_folded_names();
    let (root, _h) = mount_app("/?sort=application");
    eventually("four rows", || applications_shown(&root).len() == 4).await;
    assert_eq!(
        applications_shown(&root),
        ["alpha", "Zeta", "éclair", "Émile"]
    );
}

/// Opens the dashboard on `path` over [`FOLDED_NAMES`] and checks that only `want` is shown.
async fn search_shows_only(path: &str, want: &'static str) {
    with_folded_names();
    let (root, _h) = mount_app(path);
    eventually("one match", || applications_shown(&root).len() == 1).await;
    assert_eq!(applications_shown(&root), [want]);
}

type Observed = wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>;

/// An action waiting for an element to enter the page ([`when_in_page`]).
struct InPage<T> {
    done: Rc<RefCell<Option<T>>>,
    _watch: Observed,
}

impl<T: Clone> InPage<T> {
    /// Waits for the action to have run, and gives what it returned.
    async fn result(&self, what: &str) -> T {
        eventually(what, || self.done.borrow().is_some()).await;
        self.done.borrow().clone().unwrap()
    }
}

/// Runs `act` once, with the first element matching `selector`, in the microtask after that
/// element enters the page: before any task can run (the frame that draws it, the toolbar taking
/// over). It watches while what this returns is kept.
fn when_in_page<T: 'static>(
    selector: &'static str,
    act: impl FnOnce(web_sys::Element) -> T + 'static,
) -> InPage<T> {
    let done = Rc::new(RefCell::new(None));
    let result = done.clone();
    let mut act = Some(act);
    let watch = Observed::new(
        move |_: js_sys::Array, observer: web_sys::MutationObserver| {
            let Some(el) = document().query_selector(selector).ok().flatten() else {
                return;
            };
            observer.disconnect();
            if let Some(act) = act.take() {
                *result.borrow_mut() = Some(act(el));
            }
        },
    );
    let observer = web_sys::MutationObserver::new(watch.as_ref().unchecked_ref()).unwrap();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer
        .observe_with_options(&document().body().unwrap(), &options)
        .unwrap();
    InPage {
        done,
        _watch: watch,
    }
}

/// The stand-in search field, while it holds the toolbar's place.
fn stand_in_field() -> Option<web_sys::HtmlInputElement> {
    document()
        .query_selector(".toolbar[aria-busy=true] #key-search")
        .ok()
        .flatten()
        .map(JsCast::unchecked_into)
}

/// Waits for the dashboard's tools (the live toolbar in place of its stand-in field): they come
/// once the frame with the first rows has been drawn.
async fn tools_live(root: &web_sys::HtmlElement) {
    eventually("live toolbar", || {
        find(root, ".toolbar").is_some() && find(root, ".toolbar[aria-busy=true]").is_none()
    })
    .await;
}

/// Reading the list again fails while the list is on screen: the rows stay, and a notice says
/// they may be out of date, with a retry that clears it once the list is read.
#[wasm_bindgen_test]
async fn a_list_that_could_not_be_read_again_says_it_may_be_out_of_date() {
    let list = key_list(
        vec![key("apikey--1", "onq.AAA", "active", "Payments", true)],
        true,
    );
    with_list(json!([
        {"body": list},
        {"status": 500, "body": err(500, "internal_err", "Something broke")},
        {"status": 500, "body": err(500, "internal_err", "Something broke")},
        {"body": list}
    ]));
    let (root, _h) = mount_app("/");
    tools_live(&root).await;
    assert!(find(&root, "[data-testid=stale-list]").is_none());
    // Another tab changed a key: the list is read again, and that fails.
    tell_deleted_elsewhere();
    eventually("the notice", || {
        find(&root, "[data-testid=stale-list] [role=status]")
            .and_then(|s| s.text_content())
            .is_some_and(|t| !t.is_empty())
    })
    .await;
    let said = find(&root, "[data-testid=stale-list] [role=status]")
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert!(
        said.contains("could not be refreshed: Something broke"),
        "{said}"
    );
    assert!(said.contains("as read at "), "{said}");
    assert!(
        !said.contains("reference"),
        "the status is not read again for a new reference"
    );
    let notice = find(&root, "[data-testid=stale-list]")
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert!(notice.contains("(reference corr--test)"), "{notice}");
    assert!(text(&root).contains("onq.AAA"), "the rows stay");
    let retry: HtmlButtonElement = find(&root, "[data-testid=stale-list] button")
        .unwrap()
        .unchecked_into();
    retry.focus().unwrap();
    retry.click();
    // It fails again: the same button, with the focus still on it.
    eventually("the retry answered", || {
        fake_calls("GET /api/tenants/tenant--t/keys") == 3
            && retry.get_attribute("aria-busy").as_deref() == Some("false")
    })
    .await;
    let again = find(&root, "[data-testid=stale-list] button").unwrap();
    assert!(again.is_same_node(Some(&retry)), "the button stays");
    let said_again = find(&root, "[data-testid=stale-list] [role=status]")
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert_ne!(said_again, said, "a retry that fails again is said again");
    assert_eq!(said_again.trim(), said.trim());
    assert!(
        document()
            .active_element()
            .is_some_and(|a| a.is_same_node(Some(&retry))),
        "and keeps the focus"
    );
    retry.click();
    eventually("the notice gone", || {
        find(&root, "[data-testid=stale-list]").is_none()
    })
    .await;
    assert_eq!(fake_calls("GET /api/tenants/tenant--t/keys"), 4);
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("key-search"),
        "the focus goes on to the search, not to the page's start"
    );
}

/// News this tab told itself while the dashboard's list was on its way, before the dashboard
/// listened for it (its tools come after the first rows), is not lost: the list is read again.
#[wasm_bindgen_test]
async fn news_told_here_before_the_dashboard_listened_reads_the_list_again() {
    let list = key_list(
        vec![key("apikey--1", "onq.AAA", "active", "Payments", true)],
        true,
    );
    with_list(json!([{"delay": 300, "body": list}, {"body": list}]));
    let (root, _h) = mount_app("/");
    eventually("the list asked for", || {
        fake_calls("GET /api/tenants/tenant--t/keys") == 1
    })
    .await;
    apikeys_console::key_events::broadcast_key_event_here_too("created", "apikey--n");
    tools_live(&root).await;
    // At least once: news heard both by the listener and by the tools' catch-up reads twice.
    eventually("the list read again", || {
        fake_calls("GET /api/tenants/tenant--t/keys") >= 2
    })
    .await;
}

/// Options chosen one after another with one select (the arrow keys step through them, each a
/// change) make one history entry: Back goes to the view before the first, not through each.
#[wasm_bindgen_test]
async fn choices_made_in_a_row_with_one_select_are_one_history_entry() {
    with_one_key();
    let (root, _h) = mount_app("/");
    tools_live(&root).await;
    let history = leptos::prelude::window().history().unwrap();
    let before = history.length().unwrap();
    // As the arrow keys make them: one after another, a change each.
    for status in ["active", "pending", "failed"] {
        choose(&root, "#filter-status", status).await;
    }
    eventually("the view in the address", || {
        location_search() == "?status=failed"
    })
    .await;
    assert_eq!(history.length().unwrap(), before + 1, "one entry");
    // After a pause, a choice with the same select is an entry of its own.
    sleep(1_600).await;
    choose(&root, "#filter-status", "active").await;
    eventually("the view in the address", || {
        location_search() == "?status=active"
    })
    .await;
    assert_eq!(
        history.length().unwrap(),
        before + 2,
        "a choice after a pause"
    );
    history.back().unwrap();
    eventually("back to the last choice in a row", || {
        location_search() == "?status=failed"
    })
    .await;
    history.forward().unwrap();
    eventually("forward again", || location_search() == "?status=active").await;
    // Another select makes an entry of its own.
    choose(&root, "nav.pager select", "10").await;
    eventually("the page size in the address", || {
        location_search().contains("size=10")
    })
    .await;
    assert_eq!(history.length().unwrap(), before + 3);
    history.back().unwrap();
    eventually("back to the last status", || {
        location_search() == "?status=active"
    })
    .await;
    history.back().unwrap();
    eventually("back to the choices in a row", || {
        location_search() == "?status=failed"
    })
    .await;
    history.back().unwrap();
    eventually("back to the view before the statuses", || {
        location_search().is_empty()
    })
    .await;
}

/// A search beyond ASCII, typed in upper case, matches a name in lower case.
#[wasm_bindgen_test]
async fn an_upper_case_search_beyond_ascii_matches() {
    search_shows_only("/?q=%C3%89CLAIR", "éclair").await;
}

/// A search beyond ASCII, typed in lower case, matches a name in upper case.
#[wasm_bindgen_test]
async fn a_lower_case_search_beyond_ascii_matches() {
    search_shows_only("/?q=%C3%A9mile", "Émile").await;
}

/// The browser's folding agrees with Rust's tables, against which the native tests check the rest
/// of `fold`.
#[wasm_bindgen_test]
fn the_browser_folds_as_rust_would() {
    for text in [
        "ÄRGER",
        "ΟΔΟΣ ΑΣΤΡΑ",
        "İstanbul",
        "ẞ",
        "\u{212A}elvin",
        "ÅNGSTRÖM",
        "ǄEMAL",
    ] {
        assert_eq!(
            apikeys_console::fold::lowercase(text),
            text.to_lowercase().replace('ς', "σ"),
            "{text}"
        );
    }
}

#[wasm_bindgen_test]
async fn api_text_is_rendered_as_text() {
    let hostile = "<img src=x onerror=alert(1)>";
    with_list(
        json!([{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", hostile, true)], true)}]),
    );
    let (root, _h) = mount_app("/");
    eventually("row", || text(&root).contains(hostile)).await;
    assert!(find(&root, "table img").is_none());
}

#[wasm_bindgen_test]
async fn a_pending_row_turns_active_and_is_said_to_this_person_only() {
    with_list(
        json!([{"body": key_list(vec![key("apikey--p", "onq.PPP", "pending", "Portal", false)], true)}]),
    );
    let (root, _h) = mount_app("/");
    eventually("pending row", || {
        find(&root, "tr[data-status=pending] .spinner").is_some()
    })
    .await;
    eventually("active row", || {
        find(&root, "tr[data-key-id='apikey--p'][data-status=active]").is_some()
    })
    .await;
    eventually("and said", || {
        find(&root, "#announcer")
            .and_then(|a| a.text_content())
            .as_deref()
            == Some("API key onq.PPP is now Active")
    })
    .await;
    // Neither the list nor the polls go through the HTTP cache: a poll answered from it would
    // not see the key move on, and the list names the tenant's people.
    for call in [
        "GET /api/tenants/tenant--t/keys",
        "GET /api/tenants/tenant--t/keys/apikey--p",
    ] {
        assert_eq!(fake_cache_mode(call).as_deref(), Some("no-store"), "{call}");
    }
    // Not left in the page for whoever signs in next.
    let sign_out: HtmlButtonElement = find(&root, ".user-menu button").unwrap().unchecked_into();
    sign_out.click();
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    eventually(
        "nothing of theirs said any more, only why the page changed",
        || {
            find(&root, "#announcer")
                .and_then(|a| a.text_content())
                .is_some_and(|t| t == "Signing out…" || t == "You have signed out.")
        },
    )
    .await;
}

#[wasm_bindgen_test]
async fn copy_says_copied_only_when_the_clipboard_took_it() {
    with_one_key();
    let (root, _h) = mount_app("/");
    eventually("row", || find(&root, ".copy-button").is_some()).await;
    let button: HtmlButtonElement = find(&root, ".copy-button").unwrap().unchecked_into();
    install_fake_clipboard(true);
    button.click();
    eventually("copied", || {
        button.text_content().unwrap_or_default() == "Copied"
    })
    .await;
    assert_eq!(copied_text().as_deref(), Some("onq.AAA"));
    install_fake_clipboard(false);
    button.click();
    eventually("failure shown", || {
        button.text_content().unwrap_or_default() == "Copy failed"
    })
    .await;
}

/// The same outcome twice is said twice: the live region's text changes on the second copy
/// too (a region whose text stays the same is not read out again).
#[wasm_bindgen_test]
async fn a_second_copy_is_said_again() {
    with_one_key();
    let (root, _h) = mount_app("/");
    eventually("row", || find(&root, ".copy-button").is_some()).await;
    let button: HtmlButtonElement = find(&root, ".copy-button").unwrap().unchecked_into();
    install_fake_clipboard(true);
    let said = || {
        find(&root, "#announcer")
            .and_then(|a| a.text_content())
            .unwrap_or_default()
    };
    button.click();
    eventually("said", || said().trim() == "Copied to the clipboard").await;
    let first = said();
    button.click();
    eventually("said again", || {
        let now = said();
        now != first && now.trim() == "Copied to the clipboard"
    })
    .await;
}

/// Without a clipboard to offer, Copy says it failed, and the table goes on working: the copy
/// must not throw through the wasm while it reads the line's key.
#[wasm_bindgen_test]
async fn copy_without_a_clipboard_says_it_failed_and_the_table_goes_on() {
    with_list(json!([{"body": key_list(vec![
        key("apikey--1", "onq.AAA", "active", "Payments", true),
        key("apikey--2", "onq.BBB", "active", "Portal", true),
    ], true)}]));
    let (root, _h) = mount_app("/?sort=key");
    eventually("rows", || find(&root, "tbody tr .copy-button").is_some()).await;
    tools_live(&root).await;
    trap_errors();
    remove_clipboard();
    copy_first_line(&root, "Copy failed").await;
    // The line that copied shows another key.
    let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    type_into(&input, "portal");
    eventually("the line shows the other key", || {
        find(&root, "tbody tr")
            .and_then(|r| r.get_attribute("data-key-id"))
            .as_deref()
            == Some("apikey--2")
            && text(&root).contains("onq.BBB")
    })
    .await;
    assert_eq!(trapped_errors(), "", "nothing thrown");
    install_fake_clipboard(true);
}

/// Text typed in the search and left by Back: Chromium sends the field's `change` as it leaves
/// the page, after the dashboard's reactive values have gone.
#[wasm_bindgen_test]
async fn a_search_typed_and_left_by_back_is_let_go() {
    with_one_key();
    let (root, _h) = mount_app("/");
    eventually("row", || text(&root).contains("onq.AAA")).await;
    tools_live(&root).await;
    trap_errors();
    let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    input.focus().unwrap();
    // Typed as by a person (a value set by script sends no `change`).
    let document = web_sys::window().unwrap().document().unwrap();
    let exec: js_sys::Function = js_sys::Reflect::get(&document, &"execCommand".into())
        .unwrap()
        .unchecked_into();
    exec.call3(
        &document,
        &"insertText".into(),
        &false.into(),
        &"pay".into(),
    )
    .unwrap();
    eventually("the search typed", || {
        text(&root).contains("onq.AAA") && input.value() == "pay"
    })
    .await;
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/no/such/page"))
        .unwrap();
    window
        .dispatch_event(&web_sys::Event::new("popstate").unwrap())
        .unwrap();
    eventually("the other page", || text(&root).contains("Page not found")).await;
    assert!(!input.is_connected());
    sleep(50).await;
    assert_eq!(trapped_errors(), "", "nothing thrown");
}

/// Clicks the first line's copy button and waits for it to say `says`.
async fn copy_first_line(root: &web_sys::HtmlElement, says: &str) -> HtmlButtonElement {
    let copy: HtmlButtonElement = find(root, "tbody tr .copy-button")
        .unwrap()
        .unchecked_into();
    copy.click();
    eventually(says, || copy.text_content().unwrap_or_default() == says).await;
    copy
}

fn location_search() -> String {
    web_sys::window().unwrap().location().search().unwrap()
}

#[wasm_bindgen_test]
async fn typing_filters_at_once_and_the_url_follows_the_pause() {
    with_list(json!([{"body": key_list(vec![
        key("apikey--1", "onq.AAA", "active", "Payments", true),
        key("apikey--2", "onq.BBB", "active", "Portal", true),
    ], true)}]));
    let (root, _h) = mount_app("/");
    eventually("two rows", || {
        root.query_selector_all("table.keys-table tbody tr")
            .unwrap()
            .length()
            == 2
    })
    .await;
    tools_live(&root).await;
    let input: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    // Whichever key the first line showed, search for the other one: the line must then
    // show that key in every cell and link (lines are reused, not rebuilt).
    let first = find(&root, "tbody tr").unwrap();
    let (want_id, want_key, want_app) =
        if first.get_attribute("data-key-id").as_deref() == Some("apikey--1") {
            ("apikey--2", "onq.BBB", "Portal")
        } else {
            ("apikey--1", "onq.AAA", "Payments")
        };
    // An outcome shown on the line's copy button must not stay beside the next key.
    install_fake_clipboard(true);
    copy_first_line(&root, "Copied").await;
    type_into(&input, &want_app.to_lowercase());
    eventually("one row", || {
        root.query_selector_all("table.keys-table tbody tr")
            .unwrap()
            .length()
            == 1
    })
    .await;
    // Filtered before the URL changed: the URL waits for a pause in typing.
    assert!(!location_search().contains("q="), "{}", location_search());
    let row = find(&root, "tbody tr").unwrap();
    assert!(
        row.is_same_node(Some(&first)),
        "the first line was built anew"
    );
    assert_eq!(row.get_attribute("data-key-id").as_deref(), Some(want_id));
    let row_text = row.text_content().unwrap_or_default();
    assert!(
        row_text.contains(want_key) && row_text.contains(want_app),
        "{row_text}"
    );
    // Well before the button's own 2 s reset.
    sleep(200).await;
    let copy_now: HtmlButtonElement = find(&root, "tbody tr .copy-button")
        .unwrap()
        .unchecked_into();
    assert_eq!(copy_now.text_content().unwrap_or_default(), "Copy");
    assert_eq!(
        copy_now.get_attribute("aria-label").unwrap(),
        format!("Copy API key {want_key}")
    );
    let details = find(&root, "tbody tr a.link").unwrap();
    assert_eq!(
        details.get_attribute("href").unwrap(),
        format!("/keys/{want_id}")
    );
    let delete = find(&root, "tbody tr [data-testid=delete-key]").unwrap();
    assert!(delete
        .get_attribute("href")
        .unwrap()
        .starts_with(&format!("/keys/{want_id}/delete")));
    eventually("query in the URL", || {
        location_search().contains(&format!("q={}", want_app.to_lowercase()))
    })
    .await;
    assert_eq!(input.value(), want_app.to_lowercase());
}

#[wasm_bindgen_test]
async fn slash_goes_to_the_search_unless_typing_or_in_a_dialog() {
    with_one_key();
    let (root, _h) = mount_app("/");
    eventually("a row", || find(&root, "tbody tr").is_some()).await;
    tools_live(&root).await;
    let search = find(&root, "#key-search").unwrap();
    let body = document().body().unwrap();
    assert!(
        !key_event(&body, "/", false),
        "the page does not type the slash"
    );
    assert_eq!(document().active_element(), Some(search.clone()));
    // In a field, "/" is a character like any other.
    let status = find(&root, "#filter-status").unwrap();
    let status_field: &web_sys::HtmlElement = status.unchecked_ref();
    status_field.focus().unwrap();
    assert!(key_event(&status, "/", false));
    assert_eq!(document().active_element(), Some(status.clone()));
    assert!(key_event(&search, "/", false));
    // Over a dialog, focus stays in it.
    let dialog = document().create_element("div").unwrap();
    dialog.set_attribute("aria-modal", "true").unwrap();
    body.append_child(&dialog).unwrap();
    status_field.blur().unwrap();
    assert!(key_event(&body, "/", false));
    assert_ne!(document().active_element(), Some(search.clone()));
    dialog.remove();
    // Other keys are left alone.
    assert!(key_event(&body, "a", false));
    assert_ne!(document().active_element(), Some(search));
}

/// A "/" pressed as the rows appear, before the toolbar is live, goes to the stand-in field, and
/// what is typed next is in the toolbar's field once it takes over, with the focus and caret.
#[wasm_bindgen_test]
async fn a_slash_before_the_toolbar_is_live_is_not_lost() {
    with_one_key();
    // (over the stand-in, prevented, focused the field)
    let pressed = when_in_page("tbody tr", |_| {
        let doc = document();
        let stand_in = stand_in_field();
        let prevented = !key_event(&doc.body().unwrap(), "/", false);
        let focused = stand_in.as_ref().is_some_and(|f| {
            doc.active_element().as_ref() == Some(f.unchecked_ref::<web_sys::Element>())
        });
        if let Some(field) = &stand_in {
            // What typing does to a focused field: the text, the caret after it.
            field.set_value("pay");
        }
        (stand_in.is_some(), prevented, focused)
    });
    let (root, _h) = mount_app("/");
    assert_eq!(
        pressed.result("pressed").await,
        (true, true, true),
        "pressed over the stand-in field, which took the focus and kept the slash out"
    );
    tools_live(&root).await;
    let search: web_sys::HtmlInputElement = find(&root, "#key-search").unwrap().unchecked_into();
    eventually("the typed search in the toolbar", || {
        search.value() == "pay"
    })
    .await;
    assert_eq!(
        document().active_element().as_ref(),
        Some(search.unchecked_ref::<web_sys::Element>()),
        "the toolbar's field has the focus"
    );
    assert_eq!(
        (
            search.selection_start().unwrap(),
            search.selection_end().unwrap()
        ),
        (Some(3), Some(3)),
        "the caret after the typed text"
    );
    eventually("the search applied", || {
        text(&root).contains("onq.AAA") && find(&root, "[data-testid=no-results]").is_none()
    })
    .await;
}

/// The access keys the table shows, top to bottom.
fn access_keys_shown(root: &web_sys::HtmlElement) -> Vec<String> {
    let cells = root
        .query_selector_all("table.keys-table tbody tr td.access-key code")
        .unwrap();
    (0..cells.length())
        .filter_map(|i| cells.item(i))
        .map(|c| c.text_content().unwrap_or_default())
        .collect()
}

/// Twelve active keys, `apikey--01`/`onq.K01` of "App 01" to `apikey--12`/`onq.K12` of "App 12".
fn twelve_keys() -> Vec<serde_json::Value> {
    (1..=12)
        .map(|i| {
            key(
                &format!("apikey--{i:02}"),
                &format!("onq.K{i:02}"),
                "active",
                &format!("App {i:02}"),
                true,
            )
        })
        .collect()
}

/// Pages turn in the same lines, and a new page size shows as many rows as it says.
#[wasm_bindgen_test]
async fn pages_turn_in_place_and_the_page_size_holds() {
    let keys = twelve_keys();
    with_list(json!([{ "body": key_list(keys, true) }]));
    let (root, _h) = mount_app("/?sort=application&size=10");
    let first_ten: Vec<String> = (1..=10).map(|i| format!("onq.K{i:02}")).collect();
    eventually("the first page", || access_keys_shown(&root) == first_ten).await;
    let first_line = find(&root, "tbody tr").unwrap();
    eventually("the pager", || find(&root, "nav.pager").is_some()).await;
    let next: HtmlButtonElement = root
        .query_selector_all("nav.pager button")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into();
    assert_eq!(next.text_content().as_deref(), Some("Next"));
    next.focus().unwrap();
    next.click();
    eventually("the second page", || {
        access_keys_shown(&root) == ["onq.K11", "onq.K12"]
    })
    .await;
    // Next is disabled on the last page: the focus is on Previous (a task later), not lost.
    assert!(next.disabled());
    eventually("the focus on Previous", || {
        focused().and_then(|e| e.text_content()).as_deref() == Some("Previous")
    })
    .await;
    assert!(
        find(&root, "tbody tr")
            .unwrap()
            .is_same_node(Some(&first_line)),
        "a page turn built the first line anew"
    );
    assert!(
        text(&root).contains("Showing 11–12 of 12"),
        "{}",
        text(&root)
    );

    choose_page_size(&root, "25").await;
    let all: Vec<String> = (1..=12).map(|i| format!("onq.K{i:02}")).collect();
    eventually("every key on one page", || access_keys_shown(&root) == all).await;
    assert!(
        text(&root).contains("Showing 1–12 of 12"),
        "{}",
        text(&root)
    );

    // Back to fewer: no line of the larger page stays, however often the size changes.
    choose_page_size(&root, "10").await;
    eventually("ten again", || access_keys_shown(&root) == first_ten).await;
    let nodes = || find(&root, "tbody").unwrap().child_nodes().length();
    let after_one_change = nodes();
    for size in ["25", "10", "25", "10"] {
        choose_page_size(&root, size).await;
        let want = if size == "25" { 12 } else { 10 };
        eventually("the size chosen", || access_keys_shown(&root).len() == want).await;
    }
    assert!(
        text(&root).contains("Showing 1–10 of 12"),
        "{}",
        text(&root)
    );
    assert_eq!(nodes(), after_one_change, "the table's body grew");
}

/// A page past the last shows the last page, and the address says so, in place: Back does not
/// return to a page that is not there. Not while the delete dialog is over the list: the address
/// is the dialog's, and the dialog stays.
#[wasm_bindgen_test]
async fn a_page_past_the_last_is_put_right_in_the_address() {
    let keys = twelve_keys();
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(keys.clone(), true)}],
            "GET /api/tenants/tenant--t/keys/apikey--11": [{"body": ok(keys[10].clone())}],
        })
        .to_string(),
    );
    let location = || leptos::prelude::window().location();
    let search = || location().search().unwrap();
    let last_page = ["onq.K11", "onq.K12"];

    // The entry before the list's, for Back to find.
    go_to("/?before");
    let (root, mounted) = mount_app("/?sort=application&size=10&page=5");
    eventually("the last page", || access_keys_shown(&root) == last_page).await;
    eventually("the address put right", || search().contains("page=2")).await;
    assert!(!search().contains("page=5"), "{}", search());
    assert!(
        search().contains("size=10"),
        "the rest of the view stays: {}",
        search()
    );
    // In place: Back goes to the entry before, not to page 5 (`history.length` would not
    // tell, as browsers cap it).
    leptos::prelude::window().history().unwrap().back().unwrap();
    eventually("Back to the entry before", || search() == "?before").await;
    drop(mounted);

    let (root, _h) = mount_app("/keys/apikey--11/delete?sort=application&size=10&page=5");
    eventually("the last page under the dialog", || {
        access_keys_shown(&root) == last_page && find(&root, "#delete-confirm").is_some()
    })
    .await;
    sleep(200).await;
    assert_eq!(location().pathname().unwrap(), "/keys/apikey--11/delete");
    assert!(search().contains("page=5"), "{}", search());
    assert!(find(&root, "#delete-confirm").is_some(), "the dialog stays");
    // Closed, the list's own address is put right.
    key_event(&find(&root, "#delete-confirm").unwrap(), "Escape", false);
    eventually("the list's address put right", || {
        location().pathname().unwrap() == "/" && search().contains("page=2")
    })
    .await;
}

/// Chooses `size` in the pager's "Rows per page".
async fn choose_page_size(root: &web_sys::HtmlElement, size: &str) {
    choose(root, "nav.pager select", size).await;
}

/// Chooses `value` in the `select` element found by `selector`, as a person does, once the
/// select is on the page (after a move through history, the view is drawn on a later tick).
async fn choose(root: &web_sys::HtmlElement, selector: &str, value: &str) {
    eventually(selector, || find(root, selector).is_some()).await;
    let select: web_sys::HtmlSelectElement = find(root, selector).unwrap().unchecked_into();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let change = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&change).unwrap();
}

fn focused() -> Option<web_sys::Element> {
    leptos::prelude::document().active_element()
}

#[wasm_bindgen_test]
async fn a_page_reached_by_a_link_takes_the_focus_to_its_heading_unless_it_was_moved() {
    install_fake_fetch(
        &one_key_page(json!([
            {"delay": 300, "body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}
        ]))
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually("the row", || text(&root).contains("onq.AAA")).await;
    let doc = leptos::prelude::document();
    assert_eq!(doc.title(), "API Keys · Onqlave");
    let details = || -> web_sys::HtmlElement {
        find(&root, "a[aria-label='Details of onq.AAA']")
            .unwrap()
            .unchecked_into()
    };
    // Live, the dashboard keeps the person's place as they leave (see below, Back).
    eventually("the tools", || find(&root, "#filter-status").is_some()).await;
    details().focus().unwrap();
    details().click();
    // The page's heading while the key loads, then the key's own, which replaces it.
    eventually("the loading heading has the focus", || {
        focused().is_some_and(|e| e.tag_name() == "H1")
    })
    .await;
    assert_eq!(doc.title(), "API key details · Onqlave");
    eventually_within(3_000, "the key's heading has the focus", || {
        focused().and_then(|e| e.text_content()).as_deref() == Some("API key onq.AAA")
    })
    .await;
    assert_eq!(
        doc.title(),
        "API key onq.AAA · Onqlave",
        "the tab names the key"
    );
    // Back: the place in the list, the focus on the link it was left by
    // (back_from_a_key_s_page_returns_to_the_place_in_the_list).
    leptos::prelude::window().history().unwrap().back().unwrap();
    eventually("the link it was left by has the focus", || {
        find(&root, "a[aria-label='Details of onq.AAA']").is_some_and(|d| focused() == Some(d))
    })
    .await;
    assert_eq!(doc.title(), "API Keys · Onqlave");

    // Moved by the person while the page loads: the focus stays where they put it.
    eventually("the row again", || text(&root).contains("onq.AAA")).await;
    details().click();
    eventually("the key's page", || {
        find(&root, ".key-detail a[href='/']").is_some()
    })
    .await;
    let back: web_sys::HtmlElement = find(&root, ".key-detail a[href='/']")
        .unwrap()
        .unchecked_into();
    back.focus().unwrap();
    eventually_within(3_000, "the key", || text(&root).contains("Arx URL")).await;
    sleep(200).await;
    assert_eq!(
        focused().and_then(|e| e.text_content()).as_deref(),
        Some("← API keys")
    );
}

/// The facts a key's page shows, by their labels.
async fn facts_of_the_key_page(
    answer: serde_json::Value,
) -> std::collections::HashMap<String, String> {
    install_fake_fetch(&one_key_page(json!([{"body": ok(answer)}])).to_string());
    let (root, _h) = mount_app("/keys/apikey--1");
    eventually("the key", || find(&root, ".detail-grid").is_some()).await;
    let terms = root.query_selector_all(".detail-grid dt").unwrap();
    (0..terms.length())
        .filter_map(|i| {
            let dt = terms.item(i)?.unchecked_into::<web_sys::Element>();
            let dd = dt.next_element_sibling()?;
            Some((dt.text_content()?, dd.text_content()?))
        })
        .collect()
}

/// A key that names an application the answer leaves out does not say it has none: the
/// application is named by its id.
#[wasm_bindgen_test]
async fn an_application_left_out_is_named_by_its_id_not_none() {
    let facts = facts_of_the_key_page(json!({
        "id": "apikey--1", "access_key": "onq.AAA", "status": "active", "application_id": "app--1"
    }))
    .await;
    assert_eq!(facts.get("Application").map(String::as_str), Some("app--1"));
}

/// A key's page says which facts the platform did not give (the contract lets any field be
/// absent), rather than leaving blanks beside their labels.
#[wasm_bindgen_test]
async fn a_key_s_page_says_which_facts_were_not_reported() {
    let facts = facts_of_the_key_page(
        json!({"id": "apikey--1", "access_key": "onq.AAA", "status": "active"}),
    )
    .await;
    assert_eq!(
        facts.get("Application").map(String::as_str),
        Some("None"),
        "a key of no application, which the contract allows"
    );
    for fact in ["Arx", "Arx URL", "Created", "Created by", "Last used"] {
        assert_eq!(
            facts.get(fact).map(String::as_str),
            Some("Not reported"),
            "{fact}: {facts:?}"
        );
    }
}

/// A key's page watching a key being set up stops when a poll's answer is not understood (the
/// next would not be either) and reads the key again, which says so with a retry, rather than
/// polling on in silence.
#[wasm_bindgen_test]
async fn a_key_s_page_whose_poll_is_not_understood_says_so() {
    let mut nameless = key("apikey--1", "onq.AAA", "active", "Payments", true);
    nameless.as_object_mut().unwrap().remove("id");
    install_fake_fetch(
        &one_key_page(json!([
            {"body": ok(key("apikey--1", "onq.AAA", "pending", "Payments", false))},
            {"body": ok(nameless)}
        ]))
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1");
    eventually_within(5_000, "said", || {
        find(&root, "[data-testid=stale-key]")
            .and_then(|n| n.text_content())
            .is_some_and(|t| t.contains("does not understand"))
    })
    .await;
    assert!(text(&root).contains("onq.AAA"), "the key stays on screen");
}

/// Back to a key's page after a while, the key is read again; a read that fails keeps the key
/// on screen as it was read and says so, with a retry that keeps the focus.
#[wasm_bindgen_test]
async fn a_key_s_page_read_again_keeps_the_key_when_the_read_fails() {
    let clock = ShiftedClock::new();
    let failure = json!({"status": 500, "body": err(500, "internal_err", "Something broke")});
    let mut slow_failure = failure.clone();
    slow_failure["delay"] = json!(300);
    install_fake_fetch(
        &one_key_page(json!([
            {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))},
            failure,
            slow_failure,
            {"body": ok(key("apikey--1", "onq.AAA", "disabled", "Payments", true))}
        ]))
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1");
    let reads = || fake_calls("GET /api/tenants/tenant--t/keys/apikey--1");
    let heading = || {
        find(&root, "h1#detail-title")
            .and_then(|h| h.text_content())
            .unwrap_or_default()
    };
    eventually("the key", || heading().contains("onq.AAA")).await;
    let focus = || {
        leptos::prelude::window()
            .dispatch_event(&web_sys::Event::new("focus").unwrap())
            .unwrap()
    };
    // Back soon: nothing is read again.
    focus();
    sleep(100).await;
    assert_eq!(reads(), 1);
    clock.move_on_minutes(1.0);
    focus();
    eventually("said", || find(&root, "[data-testid=stale-key]").is_some()).await;
    assert_eq!(reads(), 2);
    assert!(heading().contains("onq.AAA"), "the key stays on screen");
    assert!(find(&root, ".error-panel").is_none());
    assert!(text(&root).contains("The API key could not be read again"));
    let alert = find(&root, "[data-testid=stale-key] [role=alert]")
        .and_then(|a| a.text_content())
        .unwrap_or_default();
    assert!(!alert.contains("reference"), "{alert}");
    assert!(
        find(&root, "[data-testid=stale-key]")
            .and_then(|n| n.text_content())
            .is_some_and(|t| t.contains("Reference for support: corr--test")),
        "the failure's reference, beside the alert"
    );
    let retry: HtmlButtonElement = find(&root, "[data-testid=stale-key] button")
        .unwrap()
        .unchecked_into();
    retry_fails_again_keeping_the_focus(&root, &retry, "The API key still could not be read again")
        .await;
    retry.click();
    eventually(
        "read at last: the notice gone, the new status shown",
        || {
            find(&root, "[data-testid=stale-key]").is_none()
                && find(&root, ".page-head [data-status='disabled']").is_some()
        },
    )
    .await;
    eventually("the focus on the key's heading", || {
        document()
            .active_element()
            .is_some_and(|a| a.id() == "detail-title")
    })
    .await;
}

/// A key the platform gave no API key (the contract lets it be absent) is named by its id on
/// its page, which offers nothing to copy.
#[wasm_bindgen_test]
async fn a_key_s_page_without_an_api_key_names_it_by_its_id() {
    let mut k = key("apikey--1", "", "failed", "Payments", true);
    k["access_key"] = serde_json::Value::Null;
    install_fake_fetch(&one_key_page(json!([{"body": ok(k)}])).to_string());
    let (root, _h) = mount_app("/keys/apikey--1");
    eventually("the key's page", || find(&root, ".detail-grid").is_some()).await;
    let heading = find(&root, "h1").and_then(|h| h.text_content());
    assert_eq!(heading.as_deref(), Some("API key apikey--1"));
    let grid = find(&root, ".detail-grid").unwrap();
    assert!(grid.query_selector(".copy-button").unwrap().is_none());
    let first = grid
        .query_selector("dd")
        .unwrap()
        .and_then(|d| d.text_content());
    assert_eq!(first.as_deref(), Some("None"));
}

/// Left open, a key's page moves its times on with the minutes.
#[wasm_bindgen_test]
async fn a_key_s_page_moves_its_times_on_with_the_minutes() {
    let clock = ShiftedClock::new();
    // The minute's timer comes every 20 ms: the times are measured again as the clock moves.
    let _minutes = HastenedTimeouts::new(60_000, 20);
    let mut k = key("apikey--1", "onq.AAA", "active", "Payments", true);
    k["created_at"] = minutes_ago(10.0).into();
    k["last_used_at"] = minutes_ago(2.0).into();
    install_fake_fetch(&one_key_page(json!([{"body": ok(k)}])).to_string());
    let (root, _h) = mount_app("/keys/apikey--1");
    let times = || {
        let all = root.query_selector_all(".detail-grid .time-text").unwrap();
        (0..all.length())
            .filter_map(|i| all.get(i).and_then(|n| n.text_content()))
            .collect::<Vec<_>>()
    };
    let reads = |created: &str, used: &str| {
        let t = times();
        t.len() == 2 && t[0].starts_with(created) && t[1].starts_with(used)
    };
    eventually("the times", || reads("10 minutes ago, ", "2 minutes ago, ")).await;
    clock.move_on_minutes(5.0);
    eventually("the times moved on", || {
        reads("15 minutes ago, ", "7 minutes ago, ")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_pending_key_s_page_follows_it_until_it_settles() {
    let mut routes = one_key_page(json!([]));
    routes["GET /api/tenants/tenant--t/keys/apikey--p"] = json!([
        {"body": ok(key("apikey--p", "onq.PPP", "pending", "Portal", true))},
        {"body": ok(key("apikey--p", "onq.PPP", "pending", "Portal", true))},
        // A read that fails while it waits leaves the page as it is.
        {"network_error": true},
        {"body": ok(key("apikey--p", "onq.PPP", "active", "Portal", true))}
    ]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/keys/apikey--p");
    eventually("the pending key", || {
        find(&root, ".key-detail [data-status='pending']").is_some()
    })
    .await;
    // What the person does meanwhile stays as it settles: the tab chosen, the focus.
    let python: web_sys::HtmlElement = find(&root, "#usage-tab-python").unwrap().unchecked_into();
    python.click();
    python.focus().unwrap();
    assert!(
        find(&root, ".detail-actions a.danger").is_none(),
        "no delete while pending"
    );
    eventually_within(5_000, "the key, active", || {
        find(&root, ".key-detail [data-status='active']").is_some()
    })
    .await;
    assert!(text(&root).contains("onq.PPP"), "{}", text(&root));
    assert_eq!(
        python.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert!(python.is_connected(), "the page was updated in place");
    assert_eq!(document().active_element(), Some(python.clone().into()));
    assert!(
        find(&root, ".detail-actions a.danger").is_some(),
        "delete, now allowed"
    );
    eventually("the change is announced", || {
        text(&root).contains("API key onq.PPP is now Active")
    })
    .await;
    let reads = fake_calls("GET /api/tenants/tenant--t/keys/apikey--p");
    sleep(400).await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys/apikey--p"),
        reads,
        "a settled key is not read again"
    );
}

/// A link followed the moment the first row appears, before the frame that draws it: the
/// dashboard's tools, which start after that frame, must not start for a page that has gone (they
/// would look for its contexts, and a panic ends the whole page).
#[wasm_bindgen_test]
async fn a_link_followed_as_the_rows_appear_starts_no_tools_for_the_page_gone() {
    use std::sync::atomic::{AtomicBool, Ordering};

    static PANICKED: AtomicBool = AtomicBool::new(false);
    let before = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICKED.store(true, Ordering::SeqCst);
        before(info)
    }));
    install_fake_fetch(
        &one_key_page(
            json!([{"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}]),
        )
        .to_string(),
    );
    // Clicked in the microtask after the row enters the DOM.
    let _click = when_in_page("a[aria-label='Details of onq.AAA']", |link| {
        link.unchecked_into::<web_sys::HtmlElement>().click();
    });
    let (root, _h) = mount_app("/");
    eventually("the key's page", || {
        find(&root, ".key-detail p a.link").is_some()
    })
    .await;
    // The frame that would have drawn the rows, and the task posted from it, come and go.
    sleep(200).await;
    assert!(
        !PANICKED.load(Ordering::SeqCst),
        "a panic after the dashboard had gone"
    );
    assert!(
        find(&root, ".toolbar").is_none(),
        "no tools on the key's page"
    );
    assert!(find(&root, ".key-detail").is_some(), "the key's page stays");
}

#[wasm_bindgen_test]
async fn the_way_back_from_a_key_keeps_the_dashboard_s_view() {
    install_fake_fetch(
        &one_key_page(
            json!([{"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}]),
        )
        .to_string(),
    );
    let (root, _h) = mount_app("/?q=aaa&sort=app");
    eventually("the row", || text(&root).contains("onq.AAA")).await;
    let search = || leptos::prelude::window().location().search().unwrap();
    let view = search();
    assert!(view.contains("q=aaa"), "{view}");
    let details: web_sys::HtmlElement = find(&root, "a[aria-label='Details of onq.AAA']")
        .unwrap()
        .unchecked_into();
    details.click();
    eventually("the key's page", || {
        find(&root, ".key-detail p a.link").is_some()
    })
    .await;
    let back: web_sys::HtmlElement = find(&root, ".key-detail p a.link")
        .unwrap()
        .unchecked_into();
    back.click();
    eventually("the dashboard, as it was", || {
        leptos::prelude::window().location().pathname().unwrap() == "/" && search() == view
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_deleted_status_filter_ticks_and_fixes_show_deleted() {
    with_list(json!([{"body": key_list(vec![
        key("apikey--d", "onq.DDD", "deleted", "Old app", false),
        key("apikey--1", "onq.AAA", "active", "Payments", true),
    ], true)}]));
    let (root, _h) = mount_app("/?status=deleted");
    eventually("the deleted key", || text(&root).contains("onq.DDD")).await;
    eventually("the toolbar", || {
        find(&root, "label.checkbox input").is_some()
    })
    .await;
    let show: web_sys::HtmlInputElement = find(&root, "label.checkbox input")
        .unwrap()
        .unchecked_into();
    assert!(
        show.checked(),
        "deleted keys are shown, and the box says so"
    );
    assert!(show.disabled(), "and cannot say otherwise");

    // Back to all statuses: the box is as the person left it, and deleted keys hidden again.
    choose(&root, "#filter-status", "").await;
    eventually("the deleted key hidden", || {
        !text(&root).contains("onq.DDD")
    })
    .await;
    assert!(!show.checked() && !show.disabled());
    assert_eq!(
        leptos::prelude::window().location().search().unwrap(),
        "",
        "the address does not tick it either"
    );
}

#[wasm_bindgen_test]
async fn a_reload_under_the_focus_keeps_it_on_the_key_the_person_chose() {
    let a = key("apikey--a", "onq.AAA", "active", "Payments", true);
    let b = key("apikey--b", "onq.BBB", "active", "Payments", true);
    let n = key("apikey--n", "onq.ABB", "active", "Payments", true);
    with_list(json!([
        {"body": key_list(vec![a.clone(), b.clone()], true)},
        {"body": key_list(vec![a, n, b], true)}
    ]));
    let (root, _h) = mount_app("/?sort=key");
    eventually("two rows", || {
        access_keys_shown(&root) == ["onq.AAA", "onq.BBB"]
    })
    .await;
    // News from other tabs is heard once the tools are live, a frame after the rows.
    tools_live(&root).await;
    let copy_b = || -> HtmlButtonElement {
        find(&root, "tr[data-key-id='apikey--b'] .copy-button")
            .unwrap()
            .unchecked_into()
    };
    let before = copy_b();
    before.focus().unwrap();
    // Another tab created a key: the list is read again, and onq.BBB moves down a line.
    let channel = web_sys::BroadcastChannel::new("onqlave-console-keys").unwrap();
    channel
        .post_message(&r#"{"event":"created","id":"apikey--n"}"#.into())
        .unwrap();
    eventually("three rows", || {
        access_keys_shown(&root) == ["onq.AAA", "onq.ABB", "onq.BBB"]
    })
    .await;
    sleep(50).await;
    let active = document().active_element().unwrap();
    assert!(
        !active.is_same_node(Some(&before)),
        "the line the focus was on now shows another key"
    );
    assert!(
        active.is_same_node(Some(&copy_b())),
        "the focus followed onq.BBB"
    );
    channel.close();
}

#[wasm_bindgen_test]
async fn an_id_without_the_platform_s_form_never_goes_into_an_api_path() {
    // A key's address whose id is not a key's: the page says there is no such key and the
    // platform is not asked for it.
    install_fake_fetch(&one_key_page(json!([])).to_string());
    let known = || {
        fake_calls("POST /auth/refresh")
            + fake_calls("GET /api/tenants/tenant--t/keys")
            + fake_calls("GET /api/tenants/tenant--t/keys/base")
    };
    let (root, h) = mount_app("/keys/apikey--a%2F..");
    eventually("no such key", || text(&root).contains("API key not found")).await;
    // The tab says so too (its title is what a tab list and a screen reader name the page by).
    eventually("the title", || {
        document().title() == "API key not found · Onqlave"
    })
    .await;
    assert_eq!(
        fake_call_count(),
        known(),
        "only the session and the key base"
    );
    drop(h);

    // A session whose tenant id is not a tenant's: no keys route is built from it.
    let mut answer = session(&["developer"]);
    answer["data"]["tenant_id"] = "..".into();
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": answer}],
            "GET /api/keys": [{"body": key_list(vec![], true)}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually("the dashboard's error", || {
        text(&root).contains("does not understand")
    })
    .await;
    assert_eq!(fake_call_count(), fake_calls("POST /auth/refresh"));
}

#[wasm_bindgen_test]
async fn a_time_that_cannot_be_read_is_shown_as_sent_once() {
    let mut odd = key("apikey--1", "onq.AAA", "active", "Payments", true);
    odd["created_at"] = "soon".into();
    with_list(json!([{"body": key_list(vec![odd], true)}]));
    let (root, _h) = mount_app("/");
    eventually("the row", || text(&root).contains("onq.AAA")).await;
    let created = find(&root, "tbody tr td:nth-child(5)").unwrap();
    assert_eq!(created.text_content().as_deref(), Some("soon"));
    assert!(find(&root, "tbody tr td:nth-child(5) [title]").is_none());
}

#[wasm_bindgen_test]
async fn a_key_whose_id_is_no_key_id_links_nowhere() {
    // `new` would open the wizard, `..` the dashboard; the API is not asked for them either.
    with_list(json!([{"body": key_list(vec![
        key("new", "onq.NEW", "active", "Portal", true),
        key("..", "onq.DOT", "active", "Portal", true),
        key("apikey--1", "onq.AAA", "active", "Portal", true),
    ], true)}]));
    let (root, _h) = mount_app("/");
    eventually("the rows", || text(&root).contains("onq.DOT")).await;
    let href = |label: &str| {
        find(&root, &format!("a[aria-label='{label}']"))
            .unwrap_or_else(|| panic!("{label}"))
            .get_attribute("href")
    };
    for access in ["onq.NEW", "onq.DOT"] {
        assert_eq!(href(&format!("Details of {access}")), None);
        assert_eq!(href(&format!("Delete {access}")), None);
    }
    assert_eq!(
        href("Details of onq.AAA").as_deref(),
        Some("/keys/apikey--1")
    );
}

/// A key's page says how to use it only while it can be used, and offers its creator (only) the
/// secrets it may never have received, on step 4, which asks for them only when told to.
#[wasm_bindgen_test]
async fn a_key_page_offers_its_usage_while_it_can_be_used_and_its_secrets_to_its_creator() {
    let mut someone_else_s = key("apikey--1", "onq.AAA", "active", "Payments", true);
    someone_else_s["created_by"] = json!({"id": "user--2", "full_name": "Someone Else"});
    for (answer, usage, offer) in [
        (
            key("apikey--1", "onq.AAA", "active", "Payments", true),
            true,
            true,
        ),
        (
            key("apikey--1", "onq.AAA", "pending", "Payments", true),
            true,
            true,
        ),
        (someone_else_s, true, false),
        (
            key("apikey--1", "onq.AAA", "failed", "Payments", true),
            false,
            false,
        ),
        (
            key("apikey--1", "onq.AAA", "deleted", "Payments", true),
            false,
            false,
        ),
    ] {
        let status = answer["status"].as_str().unwrap().to_owned();
        install_fake_fetch(&one_key_page(json!([{ "body": ok(answer) }])).to_string());
        let (root, _h) = mount_app("/keys/apikey--1");
        eventually("the key", || text(&root).contains("Arx URL")).await;
        assert_eq!(
            find(&root, ".usage-section").is_some(),
            usage,
            "usage for a key {status}"
        );
        let link = find(&root, "[data-testid=unreceived-secrets] a");
        assert_eq!(link.is_some(), offer, "the offer for a key {status}");
        if let Some(link) = link {
            assert_eq!(
                link.get_attribute("href").as_deref(),
                Some("/keys/new/key?key=apikey--1")
            );
        }
    }
}

/// The dashboard with fifty keys (`onq.K10` to `onq.K59`) on one page, sorted by key, long
/// enough to scroll; `apikey--k40` has a page of its own.
fn fifty_keys_sorted() -> (web_sys::HtmlElement, impl Drop) {
    let keys: Vec<_> = (10..60)
        .map(|i| {
            let (id, access) = (format!("apikey--k{i}"), format!("onq.K{i}"));
            key(&id, &access, "active", "Payments", true)
        })
        .collect();
    let mut routes = one_key_page(json!([{"body": ok(keys[30].clone())}]));
    routes["GET /api/tenants/tenant--t/keys"] = json!([{"body": key_list(keys, true)}]);
    routes["GET /api/tenants/tenant--t/keys/apikey--k40"] =
        routes["GET /api/tenants/tenant--t/keys/apikey--1"].clone();
    install_fake_fetch(&routes.to_string());
    mount_app("/?sort=key&dir=asc&size=50")
}

/// Back from a key's page to the view it was opened from puts the person where they were:
/// scrolled as they were, the focus on the link they left by.
#[wasm_bindgen_test]
async fn back_from_a_key_s_page_returns_to_the_place_in_the_list() {
    return_to_the_place_in_the_list(false).await;
}

/// The key page's own way back ("← API keys") returns to the place as Back does.
#[wasm_bindgen_test]
async fn the_way_back_from_a_key_s_page_returns_to_the_place_in_the_list() {
    return_to_the_place_in_the_list(true).await;
}

/// Opens a key's details from far down a long list, comes back by Back or by the page's link,
/// and checks the scroll and the focus are as they were.
async fn return_to_the_place_in_the_list(by_link: bool) {
    let (root, _h) = fifty_keys_sorted();
    let details = || -> Option<web_sys::HtmlElement> {
        find(&root, "tr[data-key-id='apikey--k40'] a.link:not(.danger)").map(|e| e.unchecked_into())
    };
    eventually("the list and its tools", || {
        details().is_some() && find(&root, "#filter-status").is_some()
    })
    .await;
    let window = leptos::prelude::window();
    details().unwrap().scroll_into_view();
    let scrolled = window.scroll_y().unwrap();
    assert!(
        scrolled > 100.0,
        "the list is long enough to scroll ({scrolled})"
    );
    details().unwrap().focus().unwrap();
    details().unwrap().click();
    eventually("the key's page", || text(&root).contains("Arx URL")).await;
    assert_eq!(window.scroll_y().unwrap(), 0.0, "a page opens at its top");

    if by_link {
        find(&root, ".key-detail p a.link")
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>()
            .click();
    } else {
        window.history().unwrap().back().unwrap();
    }
    eventually("the place, as it was", || {
        details().is_some_and(|d| document().active_element() == Some(d.into()))
    })
    .await;
    assert_eq!(window.scroll_y().unwrap(), scrolled);
    // The arrival on the page does not take the focus away afterwards.
    sleep(200).await;
    assert_eq!(document().active_element(), details().map(Into::into));
    assert_eq!(window.scroll_y().unwrap(), scrolled);
}

/// A key's page's delete dialog, opened and closed, builds the dashboard under it for a while:
/// that is no return to the list, and Back from the key's page still finds the place the person
/// left the list by.
#[wasm_bindgen_test]
async fn a_delete_dialog_opened_from_a_key_s_page_keeps_the_place_in_the_list() {
    let (root, _h) = fifty_keys_sorted();
    let details = || -> Option<web_sys::HtmlElement> {
        find(&root, "tr[data-key-id='apikey--k40'] a.link:not(.danger)").map(|e| e.unchecked_into())
    };
    eventually("the list and its tools", || {
        details().is_some() && find(&root, "#filter-status").is_some()
    })
    .await;
    let window = leptos::prelude::window();
    details().unwrap().scroll_into_view();
    let scrolled = window.scroll_y().unwrap();
    details().unwrap().focus().unwrap();
    details().unwrap().click();
    eventually("the key's page", || {
        find(&root, ".detail-actions a.danger").is_some()
    })
    .await;
    find(&root, ".detail-actions a.danger")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    eventually("the dialog, over the list's tools", || {
        find(&root, "#delete-confirm").is_some() && find(&root, "#filter-status").is_some()
    })
    .await;
    key_event(&find(&root, "#delete-confirm").unwrap(), "Escape", false);
    eventually("the key's page again", || {
        find(&root, "[role=dialog]").is_none() && find(&root, ".detail-actions a.danger").is_some()
    })
    .await;
    window.history().unwrap().back().unwrap();
    eventually("the place, as it was", || {
        details().is_some_and(|d| document().active_element() == Some(d.into()))
    })
    .await;
    assert_eq!(window.scroll_y().unwrap(), scrolled);
}

/// The dialog over the list leaves the dashboard in place, so opening it keeps no place: a later
/// return to the list by history must not bring the focus back to its Delete link.
#[wasm_bindgen_test]
async fn the_dialog_over_the_list_keeps_no_place_to_return_to() {
    let (root, _h) = fifty_keys_sorted();
    let delete = || -> Option<web_sys::HtmlElement> {
        find(&root, "tr[data-key-id='apikey--k40'] a.danger").map(|e| e.unchecked_into())
    };
    eventually("the list and its tools", || {
        delete().is_some() && find(&root, "#filter-status").is_some()
    })
    .await;
    let window = leptos::prelude::window();
    let history = window.history().unwrap();
    delete().unwrap().scroll_into_view();
    delete().unwrap().focus().unwrap();
    delete().unwrap().click();
    eventually("the dialog", || find(&root, "#delete-confirm").is_some()).await;
    key_event(&find(&root, "#delete-confirm").unwrap(), "Escape", false);
    eventually("the dialog closed", || {
        find(&root, "[role=dialog]").is_none()
    })
    .await;
    // Away by history, not by a link, and back.
    history
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/keys/apikey--k40"))
        .unwrap();
    window
        .dispatch_event(&web_sys::Event::new("popstate").unwrap())
        .unwrap();
    eventually("the key's page", || text(&root).contains("Arx URL")).await;
    history.back().unwrap();
    eventually("the list and its tools again", || {
        delete().is_some() && find(&root, "#filter-status").is_some()
    })
    .await;
    sleep(300).await;
    assert_ne!(
        document().active_element(),
        delete().map(Into::into),
        "no place from the dialog"
    );
}

#[wasm_bindgen_test]
async fn a_list_read_again_measures_its_times_against_the_clock_of_then() {
    let clock = ShiftedClock::new();
    let mut a = key("apikey--a", "onq.AAA", "active", "Payments", true);
    a["created_at"] = minutes_ago(10.0).into();
    // A key made after the page was opened, by a platform whose clock is a minute ahead.
    let mut n = key("apikey--n", "onq.NNN", "active", "Payments", true);
    n["created_at"] = minutes_ago(-6.0).into();
    with_list(json!([
        {"body": key_list(vec![a.clone()], true)},
        {"body": key_list(vec![a, n], true)}
    ]));
    let (root, _h) = mount_app("/?sort=key");
    let created = |id: &str| {
        find(
            &root,
            &format!("tr[data-key-id='{id}'] td:nth-child(5) .time-tip"),
        )
        .and_then(|e| e.text_content())
    };
    eventually("the row", || created("apikey--a").is_some()).await;
    assert_eq!(created("apikey--a").as_deref(), Some("10 minutes ago"));
    tools_live(&root).await;
    // Five minutes later, another tab creates a key: the list is read again.
    clock.move_on_minutes(5.0);
    let channel = web_sys::BroadcastChannel::new("onqlave-console-keys").unwrap();
    channel
        .post_message(&r#"{"event":"created","id":"apikey--n"}"#.into())
        .unwrap();
    eventually("the new row", || created("apikey--n").is_some()).await;
    assert_eq!(created("apikey--a").as_deref(), Some("15 minutes ago"));
    assert_eq!(
        created("apikey--n").as_deref(),
        Some("just now"),
        "never a time to come"
    );
    channel.close();
}

/// Left open, the lines' times move on with the minutes.
#[wasm_bindgen_test]
async fn the_lines_times_move_on_with_the_minutes() {
    let clock = ShiftedClock::new();
    // The minute's timer comes every 20 ms: the times are measured again as the clock moves.
    let _minutes = HastenedTimeouts::new(60_000, 20);
    let mut a = key("apikey--a", "onq.AAA", "active", "Payments", true);
    a["created_at"] = minutes_ago(10.0).into();
    with_list(json!([{"body": key_list(vec![a], true)}]));
    let (root, _h) = mount_app("/");
    let created = || {
        find(
            &root,
            "tr[data-key-id='apikey--a'] td:nth-child(5) .time-tip",
        )
        .and_then(|e| e.text_content())
    };
    eventually("the row", || created().is_some()).await;
    assert_eq!(created().as_deref(), Some("10 minutes ago"));
    tools_live(&root).await;
    // Five minutes on.
    clock.move_on_minutes(5.0);
    eventually("the time moved on", || {
        created().as_deref() == Some("15 minutes ago")
    })
    .await;
}

/// A sort changes no text a screen reader is on: the live region says the new order.
#[wasm_bindgen_test]
async fn a_sort_is_said_with_its_direction() {
    with_one_key();
    let (root, _h) = mount_app("/");
    eventually("the row", || text(&root).contains("onq.AAA")).await;
    let sort = |n: usize| -> HtmlButtonElement {
        root.query_selector_all(".sort-button")
            .unwrap()
            .get(n as u32)
            .unwrap()
            .unchecked_into()
    };
    let said = || {
        find(&root, "#announcer")
            .and_then(|a| a.text_content())
            .unwrap_or_default()
    };
    let label = sort(1).text_content().unwrap_or_default();
    let name = label.trim_end_matches(['▲', '▼', '↕']).trim().to_owned();
    sort(1).click();
    eventually("the order said", || {
        said() == format!("Sorted by {name}, ascending")
    })
    .await;
    sort(1).click();
    eventually("and its turn", || {
        said() == format!("Sorted by {name}, descending")
    })
    .await;
}

/// The routes of a developer's tenant whose list is answered by `lists` in turn, with key
/// `onq.AAA`'s page.
fn listed_in_turn(lists: serde_json::Value) -> serde_json::Value {
    let mut routes = one_key_page(json!([
        {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}
    ]));
    routes["GET /api/tenants/tenant--t/keys"] = lists;
    routes
}

/// Opens `onq.AAA`'s page from the dashboard by its link: the dashboard goes.
async fn to_the_key(root: &web_sys::HtmlElement) {
    eventually("the row", || text(root).contains("onq.AAA")).await;
    let details: web_sys::HtmlElement = find(root, "a[aria-label='Details of onq.AAA']")
        .unwrap()
        .unchecked_into();
    details.click();
    eventually("the key's page", || {
        find(root, ".key-detail a[href='/']").is_some()
    })
    .await;
}

/// Opens `onq.AAA`'s page from the dashboard by its link, then comes back by Back.
async fn to_the_key_and_back(root: &web_sys::HtmlElement) {
    to_the_key(root).await;
    leptos::prelude::window().history().unwrap().back().unwrap();
}

/// Coming back to the dashboard shows the list it showed at once, not a skeleton while the list
/// is read again; what is read replaces it.
#[wasm_bindgen_test]
async fn coming_back_shows_the_list_at_once_while_it_is_read_again() {
    let a = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let b = key("apikey--2", "onq.BBB", "active", "Portal", true);
    install_fake_fetch(
        &listed_in_turn(json!([
            {"body": key_list(vec![a.clone()], true)},
            {"delay": 1_500, "body": key_list(vec![a, b], true)},
        ]))
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    to_the_key_and_back(&root).await;
    eventually_within(1_000, "the list again", || {
        find(&root, "tr[data-key-id='apikey--1']").is_some()
    })
    .await;
    assert!(find(&root, ".page-skeleton").is_none(), "no skeleton");
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        2,
        "read again"
    );
    assert!(
        find(&root, "tr[data-key-id='apikey--2']").is_none(),
        "not read yet"
    );
    eventually("what was read", || {
        find(&root, "tr[data-key-id='apikey--2']").is_some()
    })
    .await;
}

/// The list read again on coming back fails: the list shown stays, said to be stale, rather than
/// an error panel taking its place; a failure that may pass mends by itself, as the panel's
/// does, and what is said of it is not said again with every try.
#[wasm_bindgen_test]
async fn coming_back_to_a_list_that_cannot_be_read_keeps_it_said_to_be_stale() {
    let a = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let b = key("apikey--2", "onq.BBB", "active", "Portal", true);
    let failing = |corr: &str| {
        json!({"status": 500, "body": {"data": null, "error": {"code": 500, "status": "FAILED",
            "message": "down", "correlation_id": corr, "details": null}}})
    };
    install_fake_fetch(
        &listed_in_turn(json!([
            {"body": key_list(vec![a.clone()], true)},
            failing("corr--1"),
            failing("corr--2"),
            {"body": key_list(vec![a, b], true)},
        ]))
        .to_string(),
    );
    // The list's first two waits before it asks again by itself, made short enough for a test.
    let _first = HastenedTimeouts::new(5_000, 300);
    let _second = HastenedTimeouts::new(7_500, 300);
    let (root, _h) = mount_app("/");
    to_the_key_and_back(&root).await;
    eventually("said to be stale", || {
        find(&root, "[data-testid=stale-list]").is_some()
    })
    .await;
    assert!(find(&root, "tr[data-key-id='apikey--1']").is_some());
    assert!(find(&root, ".error-panel").is_none(), "{}", text(&root));
    let status = find(&root, "[data-testid=stale-list] [role=status]").unwrap();
    let said = status.text_content().unwrap_or_default();
    assert!(said.contains("could not be refreshed"), "{said}");
    let mut latest_reference = false;
    for _ in 0..300 {
        if find(&root, "tr[data-key-id='apikey--2']").is_some() {
            break;
        }
        assert_eq!(
            status.text_content().unwrap_or_default(),
            said,
            "said once, not with each try made by itself"
        );
        // The reference beside the words is the latest failure's, for support.
        latest_reference |= find(&root, "[data-testid=stale-list]")
            .and_then(|n| n.text_content())
            .is_some_and(|t| t.contains("corr--2"));
        sleep(10).await;
    }
    assert!(latest_reference, "the second failure's reference shown");
    assert!(
        find(&root, "tr[data-key-id='apikey--2']").is_some(),
        "mended by itself"
    );
    assert_eq!(fake_calls("GET /api/tenants/tenant--t/keys"), 4);
    assert!(find(&root, "[data-testid=stale-list]").is_none());
}

/// The list kept for coming back is its reader's: signed out, and someone else signed in, the
/// dashboard shows a skeleton until their own list is read, never the one before.
#[wasm_bindgen_test]
async fn a_list_kept_for_coming_back_is_not_shown_to_the_next_person() {
    let mut someone_else = session(&["developer"]);
    someone_else["data"]["user"]["id"] = json!("user--2");
    nothing_kept_for_who_signs_in_next(someone_else).await;
}

/// Nor does it outlive a sign-out for the person who signed out: signed in again, they see it
/// read anew.
#[wasm_bindgen_test]
async fn a_list_kept_for_coming_back_goes_with_a_sign_out() {
    nothing_kept_for_who_signs_in_next(session(&["developer"])).await;
}

/// Leaves the dashboard for a key's page, signs out there and in again as `next`: the dashboard
/// then shows only the list read for them.
async fn nothing_kept_for_who_signs_in_next(next: serde_json::Value) {
    let mut routes = listed_in_turn(json!([
        {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)},
        {"delay": 1_000, "body": key_list(vec![key("apikey--2", "onq.BBB", "active", "Portal", true)], true)},
    ]));
    routes["POST /auth/login"] = json!([{ "body": next }]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/");
    to_the_key(&root).await;
    click_sign_out(&root);
    fill_and_submit(&root, "e@example.test", "pw").await;
    eventually("the dashboard", || {
        find(&root, "#dashboard-title").is_some()
    })
    .await;
    for _ in 0..50 {
        assert!(
            find(&root, "tr[data-key-id='apikey--1']").is_none(),
            "the list before shown"
        );
        if find(&root, "tr[data-key-id='apikey--2']").is_some() {
            return;
        }
        sleep(40).await;
    }
    panic!("the list read for them never came");
}
