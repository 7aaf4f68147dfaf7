//! Browser tests of the delete dialog: focus, trapping, Escape, the typed-key guard.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn fake() {
    let deleting = json!({"body": ok(key("apikey--1", "onq.AAA", "pending", "Payments", false))});
    let mut answer = deleting.clone();
    answer["delay"] = json!(200);
    fake_deleting(answer, deleting);
}

/// One key, `onq.AAA`, whose delete is answered with `answer`, and its polls after the dialog's
/// own read with `polled`.
fn fake_deleting(answer: serde_json::Value, polled: serde_json::Value) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
            // The dialog reads the key first; the dashboard's poller then sees it being deleted.
            "GET /api/tenants/tenant--t/keys/apikey--1": [
                {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))},
                polled,
            ],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [answer],
        })
        .to_string(),
    );
}

fn active() -> Option<web_sys::Element> {
    document().active_element()
}

/// A table line's Delete link.
const LINE_S_LINK: &str = "[data-testid=delete-key]";
/// The key page's Delete link.
const PAGE_S_LINK: &str = ".detail-actions a.danger";

/// Opens the dialog with the Delete link `link` as a person does (focused, then clicked), once
/// the page has it.
async fn open_dialog(root: &HtmlElement, link: &str) -> HtmlElement {
    eventually("delete link", || find(root, link).is_some()).await;
    let link: HtmlElement = find(root, link).unwrap().unchecked_into();
    link.focus().unwrap();
    link.click();
    eventually("dialog field", || find(root, "#delete-confirm").is_some()).await;
    link
}

#[wasm_bindgen_test]
async fn focus_moves_in_is_trapped_and_returns_on_escape() {
    fake();
    let (root, _h) = mount_app("/");
    let link = open_dialog(&root, LINE_S_LINK).await;
    let dialog = find(&root, "[role=dialog]").unwrap();
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    assert!(
        find(&root, &format!("#{title_id}")).is_some(),
        "labelled by its heading"
    );
    let field = find(&root, "#delete-confirm").unwrap();
    eventually("field focused", || active().as_ref() == Some(&field)).await;
    // Tab from the last control wraps to the first; Shift+Tab from the first wraps to the last.
    let buttons = dialog.query_selector_all("button").unwrap();
    let last: HtmlElement = buttons.item(buttons.length() - 1).unwrap().unchecked_into();
    // The last button is disabled until the key matches; the last focusable is Cancel.
    let cancel: HtmlElement = buttons.item(buttons.length() - 2).unwrap().unchecked_into();
    assert!(last.unchecked_ref::<HtmlButtonElement>().disabled());
    cancel.focus().unwrap();
    key_event(&cancel, "Tab", false);
    let first_focusable = active().unwrap();
    assert!(dialog.contains(Some(&first_focusable)), "Tab stays inside");
    assert_ne!(
        first_focusable,
        cancel.clone().unchecked_into::<web_sys::Element>()
    );
    key_event(&first_focusable, "Tab", true);
    assert_eq!(
        active(),
        Some(cancel.unchecked_into()),
        "Shift+Tab wraps to the last"
    );
    key_event(&field, "Escape", false);
    eventually("dialog closed", || find(&root, "[role=dialog]").is_none()).await;
    eventually("focus back on the opener", || {
        active() == Some(link.clone().unchecked_into())
    })
    .await;
    assert_eq!(link.tab_index(), 0, "the opener stays in the Tab order");
}

/// Opened by a line's link and closed without a delete, the dialog goes back to the list's own
/// history entry: Back then leaves the dashboard, rather than bringing the dialog again.
/// The list at a view of its own, and the dialog opened by a line's link; with the history's
/// length before the dialog's entry.
async fn dialog_from_the_list() -> (HtmlElement, impl Drop, web_sys::History, u32) {
    fake();
    let (root, h) = mount_app("/?sort=key&dir=asc");
    let history = window().history().unwrap();
    eventually("delete link", || {
        find(&root, "[data-testid=delete-key]").is_some()
    })
    .await;
    let before = history.length().unwrap();
    open_dialog(&root, LINE_S_LINK).await;
    (root, h, history, before)
}

#[wasm_bindgen_test]
async fn a_dialog_opened_from_the_list_and_closed_goes_back_to_it() {
    let (root, _h, history, before) = dialog_from_the_list().await;
    assert_eq!(history.length().unwrap(), before + 1, "the dialog's entry");
    let field = find(&root, "#delete-confirm").unwrap();
    key_event(&field, "Escape", false);
    eventually("back on the list, as it was", || {
        find(&root, "[role=dialog]").is_none()
            && leptos::prelude::window().location().search().unwrap() == "?sort=key&dir=asc"
    })
    .await;
    assert_eq!(
        history.length().unwrap(),
        before + 1,
        "no entry added: the dialog's is the one ahead"
    );
}

/// Types each of `near` into the open dialog's field, checking that Delete stays disabled, then
/// `exact`, and returns Delete once it is enabled.
async fn only_the_exact_text_enables(
    root: &HtmlElement,
    near: &[&str],
    exact: &str,
) -> HtmlButtonElement {
    eventually("dialog field", || find(root, "#delete-confirm").is_some()).await;
    let input: HtmlInputElement = find(root, "#delete-confirm").unwrap().unchecked_into();
    let confirm: HtmlButtonElement = find(root, "[data-testid=confirm-delete]")
        .unwrap()
        .unchecked_into();
    for near in near {
        type_into(&input, near);
        sleep(20).await;
        assert!(confirm.disabled(), "{near:?} keeps Delete disabled");
    }
    type_into(&input, exact);
    eventually("enabled", || !confirm.disabled()).await;
    confirm
}

#[wasm_bindgen_test]
async fn delete_is_enabled_only_by_the_exact_key_and_sends_once() {
    fake();
    // A deep link (a second router in this page would intercept link clicks).
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    let near = [
        "",
        "onq.aaa",
        "onq.AAA ",
        " onq.AAA",
        "onq.AA",
        "onq.AAA\u{200b}",
    ];
    let confirm = only_the_exact_text_enables(&root, &near, "onq.AAA").await;
    confirm.click();
    confirm.click();
    let form: web_sys::HtmlFormElement =
        find(&root, "[role=dialog] form").unwrap().unchecked_into();
    let _ = form.request_submit();
    eventually("dialog closed", || find(&root, "[role=dialog]").is_none()).await;
    assert_eq!(
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1"),
        1
    );
    eventually("row shows deleting", || {
        find(&root, "tr[data-key-id='apikey--1'][data-status=pending]").is_some()
    })
    .await;
    // Said as what it is, not "Pending" as a key being set up.
    assert_eq!(
        find(&root, "tr[data-key-id='apikey--1'] .badge")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("Deleting…")
    );
    // The tab that deleted does not hear its own news: no second read of the list.
    sleep(200).await;
    assert_eq!(fake_calls("GET /api/tenants/tenant--t/keys"), 1);
}

/// The platform's own read of the key, come while the person is at the form, that differs from
/// the list's copy only in what the summary shows keeps the form: what was typed, and the focus
/// where the person had moved it.
#[wasm_bindgen_test]
async fn the_key_s_read_keeps_the_form_and_the_focus() {
    let listed = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let mut read = listed.clone();
    read["last_used_at"] = json!("2026-12-01T10:00:00Z");
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![listed], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [{"delay": 600, "body": ok(read)}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    open_dialog(&root, LINE_S_LINK).await;
    let input: HtmlInputElement = find(&root, "#delete-confirm").unwrap().unchecked_into();
    type_into(&input, "onq.A");
    let cancel: HtmlButtonElement = find(&root, "[role=dialog] .dialog-actions button")
        .unwrap()
        .unchecked_into();
    cancel.focus().unwrap();
    eventually_within(3_000, "the platform's read shown", || {
        find(&root, "[role=dialog] dl")
            .and_then(|d| d.text_content())
            .is_some_and(|t| !t.contains("Not reported"))
    })
    .await;
    assert!(input.is_connected(), "the same field");
    assert_eq!(input.value(), "onq.A");
    assert!(
        active() == Some(cancel.clone().unchecked_into()),
        "the focus where the person put it"
    );
}

/// A key this tab deleted says "Deleting…" wherever it shows while it is pending: on its own
/// page, which offers nothing more to use it by, and on a dashboard built again by Back.
#[wasm_bindgen_test]
async fn a_key_deleted_here_says_deleting_on_its_page_and_after_back() {
    let pending = key("apikey--1", "onq.AAA", "pending", "Payments", false);
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [
                {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)},
                {"body": key_list(vec![pending.clone()], true)},
            ],
            "GET /api/tenants/tenant--t/keys/apikey--1": [
                {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))},
                {"body": ok(pending.clone())},
            ],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(pending)}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    let badge = |sel: &str| find(&root, sel).and_then(|b| b.text_content());
    eventually("row shows deleting", || {
        badge("tr[data-key-id='apikey--1'] .badge").as_deref() == Some("Deleting…")
    })
    .await;
    let details: HtmlElement = find(
        &root,
        "tr[data-key-id='apikey--1'] a[href='/keys/apikey--1']",
    )
    .unwrap()
    .unchecked_into();
    details.click();
    eventually("the key's page", || {
        badge("#detail-title ~ .badge").is_some()
    })
    .await;
    assert_eq!(
        badge("#detail-title ~ .badge").as_deref(),
        Some("Deleting…")
    );
    assert!(
        find(&root, ".usage-section").is_none(),
        "a key being deleted offers no way to use it"
    );
    window().history().unwrap().back().unwrap();
    eventually("the dashboard again", || {
        find(&root, "tr[data-key-id='apikey--1']").is_some()
    })
    .await;
    assert_eq!(
        badge("tr[data-key-id='apikey--1'] .badge").as_deref(),
        Some("Deleting…")
    );
}

/// "Deleting…" is the deleter's own: once their session has expired and another person signs
/// in in the same tab, the key reads "Pending" as any key deleted elsewhere.
#[wasm_bindgen_test]
async fn a_delete_made_here_is_not_said_to_be_the_next_person_s() {
    let active = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let pending = key("apikey--1", "onq.AAA", "pending", "Payments", false);
    let expired = json!({"status": 401, "body": err(401, "service_unauthorized_err", "expired")});
    let mut someone_else = session(&["platform_owner"]);
    someone_else["data"]["user"]["id"] = json!("user--2");
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}, expired],
            "POST /auth/login": [{"body": someone_else}],
            "GET /api/tenants/tenant--t/keys": [
                {"body": key_list(vec![active.clone()], true)},
                expired,
                {"body": key_list(vec![pending.clone()], true)},
            ],
            "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(active)}, {"body": ok(pending.clone())}],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(pending)}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    let badge = || find(&root, "tr[data-key-id='apikey--1'] .badge").and_then(|b| b.text_content());
    eventually("deleting", || badge().as_deref() == Some("Deleting…")).await;
    // News from another tab: the list read again is refused, and the session cannot be renewed.
    let channel = web_sys::BroadcastChannel::new("onqlave-console-keys").unwrap();
    channel
        .post_message(&r#"{"event":"created","id":"apikey--2"}"#.into())
        .unwrap();
    channel.close();
    fill_and_submit(&root, "e@example.test", "pw").await;
    eventually("the next person's dashboard", || {
        badge().as_deref() == Some("Pending")
    })
    .await;
}

/// A delete's answer with only what the contract requires (the id) does not blank the row: what
/// it leaves out stays as the list had it, and the key is being deleted.
#[wasm_bindgen_test]
async fn a_sparse_answer_to_a_delete_keeps_what_the_row_knew() {
    // The poll's full copy comes too late to hide what the delete's answer left out.
    fake_deleting(
        json!({"body": ok(json!({"id": "apikey--1"}))}),
        json!({"delay": 60_000, "body": ok(key("apikey--1", "onq.AAA", "pending", "Payments", false))}),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    eventually("the row, being deleted", || {
        find(&root, "tr[data-key-id='apikey--1'][data-status=pending]").is_some()
    })
    .await;
    let row = find(&root, "tr[data-key-id='apikey--1']").unwrap();
    let shown = row.text_content().unwrap_or_default();
    assert!(
        shown.contains("onq.AAA") && shown.contains("Payments") && shown.contains("Test Person"),
        "the row keeps what the answer left out: {shown}"
    );
}

/// The dialog's own read answered with a key of no id (the contract requires one) is not
/// understood: the dialog says so, with a retry, rather than offering a delete of no key that
/// would be said to be of a key that "no longer exists".
#[wasm_bindgen_test]
async fn a_read_of_the_key_that_names_no_key_is_not_understood() {
    let mut nameless = key("apikey--1", "onq.AAA", "active", "Payments", true);
    nameless.as_object_mut().unwrap().remove("id");
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(nameless)}],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(key("apikey--1", "onq.AAA", "pending", "Payments", false))}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    eventually("the read not understood", || {
        find(&root, "[role=dialog]")
            .and_then(|d| d.text_content())
            .is_some_and(|t| t.contains("does not understand"))
    })
    .await;
    assert!(
        find(&root, "#delete-confirm").is_none(),
        "no delete of no key"
    );
    assert!(!announced(&root).contains("no longer exists"));
    assert_eq!(
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1"),
        0
    );
}

/// A key the platform gave no API key (the contract lets it be absent: a failed key, say) is
/// named by its id, and deleted by typing that id.
#[wasm_bindgen_test]
async fn a_key_without_an_api_key_is_deleted_by_typing_its_id() {
    let bare = |status: &str, can_delete: bool| {
        let mut k = key("apikey--1", "", status, "Payments", can_delete);
        k["access_key"] = serde_json::Value::Null;
        k
    };
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![bare("failed", true)], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [
                {"body": ok(bare("failed", true))},
                {"body": ok(bare("pending", false))},
            ],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(bare("pending", false))}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    eventually("dialog field", || find(&root, "#delete-confirm").is_some()).await;
    let label = find(&root, "label[for=delete-confirm]")
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert!(
        label.contains("id apikey--1") && label.contains("no API key"),
        "the label says what to type: {label}"
    );
    let near = ["", "apikey--", "APIKEY--1"];
    let confirm = only_the_exact_text_enables(&root, &near, "apikey--1").await;
    confirm.click();
    eventually("dialog closed", || find(&root, "[role=dialog]").is_none()).await;
    assert_eq!(
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1"),
        1
    );
    assert!(
        find(
            &root,
            "tr[data-key-id='apikey--1'] a[aria-label='Details of apikey--1']"
        )
        .is_some(),
        "the line is named by the id too"
    );
    let cell = find(&root, "tr[data-key-id='apikey--1'] td.access-key").unwrap();
    assert!(
        cell.query_selector(".copy-button").unwrap().is_none(),
        "no API key to copy"
    );
    assert_eq!(cell.text_content().as_deref(), Some("None"));
}

/// From a key's page reached from a searched list: Cancel goes back to the key's page, a delete
/// to the list as the person left it.
#[wasm_bindgen_test]
async fn opened_from_the_key_s_page_cancel_goes_back_there_and_a_delete_to_the_list() {
    let mut routes = one_key_page(
        json!([{"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}]),
    );
    routes["DELETE /api/tenants/tenant--t/keys/apikey--1"] =
        json!([{"body": ok(key("apikey--1", "onq.AAA", "pending", "Payments", false))}]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/?q=onq");
    let path = || window().location().pathname().unwrap();
    let details = "tr[data-key-id='apikey--1'] a.link:not(.danger)";
    eventually("the line", || find(&root, details).is_some()).await;
    find(&root, details)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    eventually("the key's page", || path() == "/keys/apikey--1").await;
    let open = || async {
        open_dialog(&root, PAGE_S_LINK).await;
        assert_eq!(path(), "/keys/apikey--1/delete");
    };
    open().await;
    let cancel: HtmlButtonElement = find(&root, ".dialog-actions .secondary")
        .unwrap()
        .unchecked_into();
    cancel.click();
    eventually("back on the key's page", || {
        path() == "/keys/apikey--1" && find(&root, ".detail-actions a.danger").is_some()
    })
    .await;

    open().await;
    let field: HtmlInputElement = find(&root, "#delete-confirm").unwrap().unchecked_into();
    type_into(&field, "onq.AAA");
    let confirm: HtmlButtonElement = find(&root, "[data-testid=confirm-delete]")
        .unwrap()
        .unchecked_into();
    eventually("delete enabled", || !confirm.disabled()).await;
    confirm.click();
    eventually("deleted, on the list", || {
        path() == "/" && find(&root, "#delete-confirm").is_none()
    })
    .await;
    assert_eq!(
        window().location().search().unwrap(),
        "?q=onq",
        "the list as it was left"
    );
}

/// A delete answered after the dashboard under its dialog has gone (Back to the key's page while
/// it was on its way) is in the list kept for coming back: the dashboard shows the key being
/// deleted at once, not as it was before.
#[wasm_bindgen_test]
async fn a_delete_answered_after_its_dashboard_went_is_in_the_list_shown_on_coming_back() {
    let active = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let pending = key("apikey--1", "onq.AAA", "pending", "Payments", false);
    let mut routes = one_key_page(json!([{"body": ok(active.clone())}]));
    routes["GET /api/tenants/tenant--t/keys"] = json!([
        {"body": key_list(vec![active], true)},
        {"delay": 1_500, "body": key_list(vec![pending.clone()], true)},
    ]);
    routes["DELETE /api/tenants/tenant--t/keys/apikey--1"] =
        json!([{"delay": 400, "body": ok(pending)}]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/keys/apikey--1");
    let path = || window().location().pathname().unwrap();
    open_dialog(&root, PAGE_S_LINK).await;
    press_delete(&root).await;
    eventually("the delete on its way", || {
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1") == 1
    })
    .await;
    window().history().unwrap().back().unwrap();
    eventually("the key's page", || {
        path() == "/keys/apikey--1" && find(&root, "#delete-confirm").is_none()
    })
    .await;
    eventually("past the delete's answer", || {
        announced(&root).contains("is being deleted")
    })
    .await;
    back_to_the_kept_list(&root, "apikey--1").await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        2,
        "read again, not answered yet"
    );
    assert_eq!(
        find(&root, "tr[data-key-id='apikey--1'] .badge")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("Deleting…")
    );
}

/// A delete answered after its asker signed out changes nothing of the next person's: not the
/// list kept for their coming back (of another tenant, here), which shows their keys only.
#[wasm_bindgen_test]
async fn a_delete_answered_after_a_sign_out_is_not_put_in_the_next_person_s_list() {
    // Within the test configuration's 2 s deadline.
    const ANSWER_MS: f64 = 1_500.0;
    let (mut routes, theirs) = a_delete_while_someone_else_signs_in(
        json!({"delay": ANSWER_MS, "body": ok(key("apikey--1", "onq.AAA", "pending", "Payments", false))}),
    );
    routes["GET /api/tenants/tenant--u/keys"] = json!([
        {"body": key_list(vec![theirs.clone()], true)},
        {"delay": 1_500, "body": key_list(vec![theirs.clone()], true)},
    ]);
    routes["GET /api/tenants/tenant--u/keys/apikey--3"] = json!([{"body": ok(theirs)}]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    let sent = someone_else_signs_in_meanwhile(&root).await;
    find(&root, "a[aria-label='Details of onq.CCC']")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    eventually("their key's page", || {
        find(&root, ".key-detail a[href='/']").is_some()
    })
    .await;
    let waited = js_sys::Date::now() - sent;
    assert!(
        waited < ANSWER_MS,
        "their dashboard went before the delete's answer: {waited} ms"
    );
    sleep((ANSWER_MS - waited) as i32 + 300).await;
    back_to_the_kept_list(&root, "apikey--3").await;
    assert!(
        find(&root, "tr[data-key-id='apikey--1']").is_none(),
        "the one who signed out's key in their list"
    );
}

/// A delete answered 409 is checked against the key (its replay may have been refused after the
/// first went through), but not once its session has ended: that check would go out in the
/// name of whoever signed in next, under their tenant.
#[wasm_bindgen_test]
async fn a_delete_refused_after_a_sign_out_is_not_checked_in_the_next_person_s_name() {
    const ANSWER_MS: f64 = 1_500.0;
    let (mut routes, _) = a_delete_while_someone_else_signs_in(
        json!({"delay": ANSWER_MS, "status": 409, "body": err(409, "db_conflict_err", "A change to this key is under way")}),
    );
    routes["GET /api/tenants/tenant--u/keys/apikey--1"] =
        json!([{"status": 404, "body": err(404, "db_not_exist_err", "No such API key")}]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    let read_before = fake_calls("GET /api/tenants/tenant--t/keys/apikey--1");
    let sent = someone_else_signs_in_meanwhile(&root).await;
    let waited = js_sys::Date::now() - sent;
    assert!(
        waited < ANSWER_MS,
        "signed in before the answer: {waited} ms"
    );
    sleep((ANSWER_MS - waited) as i32 + 500).await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--u/keys/apikey--1"),
        0,
        "checked in the next person's name"
    );
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys/apikey--1"),
        read_before,
        "checked after the session ended"
    );
}

/// A delete whose first try got no answer may have been carried out; its replay, ended by the
/// session's end (the same person signing out and in again meanwhile), does not say otherwise:
/// the key "may not have been deleted", not "was not deleted".
#[wasm_bindgen_test]
async fn a_delete_ended_with_its_session_after_a_lost_answer_is_said_to_be_unknown() {
    let listed = key("apikey--1", "onq.AAA", "active", "Payments", true);
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "POST /auth/login": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![listed.clone()], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(listed)}],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [
                {"network_error": true},
                {"delay": 1_500, "status": 409, "body": err(409, "db_conflict_err", "A change to this key is under way")}
            ],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    eventually("the delete tried again", || {
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1") == 2
    })
    .await;
    click_sign_out(&root);
    fill_and_submit(&root, "e@example.test", "pw").await;
    eventually_within(3_000, "the outcome, said", || {
        announced(&root).contains("onq.AAA")
    })
    .await;
    let said = announced(&root);
    assert!(said.contains("may not have been deleted"), "{said}");
}

/// The platform of a delete of `apikey--1` answered `answer`, while another person, of another
/// tenant (`tenant--u`), signs in (`POST /auth/login`) and sees their list; and their key,
/// `apikey--3`, the only one in it.
fn a_delete_while_someone_else_signs_in(
    answer: serde_json::Value,
) -> (serde_json::Value, serde_json::Value) {
    let mut them = session(&["developer"]);
    them["data"]["user"]["id"] = json!("user--2");
    them["data"]["tenant_id"] = json!("tenant--u");
    let theirs = key("apikey--3", "onq.CCC", "active", "Portal", true);
    let mine = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let routes = json!({
        "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
        "POST /auth/login": [{"body": them}],
        "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![mine.clone()], true)}],
        "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(mine)}],
        "DELETE /api/tenants/tenant--t/keys/apikey--1": [answer],
        "GET /api/tenants/tenant--u/keys": [{"body": key_list(vec![theirs.clone()], true)}],
    });
    (routes, theirs)
}

/// Once the delete is on its way, signs out and in as the other person of
/// [`a_delete_while_someone_else_signs_in`] until their dashboard shows; when the delete was
/// seen sent (`Date.now()`).
async fn someone_else_signs_in_meanwhile(root: &HtmlElement) -> f64 {
    eventually("the delete on its way", || {
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1") == 1
    })
    .await;
    let sent = js_sys::Date::now();
    click_sign_out(root);
    fill_and_submit(root, "e@example.test", "pw").await;
    eventually("their dashboard", || {
        find(root, "tr[data-key-id='apikey--3']").is_some()
    })
    .await;
    sent
}

/// Follows the key's page's way back to the list, and waits for the line of `id` no longer than
/// the list kept for coming back takes (the list read again is held longer in these tests).
async fn back_to_the_kept_list(root: &HtmlElement, id: &str) {
    find(root, ".key-detail a[href='/']")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    let line = format!("tr[data-key-id='{id}']");
    eventually_within(1_000, "the list kept", || find(root, &line).is_some()).await;
}

/// Closed over a key's page that is still loading (its read held a second, so the loading
/// heading stays long enough to be seen): the dialog hands the focus to the page's heading
/// while the key loads, and the key's "Delete API key", which opened the dialog, takes it over
/// when it comes, rather than leaving the person seven tab stops above it.
#[wasm_bindgen_test]
async fn closed_over_a_key_s_page_that_loads_the_focus_returns_to_its_delete_link() {
    let answer = ok(key("apikey--1", "onq.AAA", "active", "Payments", true));
    install_fake_fetch(
        &one_key_page(json!([
            {"body": answer},
            {"body": answer},
            {"delay": 1000, "body": answer}
        ]))
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1");
    let heading = || active().and_then(|e| e.text_content());
    open_dialog(&root, PAGE_S_LINK).await;
    let field = find(&root, "#delete-confirm").unwrap();
    eventually("the field has the focus", || {
        active().as_ref() == Some(&field)
    })
    .await;
    key_event(&field, "Escape", false);
    eventually("the page's heading while the key loads", || {
        heading().as_deref() == Some("API key")
    })
    .await;
    eventually("the key's Delete API key", || {
        active().is_some_and(|a| a.matches(PAGE_S_LINK).unwrap_or(false))
    })
    .await;
    assert_eq!(heading().as_deref(), Some("Delete API key"));
}

/// A delete answered 404 (the key went meanwhile, or was never this tenant's): said so, not
/// announced as a delete under way, and the list read again.
#[wasm_bindgen_test]
async fn a_delete_of_a_key_already_gone_says_so() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [
                {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)},
                {"body": key_list(vec![], true)}
            ],
            "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"status": 404, "body": err(404, "db_not_exist_err", "No such API key")}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    eventually("dialog closed", || find(&root, "[role=dialog]").is_none()).await;
    eventually("said", || {
        find(&root, "#announcer")
            .and_then(|a| a.text_content())
            .as_deref()
            == Some("API key onq.AAA no longer exists")
    })
    .await;
    eventually("the list read again", || {
        fake_calls("GET /api/tenants/tenant--t/keys") == 2
    })
    .await;
}

/// Opened by a line's link, a delete goes back to the list's own entry too (Back then leaves the
/// dashboard, rather than showing the same list again), and the focus stays on the key's line,
/// whose Delete link went with the delete.
#[wasm_bindgen_test]
async fn a_delete_from_the_list_goes_back_to_it_with_the_focus_on_the_line() {
    let (root, _h, history, before) = dialog_from_the_list().await;
    let field: HtmlInputElement = find(&root, "#delete-confirm").unwrap().unchecked_into();
    type_into(&field, "onq.AAA");
    eventually("confirm enabled", || {
        find(&root, "[data-testid=confirm-delete]")
            .is_some_and(|b| !b.unchecked_ref::<HtmlButtonElement>().disabled())
    })
    .await;
    find(&root, "[data-testid=confirm-delete]")
        .unwrap()
        .unchecked_into::<HtmlButtonElement>()
        .click();
    eventually("back on the list, as it was", || {
        find(&root, "[role=dialog]").is_none()
            && window().location().search().unwrap() == "?sort=key&dir=asc"
    })
    .await;
    assert_eq!(
        history.length().unwrap(),
        before + 1,
        "no entry added: the dialog's is the one ahead"
    );
    eventually("the focus on the key's line", || {
        active()
            .and_then(|a| a.closest("tr").ok().flatten())
            .and_then(|tr| tr.get_attribute("data-key-id"))
            .as_deref()
            == Some("apikey--1")
    })
    .await;
    history.forward().unwrap();
    eventually("the dialog's entry is the one ahead", || {
        window().location().pathname().unwrap() == "/keys/apikey--1/delete"
    })
    .await;
}

/// A delete from a view that shows only active keys: the deleted key leaves the view and the
/// next key takes its line. The focus does not stay on that line's Delete link, which is now
/// the next key's; it goes to the table, where the key was.
#[wasm_bindgen_test]
async fn a_key_that_leaves_the_view_with_its_delete_takes_the_focus_off_its_old_line() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![
                key("apikey--1", "onq.AAA", "active", "Payments", true),
                key("apikey--2", "onq.BBB", "active", "Portal", true),
            ], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [
                {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))},
                {"delay": 60_000, "body": ok(key("apikey--1", "onq.AAA", "pending", "Payments", false))},
            ],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(json!({"id": "apikey--1"}))}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/?status=active&sort=key&dir=asc");
    let line = || find(&root, "tbody tr").and_then(|tr| tr.get_attribute("data-key-id"));
    eventually("A on the first line", || {
        line().as_deref() == Some("apikey--1")
    })
    .await;
    open_dialog(&root, LINE_S_LINK).await;
    press_delete(&root).await;
    eventually("closed, and B on the first line", || {
        find(&root, "[role=dialog]").is_none() && line().as_deref() == Some("apikey--2")
    })
    .await;
    let table = find(&root, "table").unwrap();
    eventually("the focus on the table", || {
        active().as_ref() == Some(&table)
    })
    .await;
    sleep(100).await;
    assert_eq!(active().as_ref(), Some(&table), "and it stays there");
}

/// A dialog whose key cannot be read offers Try again: the button keeps the focus while it
/// reads (busy, not disabled), and a read that fails as the one before (with a reference of its
/// own, as each failure has) is said again. A retry that finds no key keeps the focus in the
/// dialog, not on the page behind it.
#[wasm_bindgen_test]
async fn a_retry_of_the_dialog_s_read_keeps_the_focus_and_says_a_second_failure() {
    let failure = json!({"status": 500, "body": err(500, "internal_err", "Something broke")});
    let mut slow_failure = failure.clone();
    slow_failure["delay"] = json!(300);
    slow_failure["body"]["error"]["correlation_id"] = json!("corr--second");
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [
                failure,
                slow_failure,
                {"status": 404, "body": err(404, "not_found", "No such key")},
            ],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    eventually("the failure", || {
        find(&root, "[role=dialog] [role=alert]").is_some()
    })
    .await;
    let retry: HtmlButtonElement = find(
        &root,
        "[role=dialog] .dialog-actions .button:not(.secondary)",
    )
    .unwrap()
    .unchecked_into();
    assert_eq!(retry.text_content().as_deref(), Some("Try again"));
    retry_fails_again_keeping_the_focus(&root, &retry, "The API key still could not be loaded")
        .await;
    let dialog = find(&root, "[role=dialog]")
        .and_then(|a| a.text_content())
        .unwrap_or_default();
    assert!(
        dialog.contains("Reference for support: corr--second"),
        "the new failure's reference: {dialog}"
    );
    retry.click();
    eventually("no such key", || {
        text(&root).contains("There is no such API key")
    })
    .await;
    eventually("the focus in the dialog", || {
        document()
            .active_element()
            .and_then(|a| a.closest("[role=dialog]").ok().flatten())
            .is_some()
    })
    .await;
}

/// A dialog opened while its key loads, that finds no key to delete, hands the focus to its
/// Close, described by the message: a screen reader hears why, not only the dialog's name.
#[wasm_bindgen_test]
async fn a_dialog_with_no_key_to_delete_says_why_as_the_focus_arrives() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--x": [{"delay": 300, "status": 404, "body": err(404, "not_found_err", "none")}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/apikey--x/delete");
    eventually("no such key", || {
        text(&root).contains("There is no such API key")
    })
    .await;
    eventually("the focus on Close", || {
        active().is_some_and(|a| a.text_content().as_deref() == Some("Close"))
    })
    .await;
    let close = active().unwrap();
    let told = close.get_attribute("aria-describedby").unwrap_or_default();
    assert_eq!(
        document()
            .get_element_by_id(&told)
            .and_then(|m| m.text_content())
            .as_deref(),
        Some("There is no such API key in your tenant.")
    );
}

/// The fake platform with a delete that fails after `delay` ms.
fn fake_failing_delete(delay: u32) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["platform_owner"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}],
            "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"delay": delay, "status": 500, "body": err(500, "internal_err", "Something broke")}],
        })
        .to_string(),
    );
}

/// Types the key and presses Delete; the button pressed.
async fn press_delete(root: &HtmlElement) -> HtmlButtonElement {
    let confirm = only_the_exact_text_enables(root, &[], "onq.AAA").await;
    confirm.focus().unwrap();
    confirm.click();
    confirm
}

/// While the delete is on its way the dialog stays, with the focus where the person pressed
/// Delete: Escape and Cancel would cancel nothing, and the outcome is told here.
#[wasm_bindgen_test]
async fn a_delete_on_its_way_keeps_the_dialog_and_the_focus_and_says_a_failure() {
    fake_failing_delete(500);
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    let confirm = press_delete(&root).await;
    eventually("deleting", || {
        confirm.get_attribute("aria-disabled").as_deref() == Some("true")
    })
    .await;
    assert_eq!(
        active(),
        Some(confirm.clone().unchecked_into()),
        "the focus stays"
    );
    let field = find(&root, "#delete-confirm").unwrap();
    key_event(&field, "Escape", false);
    let cancel: HtmlButtonElement = find(&root, "[role=dialog] .dialog-actions button")
        .unwrap()
        .unchecked_into();
    assert_eq!(cancel.text_content().as_deref(), Some("Cancel"));
    assert_eq!(
        cancel.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    cancel.click();
    sleep(50).await;
    assert!(find(&root, "[role=dialog]").is_some(), "the dialog stays");
    eventually("the failure", || {
        find(&root, "[role=dialog] .form-error")
            .and_then(|e| e.text_content())
            .is_some_and(|t| t.contains("Something broke"))
    })
    .await;
    assert_eq!(confirm.text_content().as_deref(), Some("Try again"));
    assert_eq!(active(), Some(confirm.unchecked_into()), "and stays");
}

/// A delete that fails once its dialog has gone (Back) is said all the same, so that nobody
/// is left believing the key was deleted.
#[wasm_bindgen_test]
async fn a_delete_that_fails_after_its_dialog_has_gone_is_said() {
    fake_failing_delete(300);
    go_to("/");
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    window().history().unwrap().back().unwrap();
    eventually("the dialog gone", || find(&root, "[role=dialog]").is_none()).await;
    eventually("the failure said", || {
        announced(&root).contains("API key onq.AAA was not deleted: Something broke")
    })
    .await;
}

/// Deletes `onq.AAA` from its dialog with the platform answering as `routes` (with the session
/// and the list added), goes Back so that the outcome is said by the page, and returns what
/// was said.
async fn delete_and_hear(mut routes: serde_json::Value) -> String {
    let listed = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let all = routes.as_object_mut().unwrap();
    all.entry("POST /auth/refresh")
        .or_insert(json!([{"body": session(&["platform_owner"])}]));
    all.insert(
        "GET /api/tenants/tenant--t/keys".into(),
        json!([{"body": key_list(vec![listed], true)}]),
    );
    install_fake_fetch(&routes.to_string());
    go_to("/");
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    window().history().unwrap().back().unwrap();
    eventually("the dialog gone", || find(&root, "[role=dialog]").is_none()).await;
    eventually_within(10_000, "the outcome said", || {
        announced(&root).starts_with("API key onq.AAA ")
    })
    .await;
    announced(&root)
}

/// A delete of unknown outcome: what was said claims neither, and the list was read again.
fn neither_outcome_claimed(said: &str) {
    assert!(said.contains("may not have been deleted"), "{said}");
    assert!(
        fake_calls("GET /api/tenants/tenant--t/keys") >= 2,
        "the list read again"
    );
}

/// A delete answered by a gateway's page, not the platform's, may have been done (contract
/// §2.1: a network-level failure): neither outcome is claimed, and the list is read again.
#[wasm_bindgen_test]
async fn a_delete_answered_by_a_gateway_s_page_is_not_said_to_have_failed() {
    let listed = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let said = delete_and_hear(json!({
        "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(listed)}],
        "DELETE /api/tenants/tenant--t/keys/apikey--1": [{
            "delay": 300, "status": 502, "headers": {"content-type": "text/html"},
            "body": "<html><body>502 Bad Gateway</body></html>"
        }],
    }))
    .await;
    neither_outcome_claimed(&said);
}

/// A delete whose first attempt got no answer may have been done, whatever its retry is told
/// next: a platform busy for longer than the client waits by itself says nothing of the first.
#[wasm_bindgen_test]
async fn a_delete_retried_after_a_lost_answer_and_refused_for_now_is_not_said_to_have_failed() {
    let listed = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let said = delete_and_hear(json!({
        "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(listed)}],
        "DELETE /api/tenants/tenant--t/keys/apikey--1": [
            {"delay": 200, "network_error": true},
            {"status": 503, "headers": {"retry-after": "30"},
             "body": err(503, "service_unavailable_err", "Down for maintenance")},
        ],
    }))
    .await;
    assert_eq!(
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1"),
        2
    );
    neither_outcome_claimed(&said);
}

/// A 409 to a delete is checked against the key (a replay of one that was applied meets it);
/// a check that gets no answer leaves the outcome unknown rather than "was not deleted".
#[wasm_bindgen_test]
async fn a_conflict_whose_check_gets_no_answer_is_not_said_to_have_failed() {
    let listed = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let said = delete_and_hear(json!({
        "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(listed)}, {"network_error": true}],
        "DELETE /api/tenants/tenant--t/keys/apikey--1": [{"delay": 200, "status": 409,
            "body": err(409, "internal_lock_hold_by_another", "An operation is in progress")}],
    }))
    .await;
    neither_outcome_claimed(&said);
}

/// A delete refused as unauthorized was not carried out, whatever became of the session's
/// renewal: a renewal that got no answer, then a platform busy for longer than the client
/// waits, is a delete that did not happen.
#[wasm_bindgen_test]
async fn a_delete_refused_before_a_renewal_that_got_no_answer_was_not_done() {
    let listed = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let said = delete_and_hear(json!({
        "POST /auth/refresh": [{"body": session(&["platform_owner"])}, {"network_error": true}],
        "GET /api/tenants/tenant--t/keys/apikey--1": [{"body": ok(listed)}],
        "DELETE /api/tenants/tenant--t/keys/apikey--1": [
            {"delay": 200, "status": 401, "body": err(401, "internal_authn_err", "Token expired")},
            {"status": 503, "headers": {"retry-after": "30"},
             "body": err(503, "service_unavailable_err", "Down for maintenance")},
        ],
    }))
    .await;
    assert!(said.contains("was not deleted"), "{said}");
}

/// Opened by its address, the dialog closed without a delete gives its entry to the dashboard:
/// Back does not bring the dialog again.
#[wasm_bindgen_test]
async fn a_dialog_opened_by_its_address_and_closed_leaves_no_entry_to_come_back_to() {
    fake();
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    eventually("dialog field", || find(&root, "#delete-confirm").is_some()).await;
    let history = window().history().unwrap();
    let before = history.length().unwrap();
    let field = find(&root, "#delete-confirm").unwrap();
    key_event(&field, "Escape", false);
    eventually("the dashboard", || {
        find(&root, "[role=dialog]").is_none() && window().location().pathname().unwrap() == "/"
    })
    .await;
    assert_eq!(
        history.length().unwrap(),
        before,
        "the dialog's entry replaced"
    );
}

/// A delete that fails after its maker signed out is not said on the sign-in page: that page's
/// words are for whoever comes next.
#[wasm_bindgen_test]
async fn a_delete_that_fails_after_a_sign_out_is_not_said_to_the_next_person() {
    fake_failing_delete(400);
    let (root, _h) = mount_app("/keys/apikey--1/delete");
    press_delete(&root).await;
    eventually("the delete on its way", || {
        fake_calls("DELETE /api/tenants/tenant--t/keys/apikey--1") == 1
    })
    .await;
    click_sign_out(&root);
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    // Past the delete's answer.
    sleep(800).await;
    let said = announced(&root);
    assert!(!said.contains("onq.AAA"), "{said}");
}
