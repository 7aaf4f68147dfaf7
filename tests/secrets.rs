//! Browser tests of the key step's promises about the one-time secrets: they survive a sign-out
//! in another tab until the person confirms, and no copy is left in the wasm memory afterwards.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const SECRETS: &str = "GET /api/tenants/tenant--t/keys/apikey--n/sensitive";

fn base(acl: serde_json::Value) -> serde_json::Value {
    ok(json!({
        "acl": acl,
        "model": {"applications": [
            {"id": "app--s", "name": "Server app", "application_technology": {"id": "server", "name": "Server"}}
        ], "clusters": [{"id": "arx--p", "name": "prod", "label": "Production"}]}
    }))
}

/// The base's ACL granting `add` outright.
fn may_add() -> serde_json::Value {
    json!({"can": {"add": true}, "can_not": {}})
}

/// A platform where the new key is active at once; its secrets are made up in JS. `acl` is the
/// base's.
fn fake_with(acl: serde_json::Value) {
    fake_on(base(acl));
}

/// The platform of [`fake_with`], its base answered with `base_answer`.
fn fake_on(base_answer: serde_json::Value) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys/base": [{"body": base_answer}],
            "POST /api/tenants/tenant--t/keys": [{"body": ok(key("apikey--n", "onq.NEW", "active", "Server app", true))}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--n", "onq.NEW", "active", "Server app", true)], true)}],
            "GET /api/tenants/tenant--t/keys/apikey--n": [{"body": ok(key("apikey--n", "onq.NEW", "active", "Server app", true))}],
        })
        .to_string(),
    );
    fake_secrets(SECRETS);
}

fn fake() {
    fake_with(may_add());
}

/// The app mounted on the summary, then the key step with the secrets on screen.
async fn step_four() -> (HtmlElement, impl Drop) {
    let (root, mounted) = mount_app("/keys/new/summary?app=app--s&arx=arx--p");
    create_and_show(&root).await;
    (root, mounted)
}

/// From the summary to the key step, with the secrets on screen.
async fn create_and_show(root: &HtmlElement) {
    eventually("create button", || {
        find(root, "[data-testid=create-submit]").is_some()
    })
    .await;
    let create: HtmlButtonElement = find(root, "[data-testid=create-submit]")
        .unwrap()
        .unchecked_into();
    create.click();
    eventually("secrets shown", || {
        reveals_secret(root, "server-signing-key", 0)
    })
    .await;
}

/// Whether the secret field `testid` shows the `n`th secret of the fake once revealed. It is
/// hidden again after, and then holds it no more.
fn reveals_secret(root: &HtmlElement, testid: &str, n: u32) -> bool {
    let Some(field) = find(root, &format!("[data-testid={testid}]")) else {
        return false;
    };
    let field: HtmlInputElement = field.unchecked_into();
    let toggle: HtmlElement = field
        .next_element_sibling()
        .expect("the field's Reveal button")
        .unchecked_into();
    toggle.click();
    let shown = field.type_() == "text" && holds_secret(&field, n);
    toggle.click();
    shown && field.type_() == "password" && !holds_secret(&field, n)
}

/// The page's copy buttons by their accessible names.
fn copy_buttons(root: &HtmlElement) -> std::collections::HashMap<String, HtmlElement> {
    root.query_selector_all(".copy-button")
        .unwrap()
        .values()
        .into_iter()
        .map(|b| b.unwrap().unchecked_into::<HtmlElement>())
        .filter_map(|b| Some((b.get_attribute("aria-label")?, b)))
        .collect()
}

fn click(root: &HtmlElement, selector: &str) {
    find(root, selector)
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .unchecked_into::<HtmlElement>()
        .click();
}

#[wasm_bindgen_test]
async fn the_secrets_stay_through_a_sign_out_in_another_tab_until_confirmed() {
    secrets_stay_through_a_sign_out(may_add()).await;
}

/// With no `add` entry in the base's ACL, the roles decide whether one may create; a sign-out
/// empties them, which must not turn the secrets into a refusal.
#[wasm_bindgen_test]
async fn the_secrets_stay_through_a_sign_out_when_the_roles_decided_the_permission() {
    secrets_stay_through_a_sign_out(json!({"can": {}, "can_not": {}})).await;
}

async fn secrets_stay_through_a_sign_out(acl: serde_json::Value) {
    fake_with(acl);
    let (root, _h) = step_four().await;
    let calls = fake_call_count();

    // Another tab signs out.
    let other_tab = web_sys::BroadcastChannel::new("onqlave-console-session").unwrap();
    other_tab.post_message(&"signed-out".into()).unwrap();
    eventually("the notice", || {
        find(&root, "[data-testid=signed-out-notice]").is_some()
    })
    .await;
    assert!(
        text(&root).contains("Copy or download the secrets now"),
        "the notice says what to do"
    );
    assert!(
        reveals_secret(&root, "server-secret-key", 1),
        "the secrets are still shown"
    );
    assert!(
        find(&root, "[data-testid=download]").is_some(),
        "and can still be downloaded"
    );
    sleep(300).await;
    assert_eq!(fake_call_count(), calls, "no further API calls");
    assert!(
        find(&root, "[data-testid=server-signing-key]").is_some(),
        "nothing leaves on its own"
    );

    // Leaving takes the person's confirmation.
    let done: HtmlButtonElement = find(&root, "[data-testid=done]").unwrap().unchecked_into();
    assert!(done.disabled());
    // Why, beside it and in its description.
    let hint = find(&root, "#done-hint").expect("why Done waits");
    assert!(hint
        .text_content()
        .is_some_and(|t| t.contains("I have stored this key somewhere safe")));
    assert_eq!(
        done.get_attribute("aria-describedby").as_deref(),
        Some("done-hint")
    );
    click(&root, "[data-testid=stored]");
    eventually("done enabled", || !done.disabled()).await;
    assert!(
        find(&root, "#done-hint").is_none(),
        "said while it waits only"
    );
    assert!(done.get_attribute("aria-describedby").is_none());
    done.click();
    eventually("sign-in page", || text(&root).contains("Sign in")).await;
    eventually("secrets gone", || {
        find(&root, "[data-testid=server-signing-key]").is_none()
    })
    .await;
    assert_eq!(fake_call_count(), calls, "still no API call");
}

/// Signing out here while step 4 shows the secrets keeps the page (they are not stored yet);
/// the Sign out button goes, and the focus goes to the page's heading, not the document's
/// start.
#[wasm_bindgen_test]
async fn a_sign_out_here_on_step_four_keeps_the_focus_on_the_page() {
    fake();
    let (root, _h) = step_four().await;
    let sign_out: HtmlButtonElement = find(&root, ".user-menu button").unwrap().unchecked_into();
    sign_out.focus().unwrap();
    sign_out.click();
    eventually("the notice", || {
        find(&root, "[data-testid=signed-out-notice]").is_some()
    })
    .await;
    assert!(
        reveals_secret(&root, "server-signing-key", 0),
        "still shown"
    );
    eventually("the focus on the page's heading", || {
        leptos::prelude::document()
            .active_element()
            .is_some_and(|a| a.tag_name() == "H1" || a.has_attribute("data-arrive"))
    })
    .await;
}

/// A token renewed with fewer roles while step 4 shows the secrets (the roles decide, as the
/// base's ACL says nothing) does not take them away: the platform decided when it made the key.
/// For the run that made the key, and for secrets shown on request after the step was left.
#[wasm_bindgen_test]
async fn the_secrets_stay_when_a_renewed_token_brings_fewer_roles() {
    secrets_stay_with_fewer_roles(false).await;
}

#[wasm_bindgen_test]
async fn secrets_shown_on_request_stay_when_a_renewed_token_brings_fewer_roles() {
    secrets_stay_with_fewer_roles(true).await;
}

async fn secrets_stay_with_fewer_roles(resumed: bool) {
    let mut short = session(&["developer"]);
    // Renewed at the earliest the session allows, 5 s on.
    short["data"]["expires_in"] = json!(10);
    let active = ok(key("apikey--n", "onq.NEW", "active", "Server app", true));
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": short}, {"body": session(&["platform_admin"])}],
            "GET /api/tenants/tenant--t/keys/base": [{"body": base(json!({"can": {}, "can_not": {}}))}],
            "POST /api/tenants/tenant--t/keys": [{"body": active.clone()}],
            "GET /api/tenants/tenant--t/keys/apikey--n": [{"body": active}],
        })
        .to_string(),
    );
    fake_secrets(SECRETS);
    let (root, _h) = mount_app(if resumed {
        "/keys/new/key?key=apikey--n"
    } else {
        "/keys/new/summary?app=app--s&arx=arx--p"
    });
    if resumed {
        press_show(&root).await;
        eventually("secrets shown", || {
            reveals_secret(&root, "server-signing-key", 0)
        })
        .await;
    } else {
        create_and_show(&root).await;
    }
    let calls = fake_call_count();
    eventually_within(8_000, "the token renewed", || fake_call_count() > calls).await;
    sleep(300).await;
    assert!(
        find(&root, "[data-testid=not-permitted]").is_none(),
        "no refusal in place of the secrets"
    );
    assert!(
        reveals_secret(&root, "server-signing-key", 0),
        "the secrets are still shown"
    );
}

/// Masked, a secret is nowhere in the page (its markup, a field's value): it comes into the page
/// when the person reveals it and leaves when they hide it, and a copy does not bring it.
#[wasm_bindgen_test]
async fn the_page_holds_a_secret_only_while_it_is_revealed() {
    fake();
    install_fake_clipboard(true);
    let (root, _h) = step_four().await;
    assert!(!page_holds_a_secret(), "masked, no secret is in the page");
    let field: HtmlInputElement = find(&root, "[data-testid=server-signing-key]")
        .unwrap()
        .unchecked_into();
    assert_eq!(field.type_(), "password");
    assert!(
        !field.value().is_empty() && field.value().chars().all(|c| c == '\u{2022}'),
        "the field is masked by dots of its own, not the secret"
    );
    let toggle: HtmlElement = field.next_element_sibling().unwrap().unchecked_into();
    toggle.click();
    assert!(
        field.type_() == "text" && holds_secret(&field, 0) && page_holds_a_secret(),
        "revealed, the secret is in its field"
    );
    toggle.click();
    assert!(!page_holds_a_secret(), "hidden again, it has left the page");
    copy_buttons(&root)
        .remove("Copy Server signing key")
        .expect("the copy button")
        .click();
    eventually("the copy", clipboard_holds_secret).await;
    assert!(!page_holds_a_secret(), "a copy does not put it in the page");
}

/// A copy the browser refuses says how to get the text another way: a masked secret gives nothing
/// to a selection until it is revealed, and the shell lines are on no page. The words are said,
/// and stay on the page under the button until a copy succeeds.
#[wasm_bindgen_test]
async fn a_refused_copy_says_how_to_get_each_text_another_way() {
    fake();
    install_fake_clipboard(false);
    let (root, _h) = step_four().await;
    let button = |name: &str| copy_buttons(&root).remove(name).expect(name);
    // The words shown after `button`, if any.
    let shown_after = |button: &HtmlElement| {
        button
            .next_element_sibling()
            .filter(|e| e.class_list().contains("copy-help"))
            .filter(|e| !e.unchecked_ref::<HtmlElement>().hidden())
            .and_then(|e| e.text_content())
    };
    let secret = button("Copy Server signing key");
    assert_eq!(shown_after(&secret), None, "nothing shown before a copy");
    secret.click();
    eventually("the secret's way round", || {
        announced(&root).contains("reveal the value, then select it")
    })
    .await;
    let words = "Copy failed: reveal the value, then select it and copy it by hand";
    assert_eq!(shown_after(&secret).as_deref(), Some(words));
    sleep(2_300).await;
    assert_eq!(
        shown_after(&secret).as_deref(),
        Some(words),
        "the words stay after the button says Copy again"
    );
    let lines = button("Copy as environment variables");
    lines.click();
    eventually("the lines' way round", || {
        announced(&root).contains("download the credentials file instead")
            && shown_after(&lines).as_deref()
                == Some("Copy failed: download the credentials file instead")
    })
    .await;
    install_fake_clipboard(true);
    secret.click();
    eventually("gone once a copy succeeds", || {
        shown_after(&secret).is_none() && secret.text_content().as_deref() == Some("Copied")
    })
    .await;
}

/// The SDKs' credential file and the environment variables carry no client key: the page says
/// so beside it, so nobody leaves believing the file holds it.
#[wasm_bindgen_test]
async fn the_client_key_says_it_is_in_neither_the_file_nor_the_variables() {
    fake();
    let (root, _h) = step_four().await;
    assert!(find(&root, ".stepper").is_some(), "the steps taken here");
    let note = find(&root, "[data-testid=client-key-note]").expect("a note beside the client key");
    assert!(
        note.text_content()
            .unwrap_or_default()
            .contains("Not in the credentials file"),
        "it says what it is not in"
    );
    let field = find(&root, "[data-testid=client-key]").unwrap();
    assert_eq!(
        field.get_attribute("aria-describedby").as_deref(),
        Some(note.id().as_str()),
        "and the field is described by it"
    );
    let warning = find(&root, ".secrets .warning")
        .and_then(|w| w.text_content())
        .unwrap_or_default();
    assert!(
        warning.contains("download the credentials file and copy the client key"),
        "the warning does not say the file is enough: {warning}"
    );
}

/// A create answered without a status (contract §2: only the id is required) is waited for as
/// a pending one is, not taken for a failure that would let the person leave unasked.
#[wasm_bindgen_test]
async fn a_new_key_without_a_status_is_waited_for_not_failed() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys/base": [{"body": base(may_add())}],
            "POST /api/tenants/tenant--t/keys": [{"body": ok(json!({"id": "apikey--n", "access_key": "onq.NEW"}))}],
            "GET /api/tenants/tenant--t/keys/apikey--n": [{"body": ok(key("apikey--n", "onq.NEW", "active", "Server app", true))}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--n", "onq.NEW", "active", "Server app", true)], true)}],
        })
        .to_string(),
    );
    fake_secrets(SECRETS);
    let (root, _h) = step_four().await;
    assert!(find(&root, "[data-testid=provisioning-failed]").is_none());
}

#[wasm_bindgen_test]
async fn no_copy_of_a_secret_is_left_in_wasm_memory_after_the_key_step() {
    fake();
    no_copy_left_after_the_key_step().await;
}

/// A JSON encoder may escape characters of a secret (`\/`, `\u00e9`); decoding it must copy no
/// more than a plain one (serde_json unescapes into a scratch buffer that it frees unzeroed).
#[wasm_bindgen_test]
async fn no_copy_of_an_escaped_secret_is_left_in_wasm_memory_after_the_key_step() {
    fake();
    fake_secrets_escaped(SECRETS);
    no_copy_left_after_the_key_step().await;
}

async fn no_copy_left_after_the_key_step() {
    install_fake_clipboard(true);
    let (root, _h) = step_four().await;
    assert_eq!(
        fake_cache_mode(SECRETS).as_deref(),
        Some("no-store"),
        "the answer is kept out of the browser's HTTP cache"
    );
    // So is every other answer (tests/dashboard.rs checks the list and the polls).
    assert_eq!(
        fake_cache_mode("GET /api/tenants/tenant--t/keys/base").as_deref(),
        Some("no-store")
    );
    let memory = wasm_bindgen::memory();
    // While shown, the page keeps exactly one copy of each of the three secrets (the check can
    // see them), and the answer they came in is already zeroed.
    assert_eq!(
        secrets_in(&memory),
        3,
        "one copy of each secret while shown"
    );

    // Everything the page offers to do with them: reveal, copy, download.
    for button in root
        .query_selector_all(".secret-row button")
        .unwrap()
        .values()
    {
        button.unwrap().unchecked_into::<HtmlElement>().click();
        sleep(20).await;
    }
    click(&root, "[data-testid=download]");
    sleep(50).await;
    assert_eq!(
        secrets_in(&memory),
        3,
        "revealing, copying and downloading copy nothing"
    );
    assert!(
        text(&root).contains("Saving the credential file onqlave-credentials-onq.NEW.json"),
        "the download is said"
    );
    assert!(clipboard_holds_secret(), "a secret was copied");

    click(&root, "[data-testid=stored]");
    sleep(20).await;
    click(&root, "[data-testid=done]");
    eventually("back on the dashboard", || {
        find(&root, "table.keys-table").is_some()
    })
    .await;
    sleep(100).await;
    assert_eq!(secrets_in(&memory), 0, "no copy left in the wasm memory");
}

/// Leaving the page: `pagehide` as the browser sends it before keeping a page in its back/forward
/// cache. What the page does about it must be done before the next task, when the browser may
/// have frozen it.
async fn leave_the_page() {
    let init = web_sys::PageTransitionEventInit::new();
    init.set_persisted(true);
    let hidden = web_sys::PageTransitionEvent::new_with_event_init_dict("pagehide", &init).unwrap();
    leptos::prelude::window().dispatch_event(&hidden).unwrap();
    sleep(0).await;
}

/// A page left for another may be kept by the browser (the back/forward cache) and shown again
/// by Back, to whoever presses it: it must come back without the secrets, as a reload would.
#[wasm_bindgen_test]
async fn a_page_left_keeps_no_secret_for_back_to_show_again() {
    fake();
    let (root, _h) = step_four().await;
    let memory = wasm_bindgen::memory();
    assert_eq!(secrets_in(&memory), 3, "the check sees the secrets shown");

    leave_the_page().await;
    assert!(
        find(&root, "[data-testid=cannot-show-again]").is_some(),
        "the step as a reload shows it"
    );
    assert!(find(&root, "[data-testid=server-signing-key]").is_none());
    assert!(
        find(&root, "a[href='/keys/apikey--n']").is_some(),
        "the way to the key stays"
    );
    sleep(100).await;
    assert_eq!(secrets_in(&memory), 0, "no copy left in the wasm memory");
    assert_eq!(fake_calls(SECRETS), 1, "asked for once");
}

/// Signed in as the fake platform's tenant, with nothing to renew.
struct Signed;

impl apikeys_console::api::TokenSource for Signed {
    fn token(&self) -> Option<String> {
        Some("token".into())
    }
    fn tenant_id(&self) -> Option<String> {
        Some("tenant--t".into())
    }
    fn renew(
        &self,
        _: &apikeys_console::api::ApiClient,
    ) -> futures::future::LocalBoxFuture<'static, apikeys_console::api::Renewal> {
        Box::pin(async { apikeys_console::api::Renewal::Refused })
    }
    fn refused(&self) {}
}

#[wasm_bindgen_test]
async fn the_answer_that_brought_the_secrets_is_zeroed_once_decoded() {
    install_fake_fetch("{}");
    fake_secrets(SECRETS);
    let owner = leptos::prelude::Owner::new();
    owner.set();
    let client =
        apikeys_console::api::provide_api_client(test_config(), std::sync::Arc::new(Signed));
    let memory = wasm_bindgen::memory();
    let data = client.key_secrets("apikey--n").await.unwrap();
    assert_eq!(secrets_in(&memory), 3, "only the decoded copy");
    drop(data);
    assert_eq!(secrets_in(&memory), 0, "and it is zeroed when dropped");
}

/// An answer with the secrets that does not read as the platform's (bytes after the JSON, a
/// byte-order mark before it) is an error, and its text is zeroed all the same: the platform
/// has forgotten the secrets, and no copy may stay behind in freed memory.
#[wasm_bindgen_test]
async fn an_answer_with_the_secrets_that_cannot_be_read_is_zeroed_too() {
    let owner = leptos::prelude::Owner::new();
    owner.set();
    let memory = wasm_bindgen::memory();
    for (prefix, suffix) in [("", "x"), ("\u{feff}", "")] {
        install_fake_fetch("{}");
        fake_secrets(SECRETS);
        respell_answer(SECRETS, prefix, suffix);
        let client =
            apikeys_console::api::provide_api_client(test_config(), std::sync::Arc::new(Signed));
        let answer = client.key_secrets("apikey--n").await;
        assert!(
            answer.is_err(),
            "{prefix:?}…{suffix:?} is not the platform's answer"
        );
        assert_eq!(
            secrets_in(&memory),
            0,
            "{prefix:?}…{suffix:?}: no copy left"
        );
    }
}

#[wasm_bindgen_test]
async fn the_key_step_shows_usage_tabs_with_the_public_values_only() {
    fake();
    install_fake_clipboard(true);
    let (root, _h) = step_four().await;
    let tabs = root
        .query_selector_all("[role=tablist] [role=tab]")
        .unwrap();
    assert_eq!(tabs.length(), 2, "Go and Python");
    let tab = |n: u32| tabs.item(n).unwrap().unchecked_into::<HtmlElement>();
    assert_eq!(
        tab(0).get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let go = find(&root, "[data-testid=usage-go]").unwrap();
    let python = find(&root, "[data-testid=usage-python]").unwrap();
    assert!(python.has_attribute("hidden") && !go.has_attribute("hidden"));
    for panel in [&go, &python] {
        let text = panel.text_content().unwrap_or_default();
        assert!(text.contains("https://arx.example.test/arx--p") && text.contains("onq.NEW"));
        assert!(text.contains("ONQLAVE_SIGNING_KEY") && text.contains("ONQLAVE_SECRET_KEY"));
        assert!(!shows_a_secret(panel), "no secret in a snippet");
        // It scrolls sideways: a named tab stop, so that a keyboard can scroll it.
        let program = panel.query_selector(".usage-code pre").unwrap().unwrap();
        assert_eq!(program.get_attribute("tabindex").as_deref(), Some("0"));
        assert_eq!(program.get_attribute("role").as_deref(), Some("region"));
        assert!(program
            .get_attribute("aria-label")
            .is_some_and(|l| l.ends_with(" program")));
    }
    assert!(go
        .text_content()
        .unwrap()
        .contains("go get github.com/onqlavelabs/onqlave-go"));
    assert!(python
        .text_content()
        .unwrap()
        .contains("pip install onqlave-python"));

    // Keyboard: arrows and Home/End move the selection and the focus.
    tab(0).focus().unwrap();
    key_event(&tab(0), "ArrowRight", false);
    eventually("Python selected", || {
        tab(1).get_attribute("aria-selected").as_deref() == Some("true")
            && !python.has_attribute("hidden")
            && go.has_attribute("hidden")
    })
    .await;
    assert_eq!(document_active(), Some(tab(1).unchecked_into()));
    key_event(&tab(1), "Home", false);
    eventually("Go again", || !go.has_attribute("hidden")).await;
    key_event(&tab(0), "End", false);
    eventually("Python again", || !python.has_attribute("hidden")).await;

    // The program's copy holds no secret; the environment's copy holds both.
    click(&root, "[data-testid=usage-python] .usage-code .copy-button");
    eventually("program copied", || {
        copied_text().is_some_and(|t| t.contains("onqlave.encryption"))
    })
    .await;
    assert!(!clipboard_holds_secret());
    copy_buttons(&root)
        .remove("Copy as environment variables")
        .expect("the environment copy button")
        .click();
    eventually("exports copied", clipboard_is_env_exports).await;
}

/// Values that would act on the terminal they are pasted into (a Ctrl-C, an escape sequence) are
/// not offered as shell lines; the file still is.
#[wasm_bindgen_test]
async fn secrets_that_would_not_paste_safely_are_not_offered_as_shell_lines() {
    fake();
    fake_secrets_pasting_badly(SECRETS);
    let (root, _h) = step_four().await;
    let offered = copy_buttons(&root);
    assert!(
        !offered.contains_key("Copy as environment variables"),
        "{:?}",
        offered.keys()
    );
    let note = find(&root, "[data-testid=no-exports]").expect("why there are no shell lines");
    assert!(text_of(&note).contains("Download the credentials file instead"));
    assert!(find(&root, "[data-testid=download]").is_some());
}

/// The secrets' answer may leave the key's public fields null: the page takes them from the key,
/// so the API key shown (and put in the file and the shell lines) is never empty.
#[wasm_bindgen_test]
async fn public_fields_the_secrets_answer_leaves_out_come_from_the_key() {
    fake();
    fake_secrets_without_public_fields(SECRETS);
    let (root, _h) = step_four().await;
    let access: HtmlInputElement = find(&root, "[data-testid=access-key]")
        .unwrap()
        .unchecked_into();
    assert_eq!(access.value(), "onq.NEW");
    click(&root, "[data-testid=stored]");
    eventually("the key's link", || {
        find(&root, "[data-testid=view-key]").is_some()
    })
    .await;
    let link = find(&root, "[data-testid=view-key]").unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/keys/apikey--n")
    );
}

#[wasm_bindgen_test]
async fn once_stored_the_key_step_offers_the_next_steps() {
    fake();
    let (root, _h) = step_four().await;
    assert!(find(&root, "[data-testid=view-key]").is_none());
    click(&root, "[data-testid=stored]");
    eventually("next steps", || {
        find(&root, "[data-testid=view-key]").is_some()
            && find(&root, "[data-testid=create-another]").is_some()
    })
    .await;
    let view = find(&root, "[data-testid=view-key]").unwrap();
    assert_eq!(
        view.get_attribute("href").as_deref(),
        Some("/keys/apikey--n")
    );
    click(&root, "[data-testid=create-another]");
    eventually("step 1 again, nothing chosen", || {
        find(&root, "#app-app--s").is_some()
            && leptos::prelude::window().location().pathname().unwrap() == "/keys/new/application"
            && leptos::prelude::window()
                .location()
                .search()
                .unwrap()
                .is_empty()
    })
    .await;
    assert!(find(&root, "[data-testid=server-signing-key]").is_none());
}

/// The key's page, after step 4 showed its creator the secrets, does not offer to show them:
/// that offer is for secrets never received.
#[wasm_bindgen_test]
async fn the_key_s_page_offers_no_secrets_the_key_step_showed() {
    fake();
    let (root, _h) = step_four().await;
    click(&root, "[data-testid=stored]");
    eventually("next steps", || {
        find(&root, "[data-testid=view-key]").is_some()
    })
    .await;
    click(&root, "[data-testid=view-key]");
    // The key page's section (step 4 has one too, under a lesser heading).
    eventually("the key's page", || find(&root, "h2#usage-title").is_some()).await;
    assert!(
        find(&root, "[data-testid=unreceived-secrets]").is_none(),
        "no offer of secrets shown here"
    );
}

fn document_active() -> Option<web_sys::Element> {
    leptos::prelude::document().active_element()
}

/// While "Try again" is out on the key step, its button is busy: a second click cannot ask for
/// secrets that the first may be receiving.
#[wasm_bindgen_test]
async fn the_key_steps_retry_is_busy_until_its_answer() {
    fake();
    fail_first(SECRETS, 400, 400);
    let (root, _h) = mount_app("/keys/new/summary?app=app--s&arx=arx--p");
    eventually("create button", || {
        find(&root, "[data-testid=create-submit]").is_some()
    })
    .await;
    click(&root, "[data-testid=create-submit]");
    eventually("the error", || {
        text(&root).contains("The key could not be shown")
    })
    .await;
    assert!(
        find(&root, "a[href='/keys/apikey--n']").is_some(),
        "the way to the key its hint says to delete"
    );
    let again = || -> HtmlButtonElement {
        find(&root, ".error-panel button")
            .expect("the retry button")
            .unchecked_into()
    };
    assert_eq!(again().text_content().as_deref(), Some("Try again"));
    again().focus().unwrap();
    again().click();
    eventually("busy", || {
        again().get_attribute("aria-disabled").as_deref() == Some("true")
    })
    .await;
    assert_eq!(
        leptos::prelude::document().active_element(),
        Some(again().into()),
        "busy keeps the focus where it was"
    );
    assert_eq!(again().text_content().as_deref(), Some("Trying again…"));
    again().click();
    eventually("secrets shown", || {
        reveals_secret(&root, "server-signing-key", 0)
    })
    .await;
    sleep(600).await;
    assert_eq!(
        fake_calls(SECRETS),
        2,
        "the secrets were asked for once per answer"
    );
}

/// Step 4 reached without the run that created the key (a reload, a sign-in on the way), with
/// the key's id in the address.
fn fake_unclaimed(secrets: serde_json::Value) {
    fake_step_four(
        json!([
            {"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))},
            {"body": ok(key("apikey--n", "onq.NEW", "active", "Server app", true))}
        ]),
        secrets,
    );
}

/// Step 4 without its run: the key read with `key_answers`, its secrets with `secrets`.
fn fake_step_four(key_answers: serde_json::Value, secrets: serde_json::Value) {
    let mut routes = json!({
        "POST /auth/refresh": [{"body": session(&["developer"])}],
        "GET /api/tenants/tenant--t/keys/base": [{"body": base(may_add())}],
        "GET /api/tenants/tenant--t/keys/apikey--n": key_answers,
    });
    routes[SECRETS] = secrets;
    install_fake_fetch(&routes.to_string());
}

/// Presses "Show the secrets" once step 4 offers it.
async fn press_show(root: &HtmlElement) {
    eventually("the offer", || {
        find(root, "[data-testid=show-secrets]").is_some()
    })
    .await;
    click(root, "[data-testid=show-secrets]");
}

#[wasm_bindgen_test]
async fn secrets_nobody_received_are_shown_once_on_request_after_the_step_was_left() {
    fake_unclaimed(json!([]));
    fake_secrets(SECRETS);
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    eventually("the offer", || {
        find(&root, "[data-testid=show-secrets]").is_some()
    })
    .await;
    assert_eq!(
        fake_calls(SECRETS),
        0,
        "nothing is asked for until the person asks"
    );
    assert!(
        find(&root, ".stepper").is_none(),
        "no steps shown done: none was taken here"
    );
    let show: HtmlButtonElement = find(&root, "[data-testid=show-secrets]")
        .unwrap()
        .unchecked_into();
    show.focus().unwrap();
    show.click();
    eventually_within(5_000, "the secrets, once the key is active", || {
        reveals_secret(&root, "server-signing-key", 0)
    })
    .await;
    assert_eq!(fake_calls(SECRETS), 1, "asked for once");
    // The button went with the offer; the focus goes on to the step's heading, not the start.
    eventually("the focus on the step's heading", || {
        leptos::prelude::document()
            .active_element()
            .is_some_and(|a| a.id() == "key-title")
    })
    .await;
}

/// Secrets left unclaimed are the creator's to ask for from step 4 whatever the wizard's offer
/// says: a read of the offer that fails, or a plan or role that no longer allows creating, does
/// not stand in the way (the platform decides who receives them). A creator the platform names
/// without an id is left to the platform to judge, too.
#[wasm_bindgen_test]
async fn unclaimed_secrets_need_neither_the_offer_nor_the_right_to_create() {
    let refused =
        json!({"can": {"add": false}, "can_not": {"add": "The plan allows no more keys"}});
    let unavailable =
        json!({"status": 503, "body": err(503, "service_unavailable_err", "Maintenance")});
    for (base_answer, creator) in [
        (
            json!({"body": base(refused)}),
            json!({"id": "user--1", "full_name": "Test Person"}),
        ),
        (unavailable, json!({"full_name": "Test Person"})),
    ] {
        let mut pending = key("apikey--n", "onq.NEW", "pending", "Server app", false);
        let mut active = key("apikey--n", "onq.NEW", "active", "Server app", true);
        pending["created_by"] = creator.clone();
        active["created_by"] = creator.clone();
        let mut routes = json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys/base": [base_answer],
            "GET /api/tenants/tenant--t/keys/apikey--n": [{"body": ok(pending)}, {"body": ok(active)}],
        });
        routes[SECRETS] = json!([]);
        install_fake_fetch(&routes.to_string());
        fake_secrets(SECRETS);
        let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
        press_show(&root).await;
        eventually_within(5_000, "the secrets", || {
            reveals_secret(&root, "server-signing-key", 0)
        })
        .await;
        assert_eq!(fake_calls(SECRETS), 1, "creator {creator}");
    }
}

/// From one key's step 4 to another's within the wizard (the Back button's menu, or a link),
/// once the person agrees to leave: the other key's step 4 is drawn, and the secrets shown
/// are not left on screen under its address.
#[wasm_bindgen_test]
async fn another_key_s_step_four_does_not_keep_the_secrets_shown() {
    fake();
    let (root, _h) = step_four().await;
    let _leaving = AnsweredConfirm::with(true);
    let link = leptos::prelude::document().create_element("a").unwrap();
    link.set_attribute("href", "/keys/new/key?key=apikey--a")
        .unwrap();
    root.append_child(&link).unwrap();
    link.unchecked_into::<HtmlElement>().click();
    eventually("the other key's step 4", || {
        leptos::prelude::window().location().search().unwrap() == "?key=apikey--a"
            && find(&root, "[data-testid=cannot-show-again]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=server-signing-key]").is_none());
    assert_eq!(
        fake_calls(SECRETS),
        1,
        "this run's secrets only, asked for once"
    );
}

/// A creator whose role no longer manages keys (the platform gives secrets to such a role only)
/// is offered no way to ask for them: neither from the key's page nor on step 4.
#[wasm_bindgen_test]
async fn a_view_only_creator_is_offered_no_secrets() {
    let pending = key("apikey--n", "onq.NEW", "pending", "Server app", false);
    let mut routes = json!({
        "POST /auth/refresh": [{"body": session(&["platform_admin"])}],
        "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![pending.clone()], true)}],
        "GET /api/tenants/tenant--t/keys/base": [{"body": base(may_add())}],
        "GET /api/tenants/tenant--t/keys/apikey--n": [{"body": ok(pending)}],
    });
    routes[SECRETS] = json!([]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/keys/apikey--n");
    eventually("the key", || text(&root).contains("Arx URL")).await;
    assert!(find(&root, "[data-testid=unreceived-secrets] a").is_none());
    drop(_h);
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    eventually("said why", || {
        find(&root, "[data-testid=not-permitted]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=show-secrets]").is_none());
    assert_eq!(fake_calls(SECRETS), 0);
}

/// The secrets shown on request after a reload are dropped as well when the page is left.
#[wasm_bindgen_test]
async fn secrets_shown_on_request_are_not_kept_by_a_page_left() {
    fake_unclaimed(json!([]));
    fake_secrets(SECRETS);
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    press_show(&root).await;
    eventually_within(5_000, "the secrets", || {
        reveals_secret(&root, "server-signing-key", 0)
    })
    .await;
    let memory = wasm_bindgen::memory();
    assert_eq!(secrets_in(&memory), 3, "the check sees the secrets shown");

    leave_the_page().await;
    assert!(find(&root, "[data-testid=server-signing-key]").is_none());
    assert!(
        find(&root, "[data-testid=shown-here]").is_some(),
        "they were shown here: nothing more to ask for"
    );
    assert!(find(&root, "[data-testid=show-secrets]").is_none());
    sleep(100).await;
    assert_eq!(secrets_in(&memory), 0, "no copy left in the wasm memory");
}

/// A page left while the key provisions asks for nothing more: nobody would see the secrets
/// until the person is back and asks.
#[wasm_bindgen_test]
async fn a_page_left_while_the_key_provisions_claims_nothing() {
    const KEY: &str = "GET /api/tenants/tenant--t/keys/apikey--n";
    fake_unclaimed(json!([]));
    fake_secrets(SECRETS);
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    press_show(&root).await;
    eventually("the wait", || find(&root, ".provisioning").is_some()).await;

    leave_the_page().await;
    assert!(find(&root, ".provisioning").is_none());
    assert!(find(&root, "[data-testid=show-secrets]").is_some());
    // The wait ends before its next look at the key (active by then).
    let looked = fake_calls(KEY);
    sleep(600).await;
    assert_eq!(fake_calls(KEY), looked, "no look after the page was left");
    assert_eq!(fake_calls(SECRETS), 0, "nothing claimed");
}

#[wasm_bindgen_test]
async fn secrets_already_received_are_said_to_be_gone() {
    fake_unclaimed(json!([{"status": 410, "body": err(410, "gone_err", "already provided")}]));
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    press_show(&root).await;
    eventually_within(5_000, "already handed out", || {
        text(&root).contains("The secrets were already handed out")
    })
    .await;
    // The way to do what it says: the key's page, where it can be deleted.
    let to_key = find(&root, ".error-panel a[href='/keys/apikey--n']").expect("a link to the key");
    assert_eq!(
        to_key.text_content().as_deref(),
        Some("Go to the key to delete it")
    );
}

#[wasm_bindgen_test]
async fn someone_else_s_key_is_not_asked_for_and_not_to_be_deleted() {
    let mut theirs = key("apikey--n", "onq.NEW", "active", "Server app", true);
    theirs["created_by"] = json!({"id": "user--2", "full_name": "Someone Else"});
    fake_step_four(json!([{"body": ok(theirs)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    press_show(&root).await;
    eventually("refused", || {
        find(&root, "[data-testid=not-yours]").is_some()
    })
    .await;
    assert_eq!(fake_calls(SECRETS), 0, "nothing asked for");
    assert!(!text(&root).contains("delete this key"), "{}", text(&root));
    focus_follows_to(&root, "[data-testid=not-yours] h2").await;
}

/// The button pressed is gone: the focus goes to the heading of what took its place, which
/// a screen reader then reads out.
async fn focus_follows_to(root: &HtmlElement, heading: &str) {
    let heading = find(root, heading).unwrap();
    eventually("the focus on the heading", || {
        leptos::prelude::document().active_element().as_ref() == Some(&heading)
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_failed_key_s_secrets_are_not_asked_for_and_the_page_says_why() {
    fake_step_four(
        json!([{"body": ok(key("apikey--n", "onq.NEW", "failed", "Server app", true))}]),
        json!([]),
    );
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    eventually("the offer", || {
        find(&root, "[data-testid=show-secrets]").is_some()
    })
    .await;
    let show: HtmlElement = find(&root, "[data-testid=show-secrets]")
        .unwrap()
        .unchecked_into();
    show.focus().unwrap();
    show.click();
    eventually("no secrets to show", || {
        find(&root, "[data-testid=no-secrets]").is_some()
    })
    .await;
    assert_eq!(fake_calls(SECRETS), 0, "nothing asked for");
    assert!(text(&root).contains("This API key has no secrets to show"));
    focus_follows_to(&root, "[data-testid=no-secrets] h2").await;
}

#[wasm_bindgen_test]
async fn a_refusal_of_the_secrets_says_whose_they_are() {
    // The key names no creator; the platform refuses (404) all but the creator.
    let mut unnamed = key("apikey--n", "onq.NEW", "active", "Server app", true);
    unnamed["created_by"] = json!(null);
    fake_step_four(
        json!([{"body": ok(unnamed)}]),
        json!([{"status": 404, "body": err(404, "db_not_exist_err", "not found")}]),
    );
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    press_show(&root).await;
    eventually("whose they are", || {
        find(&root, "[data-testid=not-yours]").is_some()
    })
    .await;
    assert!(!text(&root).contains("delete the key"), "{}", text(&root));
}

#[wasm_bindgen_test]
async fn an_address_that_is_no_key_id_offers_nothing() {
    fake_unclaimed(json!([]));
    let (root, _h) = mount_app("/keys/new/key?key=..");
    eventually("cannot show again", || {
        find(&root, "[data-testid=cannot-show-again]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=show-secrets]").is_none());
}

/// A poll answered with a key of no id is not understood, and the next one would not be
/// either: the wait ends with the error and a retry, not "Provisioning…" forever.
#[wasm_bindgen_test]
async fn a_poll_the_console_does_not_understand_ends_the_wait_with_a_retry() {
    let mut nameless = key("apikey--n", "onq.NEW", "pending", "Server app", false);
    nameless.as_object_mut().unwrap().remove("id");
    fake_step_four(
        json!([
            {"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))},
            {"body": ok(nameless)}
        ]),
        json!([]),
    );
    let (root, _h) = mount_app("/keys/new/key?key=apikey--n");
    press_show(&root).await;
    eventually_within(5_000, "the wait ended with the error", || {
        text(&root).contains("does not understand")
    })
    .await;
    assert!(find(&root, ".provisioning").is_none());
    assert!(
        find(&root, "button").is_some_and(|_| text(&root).contains("Try again")),
        "{}",
        text(&root)
    );
}

/// The wait counts the seconds as they pass, not only when the platform is asked again (the
/// polls come further apart as it goes on).
#[wasm_bindgen_test]
async fn the_wait_counts_every_second_between_polls() {
    fake_unclaimed(json!([]));
    let config = apikeys_console::config::RuntimeConfig {
        poll_interval_ms: 10_000,
        ..test_config()
    };
    let (root, _h) = mount_app_with("/keys/new/key?key=apikey--n", config);
    press_show(&root).await;
    eventually("the wait", || text(&root).contains("Time waited: 0 s")).await;
    eventually_within(3_500, "two seconds counted", || {
        text(&root).contains("Time waited: 2 s")
    })
    .await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys/apikey--n"),
        1,
        "with no poll meanwhile"
    );
    // Said once, not every second: the counter is outside the live region.
    let live = root
        .query_selector_all("[aria-live], [role=status], [role=alert]")
        .unwrap();
    let said: Vec<String> = (0..live.length())
        .filter_map(|i| live.item(i)?.text_content())
        .collect();
    assert!(said.iter().any(|s| s.contains("Provisioning")), "{said:?}");
    assert!(
        said.iter().all(|s| !s.contains("Time waited")),
        "the counter is read out every second: {said:?}"
    );
}

/// From the moment the secrets are asked for, leaving may lose them (the answer on its way may
/// be the one hand-out): the warning says so then, not "nothing is lost yet".
#[wasm_bindgen_test]
async fn leaving_while_the_secrets_are_on_their_way_warns_they_may_be_lost() {
    fake();
    js_sys::eval(&format!("window.__fakeRoutes['{SECRETS}'][0].delay = 3000")).unwrap();
    let asked = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let confirm = {
        let asked = asked.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(String) -> bool>::new(move |m: String| {
            asked.borrow_mut().push(m);
            false
        })
    };
    let window = leptos::prelude::window();
    let real = js_sys::Reflect::get(&window, &"confirm".into()).unwrap();
    js_sys::Reflect::set(&window, &"confirm".into(), confirm.as_ref()).unwrap();
    let (root, _h) = mount_app("/keys/new/summary?app=app--s&arx=arx--p");
    eventually("create button", || {
        find(&root, "[data-testid=create-submit]").is_some()
    })
    .await;
    click(&root, "[data-testid=create-submit]");
    eventually("the secrets asked for", || fake_calls(SECRETS) == 1).await;
    key_event(&window.document().unwrap().body().unwrap(), "Escape", false);
    js_sys::Reflect::set(&window, &"confirm".into(), &real).unwrap();
    let asked = asked.borrow().clone();
    assert_eq!(asked.len(), 1, "asked first");
    assert!(asked[0].contains("cannot be shown again"), "{}", asked[0]);
}

/// Only step 4 holds the page through a sign-out, and only while it lives: left while the
/// secrets were on their way, the next page goes with a sign-out as any other, not when that
/// answer comes (it would keep the tenant's list on screen for whoever comes next).
#[wasm_bindgen_test]
async fn a_step_four_left_while_its_secrets_come_holds_no_page_through_a_sign_out() {
    fake();
    js_sys::eval(&format!(
        "window.__fakeRoutes['{SECRETS}'][0].delay = 10000"
    ))
    .unwrap();
    // The answer is out for longer than the test waits.
    let config = apikeys_console::config::RuntimeConfig {
        request_timeout_ms: 20_000,
        ..test_config()
    };
    let (root, _h) = mount_app_with("/keys/new/summary?app=app--s&arx=arx--p", config);
    eventually("create button", || {
        find(&root, "[data-testid=create-submit]").is_some()
    })
    .await;
    click(&root, "[data-testid=create-submit]");
    eventually("the secrets asked for", || fake_calls(SECRETS) == 1).await;
    let leave = AnsweredConfirm::with(true);
    key_event(
        &leptos::prelude::document().body().unwrap(),
        "Escape",
        false,
    );
    assert_eq!(leave.asked(), 1);
    eventually("the dashboard", || {
        find(&root, "tr[data-key-id='apikey--n']").is_some()
    })
    .await;
    let other_tab = web_sys::BroadcastChannel::new("onqlave-console-session").unwrap();
    other_tab.post_message(&"signed-out".into()).unwrap();
    eventually("the sign-in page, before the secrets' answer", || {
        find(&root, "input[type=password]").is_some()
    })
    .await;
    assert!(
        find(&root, "tr[data-key-id='apikey--n']").is_none(),
        "the list went with the sign-out"
    );
}

/// Step 4 for a key the platform does not know (a mistyped or stale address): once the platform
/// says so, nothing is offered but the way back.
#[wasm_bindgen_test]
async fn a_key_the_platform_does_not_know_offers_only_the_way_back() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys/base": [{"body": base(may_add())}],
            "GET /api/tenants/tenant--t/keys/apikey--nope": [{"status": 404, "body": err(404, "db_not_exist_err", "No such API key")}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/keys/new/key?key=apikey--nope");
    press_show(&root).await;
    eventually("said", || {
        find(&root, "[data-testid=no-such-key]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=show-secrets]").is_none());
    assert!(find(&root, "a[href='/keys/apikey--nope']").is_none());
    assert!(find(&root, "[data-testid=no-such-key] a[href='/']").is_some());
}

/// "Create another key" starts afresh: the Arx of the run that made the key is not brought
/// back by step 1's Next.
#[wasm_bindgen_test]
async fn create_another_key_starts_without_the_last_run_s_arx() {
    fake();
    let (root, _h) = step_four().await;
    click(&root, "[data-testid=stored]");
    eventually("create another", || {
        find(&root, "[data-testid=create-another]").is_some()
    })
    .await;
    click(&root, "[data-testid=create-another]");
    eventually("step 1", || find(&root, "#app-app--s").is_some()).await;
    click(&root, "#app-app--s");
    let next_enabled = || {
        find(&root, ".wizard-actions button")
            .is_some_and(|b| !b.unchecked_ref::<HtmlButtonElement>().disabled())
    };
    eventually("Next", next_enabled).await;
    click(&root, ".wizard-actions button");
    eventually("step 2", || find(&root, "#arx-arx--p").is_some()).await;
    let search = leptos::prelude::window().location().search().unwrap();
    assert!(!search.contains("arx="), "{search}");
    assert!(!find(&root, "#arx-arx--p")
        .unwrap()
        .unchecked_ref::<HtmlInputElement>()
        .checked());
}

/// Back after Done passes the wizard's entries again: step 4 says the secrets were shown here and
/// asks the platform for nothing; the summary says a key was made from its choices, so that a
/// second Create is not made unawares.
#[wasm_bindgen_test]
async fn back_after_done_says_the_secrets_were_shown_and_the_key_made() {
    fake();
    back_after_done("/keys/new/summary?app=app--s&arx=arx--p").await;
}

/// The same on a platform that offers no applications (the key names none).
#[wasm_bindgen_test]
async fn back_after_done_says_the_key_made_without_applications_too() {
    let mut no_applications = base(may_add());
    no_applications["data"]["model"]["applications"] = json!([]);
    fake_on(no_applications);
    back_after_done("/keys/new/summary?arx=arx--p").await;
}

/// From the summary at `path`: Create, the secrets shown, stored, Done, then Back twice.
async fn back_after_done(path: &str) {
    let (root, _h) = mount_app(path);
    assert!(find(&root, "[data-testid=made-before]").is_none());
    create_and_show(&root).await;
    click(&root, "[data-testid=stored]");
    eventually("done enabled", || {
        find(&root, "[data-testid=done]")
            .is_some_and(|b| !b.unchecked_ref::<HtmlButtonElement>().disabled())
    })
    .await;
    click(&root, "[data-testid=done]");
    eventually("the list", || {
        leptos::prelude::window().location().pathname().unwrap() == "/"
    })
    .await;
    let history = leptos::prelude::window().history().unwrap();
    history.back().unwrap();
    eventually("step 4 again", || {
        find(&root, "[data-testid=shown-here]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=show-secrets]").is_none());
    assert!(find(&root, "[data-testid=server-signing-key]").is_none());
    assert!(
        find(&root, "a[href='/keys/apikey--n']").is_some(),
        "the way to the key"
    );
    history.back().unwrap();
    eventually("the summary, saying what was made", || {
        find(&root, "[data-testid=made-before]")
            .is_some_and(|p| text_of(&p).contains("onq.NEW") && text_of(&p).contains("second key"))
    })
    .await;
    sleep(100).await;
    assert_eq!(fake_calls(SECRETS), 1, "asked for once");
}

fn text_of(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default()
}
