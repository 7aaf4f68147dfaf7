//! Browser tests of the create wizard's steps against a fake platform.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn base(apps: bool) -> serde_json::Value {
    let applications = if apps {
        json!([
            {"id": "app--s", "name": "Server app", "application_technology": {"id": "server", "name": "Server"}},
            {"id": "app--c", "name": "Client app", "application_technology": {"id": "client", "name": "Client"}}
        ])
    } else {
        json!(null)
    };
    ok(json!({
        "acl": {"can": {"add": true}, "can_not": {}},
        "model": {"applications": applications, "clusters": [
            {"id": "arx--p", "name": "prod", "label": "Production", "purpose": {"id": "production", "name": "Production"},
             "plan": {"id": "dedicated", "name": "Dedicated"}, "provider": {"id": "aws", "name": "AWS"},
             "regions": [{"id": "au", "name": "Australia"}], "encryption": {"id": "aes-gcm-256", "name": "AES-GCM-256"},
             "rotation_cycle": {"id": "monthly", "name": "Monthly"}}
        ]}
    }))
}

fn fake(base_answers: serde_json::Value, create: serde_json::Value) {
    fake_listing(
        base_answers,
        create,
        json!([{"body": key_list(vec![], true)}]),
    );
}

/// As [`fake`], the key list answered by `lists` in turn.
fn fake_listing(
    base_answers: serde_json::Value,
    create: serde_json::Value,
    lists: serde_json::Value,
) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys/base": base_answers,
            "POST /api/tenants/tenant--t/keys": create,
            "GET /api/tenants/tenant--t/keys/apikey--n": [{"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}],
            "POST /auth/logout": [{"body": ok(json!(null))}],
            "POST /auth/login": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys": lists,
        })
        .to_string(),
    );
}

/// The summary of a server application on the Arx `arx--p`, once Create is there.
async fn summary() -> (web_sys::HtmlElement, impl Drop) {
    let (root, h) = mount_app("/keys/new/summary?app=app--s&arx=arx--p");
    eventually("create button", || {
        find(&root, "[data-testid=create-submit]").is_some()
    })
    .await;
    (root, h)
}

fn button(root: &web_sys::HtmlElement, selector: &str) -> HtmlButtonElement {
    find(root, selector).unwrap().unchecked_into()
}

#[wasm_bindgen_test]
async fn step_one_enables_next_only_with_a_choice_and_keeps_it_in_the_url() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/application");
    eventually("choices", || find(&root, "#app-app--s").is_some()).await;
    let next = button(&root, ".wizard-actions button");
    assert!(next.disabled());
    assert!(
        text(&root).contains("1. Application"),
        "stepper shows the steps"
    );
    let radio: HtmlInputElement = find(&root, "#app-app--c").unwrap().unchecked_into();
    radio.click();
    eventually("next enabled", || !next.disabled()).await;
    eventually("choice in the URL", || {
        window_search().contains("app=app--c")
    })
    .await;
}

/// A base that offers one application (or Arx) twice shows it once: two radio buttons of one
/// element id would have the second's label choose the first.
#[wasm_bindgen_test]
async fn a_choice_offered_twice_is_shown_once() {
    let mut twice = base(true);
    let model = &mut twice["data"]["model"];
    let app = model["applications"][0].clone();
    model["applications"].as_array_mut().unwrap().push(app);
    let arx = model["clusters"][0].clone();
    model["clusters"].as_array_mut().unwrap().push(arx);
    fake(json!([{"body": twice}]), json!([]));
    let radios = |root: &web_sys::HtmlElement| {
        root.query_selector_all("input[type=radio]")
            .unwrap()
            .length()
    };
    let (root, h) = mount_app("/keys/new/application");
    eventually("choices", || find(&root, "#app-app--s").is_some()).await;
    assert_eq!(radios(&root), 2, "each application once");
    drop(h);
    let (root, _h) = mount_app("/keys/new/arx?app=app--s");
    eventually("Arx choices", || find(&root, "#arx-arx--p").is_some()).await;
    assert_eq!(radios(&root), 1, "each Arx once");
}

/// `/keys/new` goes on to step 1 with the choices its address carries.
#[wasm_bindgen_test]
async fn the_wizard_s_own_address_keeps_the_choices_it_carries() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new?app=app--c&arx=arx--p");
    eventually("step 1, with the application chosen", || {
        leptos::prelude::window().location().pathname().unwrap() == "/keys/new/application"
            && find(&root, "#app-app--c")
                .is_some_and(|r| r.unchecked_ref::<HtmlInputElement>().checked())
    })
    .await;
    assert!(window_search().contains("arx=arx--p"));
}

/// The browser's Back from step 2 lands on step 1's address, made before the Arx was chosen:
/// Next from there brings the chosen Arx back rather than asking for it again.
#[wasm_bindgen_test]
async fn back_from_step_two_and_next_again_keeps_the_chosen_arx() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/application");
    let path = || leptos::prelude::window().location().pathname().unwrap();
    eventually("choices", || find(&root, "#app-app--s").is_some()).await;
    find(&root, "#app-app--s")
        .unwrap()
        .unchecked_into::<HtmlInputElement>()
        .click();
    eventually("chosen", || window_search().contains("app=app--s")).await;
    let next_enabled = || {
        find(&root, ".wizard-actions button")
            .is_some_and(|b| !b.unchecked_ref::<HtmlButtonElement>().disabled())
    };
    eventually("Next", next_enabled).await;
    button(&root, ".wizard-actions button").click();
    eventually("step 2", || find(&root, "#arx-arx--p").is_some()).await;
    find(&root, "#arx-arx--p")
        .unwrap()
        .unchecked_into::<HtmlInputElement>()
        .click();
    eventually("chosen", || window_search().contains("arx=arx--p")).await;
    leptos::prelude::window().history().unwrap().back().unwrap();
    eventually("step 1 again", || path() == "/keys/new/application").await;
    assert!(!window_search().contains("arx="), "step 1's own address");
    eventually("Next", next_enabled).await;
    button(&root, ".wizard-actions button").click();
    eventually("step 2 with the Arx chosen", || {
        path() == "/keys/new/arx"
            && window_search().contains("arx=arx--p")
            && find(&root, "#arx-arx--p")
                .is_some_and(|r| r.unchecked_ref::<HtmlInputElement>().checked())
    })
    .await;
}

/// Enter on the choices goes on, as Enter in a form does, once something is chosen.
#[wasm_bindgen_test]
async fn enter_on_a_step_s_choices_goes_on_once_one_is_chosen() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/application");
    eventually("choices", || find(&root, "#app-app--s").is_some()).await;
    let path = || leptos::prelude::window().location().pathname().unwrap();
    let radio = find(&root, "#app-app--s").unwrap();
    key_event(&radio, "Enter", false);
    sleep(50).await;
    assert_eq!(path(), "/keys/new/application", "nothing chosen yet");
    radio.unchecked_ref::<HtmlInputElement>().click();
    eventually("choice in the URL", || {
        window_search().contains("app=app--s")
    })
    .await;
    // A held key's repeats are not presses: they would go on past the next step too.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_repeat(true);
    init.set_bubbles(true);
    let held = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    radio.dispatch_event(&held).unwrap();
    sleep(50).await;
    assert_eq!(path(), "/keys/new/application", "a repeat is no press");
    key_event(&radio, "Enter", false);
    eventually("step 2", || path() == "/keys/new/arx").await;
    eventually("the Arx", || find(&root, "#arx-arx--p").is_some()).await;
    let arx = find(&root, "#arx-arx--p").unwrap();
    arx.unchecked_ref::<HtmlInputElement>().click();
    eventually("choice in the URL", || {
        window_search().contains("arx=arx--p")
    })
    .await;
    key_event(&arx, "Enter", false);
    eventually("step 3", || path() == "/keys/new/summary").await;
}

fn window_search() -> String {
    leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn without_applications_the_wizard_starts_at_the_arx() {
    fake(json!([{"body": base(false)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/application");
    eventually("arx step", || find(&root, "#arx-arx--p").is_some()).await;
    assert!(!text(&root).contains("1. Application"));
    assert!(text(&root).contains("Production") && text(&root).contains("AES-GCM-256"));
}

/// With no Arx offered, step 2 says why it has nothing to choose, and nothing leads on.
#[wasm_bindgen_test]
async fn without_an_arx_step_two_says_so() {
    let mut no_arx = base(true);
    no_arx["data"]["model"]["clusters"] = json!([]);
    fake(json!([{"body": no_arx}]), json!([]));
    // An Arx in the link too: not "choose one below", with nothing below.
    let (root, _h) = mount_app("/keys/new/arx?app=app--s&arx=arx--p");
    eventually("the explanation", || {
        find(&root, "[data-testid=no-arx]").is_some()
    })
    .await;
    assert!(text(&root).contains("There is no Arx to put a key on yet"));
    assert!(!text(&root).contains("Choose one below"));
    let question = find(&root, "legend").unwrap();
    assert_eq!(
        question.get_attribute("aria-describedby").as_deref(),
        Some("no-arx"),
        "read with the question it answers"
    );
    assert!(find(&root, "input[name=arx]").is_none());
    let next = button(&root, ".wizard-actions button");
    assert!(next.disabled(), "nothing to go on with");
}

#[wasm_bindgen_test]
async fn a_transient_base_failure_is_retried_by_the_client() {
    fake(
        json!([{"status": 503, "body": err(503, "service_unavailable_err", "down")}, {"body": base(true)}]),
        json!([]),
    );
    let (root, _h) = mount_app("/keys/new/application");
    // 503 is retried by the client itself; the page then recovers without help.
    eventually("choices after retry", || {
        find(&root, "#app-app--s").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn create_sends_one_request_however_many_clicks() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"delay": 300, "body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}]),
    );
    let (root, _h) = summary().await;
    let create = button(&root, "[data-testid=create-submit]");
    create.click();
    create.click();
    create.click();
    eventually("provisioning view", || {
        text(&root).contains("Provisioning your key")
    })
    .await;
    assert_eq!(fake_calls("POST /api/tenants/tenant--t/keys"), 1);
}

/// Whether a `beforeunload` now would ask the person first.
fn leaving_asks() -> bool {
    let init = web_sys::EventInit::new();
    init.set_cancelable(true);
    let e = web_sys::Event::new_with_event_init_dict("beforeunload", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&e).unwrap();
    e.default_prevented()
}

/// Presses Create on the review, whose every attempt fails without an answer (the fake's
/// network error), and waits until the page says the outcome is open.
async fn create_and_lose_the_answer(root: &web_sys::HtmlElement) {
    button(root, "[data-testid=create-submit]").click();
    eventually_within(10_000, "the create's answer lost", || {
        text(root).contains("Creating again from this page is safe")
    })
    .await;
}

/// Presses step 2's "Next: review" once step 2 is drawn (the review it replaces may still be on
/// the page a moment, with buttons of its own).
async fn next_from_step_two(root: &web_sys::HtmlElement) {
    let next = || {
        find(root, ".wizard-actions button")
            .filter(|b| b.text_content().as_deref() == Some("Next: review"))
    };
    eventually("step 2's Next", || next().is_some()).await;
    next()
        .unwrap()
        .unchecked_into::<HtmlButtonElement>()
        .click();
}

/// A create whose answer was lost lives in this page only (its idempotency key): closing or
/// reloading the tab then asks first, since Create after a reload would make a second key.
#[wasm_bindgen_test]
async fn a_create_whose_answer_was_lost_asks_before_the_tab_is_left() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"network_error": true}]),
    );
    let (root, _h) = summary().await;
    assert!(!leaving_asks(), "nothing to lose yet");
    button(&root, "[data-testid=create-submit]").click();
    assert!(leaving_asks(), "while the create is on its way");
    eventually_within(10_000, "the create failed", || {
        text(&root).contains("could not be reached")
    })
    .await;
    assert!(text(&root).contains("Creating again from this page is safe"));
    assert!(leaving_asks(), "its outcome is unknown");
}

/// A session that ends while a create's outcome is unknown does not lose its intent: the
/// sign-in brings the person back to the review, which says so, and Create replays the same
/// intent (one idempotency key), so no second key is made.
#[wasm_bindgen_test]
async fn a_create_whose_answer_was_lost_keeps_its_intent_through_a_new_sign_in() {
    let lost = json!({"network_error": true});
    let refused =
        json!({"status": 401, "body": err(401, "internal_authn_err", "Your session has ended")});
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}, refused.clone()],
            "GET /api/tenants/tenant--t/keys/base": [{"body": base(true)}],
            "POST /api/tenants/tenant--t/keys": [lost.clone(), lost.clone(), lost.clone(), lost, refused,
                {"status": 201, "body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}],
            "GET /api/tenants/tenant--t/keys/apikey--n": [{"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}],
            "POST /auth/login": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![], true)}],
        })
        .to_string(),
    );
    let (root, _h) = summary().await;
    create_and_lose_the_answer(&root).await;
    // Create again: the platform no longer takes the session, and will not renew it.
    button(&root, "[data-testid=create-submit]").click();
    fill_and_submit(&root, "dev@demo.test", "pw").await;
    eventually_within(
        10_000,
        "back at the review, which says what is open",
        || {
            find(&root, "[data-testid=earlier-create]")
                .and_then(|n| n.text_content())
                .is_some_and(|t| t.contains("Creating again from this page is safe"))
        },
    )
    .await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("step 4", || {
        leptos::prelude::window()
            .location()
            .pathname()
            .is_ok_and(|p| p.ends_with("/keys/new/key"))
    })
    .await;
    let keys = fake_idempotency_keys("POST /api/tenants/tenant--t/keys");
    let sent: Vec<&str> = keys.split(' ').collect();
    assert_eq!(sent.len(), 6, "{keys}");
    assert!(sent.iter().all(|k| *k == sent[0]), "one intent: {keys}");
}

/// Goes to the review of the server application on `arx--p` by a link of the page, as a person
/// would come back to it.
async fn back_to_the_review(root: &web_sys::HtmlElement) {
    let link = leptos::prelude::document().create_element("a").unwrap();
    link.set_attribute("href", "/keys/new/summary?app=app--s&arx=arx--p")
        .unwrap();
    root.append_child(&link).unwrap();
    link.unchecked_into::<web_sys::HtmlElement>().click();
    eventually("the review", || {
        find(root, "[data-testid=create-submit]").is_some()
    })
    .await;
}

/// An intent the person chose to leave is let go: by agreeing to leave the wizard while its
/// create was on its way, or by signing out once its answer was lost. The next review of the
/// same choices says nothing of it, and its Create is an intent of its own.
#[wasm_bindgen_test]
async fn a_lost_create_left_by_choice_is_not_taken_up_again() {
    for sign_out in [false, true] {
        fake(
            json!([{"body": base(true)}]),
            json!([{"delay": 300, "network_error": true}]),
        );
        go_to("/");
        let (root, _h) = summary().await;
        if sign_out {
            create_and_lose_the_answer(&root).await;
            click_sign_out(&root);
            fill_and_submit(&root, "dev@demo.test", "pw").await;
            eventually("signed in again", || find(&root, ".user-menu").is_some()).await;
        } else {
            let leaving = AnsweredConfirm::with(true);
            button(&root, "[data-testid=create-submit]").click();
            find(&root, ".app-nav a")
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
                .click();
            assert_eq!(leaving.asked(), 1);
            // The create's attempts run out after the wizard has gone.
            sleep(4_500).await;
        }
        back_to_the_review(&root).await;
        sleep(100).await;
        assert!(
            find(&root, "[data-testid=earlier-create]").is_none(),
            "sign_out: {sign_out}"
        );
        let before = fake_idempotency_keys("POST /api/tenants/tenant--t/keys");
        button(&root, "[data-testid=create-submit]").click();
        eventually("sent", || {
            fake_idempotency_keys("POST /api/tenants/tenant--t/keys").len() > before.len()
        })
        .await;
        let keys = fake_idempotency_keys("POST /api/tenants/tenant--t/keys");
        let first = before.split(' ').next().unwrap();
        let last = keys.split(' ').next_back().unwrap();
        assert_ne!(first, last, "a new intent (sign_out: {sign_out})");
    }
}

/// A create whose outcome is unknown keeps its intent in the wizard: leaving the wizard by a
/// link or by Back asks first, and staying keeps Create safe to press again; moving between
/// the wizard's own steps does not ask.
#[wasm_bindgen_test]
async fn a_create_whose_answer_was_lost_asks_before_the_wizard_is_left() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"network_error": true}]),
    );
    // Back from the review then leaves the wizard.
    go_to("/");
    let (root, _h) = summary().await;
    create_and_lose_the_answer(&root).await;
    let path = || web_sys::window().unwrap().location().pathname().unwrap();
    let header_link: web_sys::HtmlElement = find(&root, ".app-nav a").unwrap().unchecked_into();

    let staying = AnsweredConfirm::with(false);
    header_link.click();
    assert_eq!(staying.asked(), 1, "asked");
    sleep(100).await;
    assert_eq!(path(), "/keys/new/summary", "stayed");
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .back()
        .unwrap();
    eventually("asked on Back", || staying.asked() == 2).await;
    sleep(100).await;
    assert_eq!(path(), "/keys/new/summary", "stayed");
    assert!(text(&root).contains("Creating again from this page is safe"));
    drop(staying);

    let leaving = AnsweredConfirm::with(true);
    let arx_step: web_sys::HtmlElement = find(&root, ".wizard-actions a:nth-child(2)")
        .unwrap()
        .unchecked_into();
    arx_step.click();
    eventually("on step 2", || path() == "/keys/new/arx").await;
    assert_eq!(leaving.asked(), 0, "a step of the wizard is not leaving it");
    next_from_step_two(&root).await;
    eventually("back on the review", || path() == "/keys/new/summary").await;
    eventually("its Create", || {
        find(&root, "[data-testid=create-submit]").is_some()
    })
    .await;
    // The same choices: Create replays the intent, and the review says so.
    let earlier = find(&root, "[data-testid=earlier-create]")
        .and_then(|n| n.text_content())
        .unwrap_or_default();
    assert!(
        earlier.contains("Creating again from this page is safe"),
        "{earlier}"
    );
    assert_eq!(
        button(&root, "[data-testid=create-submit]")
            .text_content()
            .as_deref(),
        Some("Try again")
    );
    find(&root, ".app-nav a")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    eventually("left for the list", || path() == "/").await;
    assert_eq!(leaving.asked(), 1);
}

/// A create answered with a key of no id (the contract requires one) may have made a key the
/// console cannot name: the review says it did not understand, and Create replays the intent,
/// rather than a step 4 of no key.
#[wasm_bindgen_test]
async fn a_create_answered_with_a_key_of_no_id_is_not_understood() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"status": 201, "body": ok(json!({"status": "active", "access_key": "onq.NEW"}))}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("the create not understood", || {
        text(&root).contains("does not understand")
    })
    .await;
    assert!(
        text(&root).contains("Creating again from this page is safe"),
        "{}",
        text(&root)
    );
    assert!(leptos::prelude::window()
        .location()
        .pathname()
        .unwrap()
        .ends_with("/summary"));
}

/// Back at the review with other choices after a create whose answer was lost, Create makes a
/// new intent: the review says the earlier one may have made a key.
#[wasm_bindgen_test]
async fn a_review_of_other_choices_says_an_earlier_create_may_have_made_a_key() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"network_error": true}]),
    );
    let (root, _h) = summary().await;
    create_and_lose_the_answer(&root).await;
    // Step 2 with the other application (a link within the wizard), then on to its review.
    let link = leptos::prelude::document().create_element("a").unwrap();
    link.set_attribute("href", "/keys/new/arx?app=app--c&arx=arx--p")
        .unwrap();
    root.append_child(&link).unwrap();
    link.unchecked_into::<web_sys::HtmlElement>().click();
    next_from_step_two(&root).await;
    eventually("the other review", || {
        text(&root).contains("Client app") && find(&root, "[data-testid=earlier-create]").is_some()
    })
    .await;
    let earlier = find(&root, "[data-testid=earlier-create]")
        .and_then(|n| n.text_content())
        .unwrap_or_default();
    assert!(earlier.contains("may have made one"), "{earlier}");
    assert_eq!(
        button(&root, "[data-testid=create-submit]")
            .text_content()
            .as_deref(),
        Some("Create API key")
    );
}

/// While a create is on its way, the browser's Back to another step waits for it, as the
/// page's own links do (its answer would land on a review of other choices), and says why.
#[wasm_bindgen_test]
async fn back_during_a_create_waits_for_it() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"delay": 600, "body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}]),
    );
    go_to("/keys/new/arx?app=app--s&arx=arx--p");
    let (root, _h) = summary().await;
    let path = || web_sys::window().unwrap().location().pathname().unwrap();
    button(&root, "[data-testid=create-submit]").click();
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .back()
        .unwrap();
    eventually("said why", || {
        announced(&root).starts_with("An API key is being created from this review")
    })
    .await;
    assert_eq!(path(), "/keys/new/summary", "stayed");
    eventually("step 4 once the key is made", || path() == "/keys/new/key").await;
}

/// The platform still working on the same create (409) is asked again, and the replay gets
/// the key that create made; after the client's retries, the outcome is still open.
#[wasm_bindgen_test]
async fn a_create_still_in_flight_is_asked_again_until_its_key_comes() {
    let in_flight = json!({"status": 409, "body": err(409, "internal_lock_hold_by_another", "A request with this Idempotency-Key is still in progress")});
    fake(
        json!([{"body": base(true)}]),
        json!([in_flight, {"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually_within(5_000, "provisioning view", || {
        text(&root).contains("Provisioning your key")
    })
    .await;
    assert_eq!(fake_calls("POST /api/tenants/tenant--t/keys"), 2);
}

#[wasm_bindgen_test]
async fn a_create_the_platform_is_still_working_on_keeps_its_intent() {
    let in_flight =
        json!({"status": 409, "body": err(409, "internal_lock_hold_by_another", "lock held")});
    fake(json!([{"body": base(true)}]), json!([in_flight]));
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually_within(8_000, "the create failed", || {
        text(&root).contains("still working on this request")
    })
    .await;
    assert_eq!(
        fake_calls("POST /api/tenants/tenant--t/keys"),
        4,
        "three retries"
    );
    assert!(text(&root).contains("Creating again from this page is safe"));
    assert!(leaving_asks(), "its outcome is unknown");
}

/// A platform failure may come after an attempt whose answer was lost: the create's outcome is
/// open, whatever the last answer says, unless the platform refused the choices themselves.
#[wasm_bindgen_test]
async fn a_create_that_failed_on_the_platform_asks_before_the_tab_is_left() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"status": 500, "body": err(500, "internal_err", "Something broke")}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("the create failed", || {
        text(&root).contains("Something broke")
    })
    .await;
    assert!(leaving_asks(), "its outcome is unknown");
}

/// A create being retried when the person signs out, and someone signs in on the same tab, is
/// not sent again with the new session's token: it would make a key in their name.
#[wasm_bindgen_test]
async fn a_create_is_not_retried_in_the_name_of_whoever_signs_in_next() {
    fake(
        json!([{"body": base(true)}]),
        json!([
            {"status": 503, "headers": {"retry-after": "1"}, "body": err(503, "service_unavailable_err", "Down for maintenance")},
            {"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}
        ]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("the first attempt answered", || {
        fake_calls("POST /api/tenants/tenant--t/keys") == 1
    })
    .await;
    click_sign_out(&root);
    fill_and_submit(&root, "other@example.test", "password").await;
    eventually("signed in again", || {
        find(&root, ".user-menu button").is_some()
    })
    .await;
    // Past the retry's one-second wait.
    sleep(1_800).await;
    assert_eq!(
        fake_calls("POST /api/tenants/tenant--t/keys"),
        1,
        "not sent again under the new session"
    );
}

/// While the create is on its way, the summary's Cancel and Back and the stepper's links wait
/// for it (it cannot be called back); a key made after the person left the wizard by the header's link is said, and
/// the dashboard they went to, which read the list before the key was made, reads it again.
#[wasm_bindgen_test]
async fn a_create_on_its_way_is_waited_for_and_a_key_made_after_leaving_is_said() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"delay": 600, "body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    let cancel: web_sys::HtmlElement = find(&root, ".wizard-actions a").unwrap().unchecked_into();
    assert_eq!(cancel.text_content().as_deref(), Some("Cancel"));
    eventually("waiting", || {
        cancel.get_attribute("aria-disabled").as_deref() == Some("true")
    })
    .await;
    cancel.click();
    sleep(50).await;
    assert_eq!(
        leptos::prelude::window().location().pathname().unwrap(),
        "/keys/new/summary",
        "Cancel waits for the create"
    );
    let step: web_sys::HtmlElement = find(&root, ".stepper a").unwrap().unchecked_into();
    assert_eq!(step.get_attribute("aria-disabled").as_deref(), Some("true"));
    step.click();
    sleep(50).await;
    assert_eq!(
        leptos::prelude::window().location().pathname().unwrap(),
        "/keys/new/summary",
        "so do the stepper's links"
    );
    // Leaving the wizard while the create is on its way asks first: should it fail without an
    // answer, its intent would go with the wizard.
    let leaving = AnsweredConfirm::with(true);
    let home: web_sys::HtmlElement = find(&root, ".app-nav a").unwrap().unchecked_into();
    home.click();
    assert_eq!(leaving.asked(), 1, "asked");
    eventually("the dashboard", || {
        fake_calls("GET /api/tenants/tenant--t/keys") == 1
    })
    .await;
    eventually_within(3_000, "the key made is said", || {
        announced(&root).contains("API key onq.NEW was created.")
    })
    .await;
    // At least once: news heard both by the listener and by the tools' catch-up reads twice.
    eventually("the list read again", || {
        fake_calls("GET /api/tenants/tenant--t/keys") >= 2
    })
    .await;
    assert_eq!(
        leptos::prelude::window().location().pathname().unwrap(),
        "/",
        "not pulled back to step 4"
    );
}

/// A key made after its maker signed out is not said on the sign-in page: that page's words
/// are for whoever comes next.
#[wasm_bindgen_test]
async fn a_key_made_after_a_sign_out_is_not_said_to_the_next_person() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"delay": 600, "body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("the create on its way", || {
        fake_calls("POST /api/tenants/tenant--t/keys") == 1
    })
    .await;
    click_sign_out(&root);
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    // Past the create's answer.
    sleep(1_000).await;
    let said = announced(&root);
    assert!(!said.contains("onq.NEW"), "{said}");
}

/// A browser without `crypto.randomUUID` (plain `http` from another machine, an older one)
/// still creates: the create's idempotency key is made another way.
#[wasm_bindgen_test]
async fn create_works_without_random_uuid() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}]),
    );
    let (root, _h) = summary().await;
    trap_errors();
    remove_random_uuid();
    button(&root, "[data-testid=create-submit]").click();
    sleep(100).await;
    restore_random_uuid();
    eventually("provisioning view", || {
        text(&root).contains("Provisioning your key")
    })
    .await;
    assert_eq!(fake_calls("POST /api/tenants/tenant--t/keys"), 1);
    assert_eq!(trapped_errors(), "", "nothing thrown");
}

#[wasm_bindgen_test]
async fn a_refused_create_offers_another_arx_and_may_be_sent_again() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"status": 422, "body": err(422, "handler_data_err", "This Arx is not available for new keys")}, {"body": ok(key("apikey--n", "onq.NEW", "pending", "Server app", false))}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("error", || {
        text(&root).contains("This Arx is not available for new keys")
    })
    .await;
    // A refusal of the choices: the way on is another Arx, and the same click is no "retry".
    let other = find(&root, ".form-error a").expect("a way to choose another Arx");
    assert_eq!(other.text_content().as_deref(), Some("Choose another Arx"));
    assert_eq!(
        other.get_attribute("href").as_deref(),
        Some("/keys/new/arx?app=app--s&arx=arx--p")
    );
    assert!(
        !leaving_asks(),
        "the platform judged the choices: no key was made"
    );
    let again = button(&root, "[data-testid=create-submit]");
    assert_eq!(again.text_content().as_deref(), Some("Create API key"));
    // What the platform offers is read again, for a withdrawn choice to be said as such.
    eventually("the choices read again", || {
        fake_calls("GET /api/tenants/tenant--t/keys/base") == 2
    })
    .await;
    again.click();
    eventually("provisioning view", || {
        text(&root).contains("Provisioning your key")
    })
    .await;
}

/// A refused create reads the offer again; should that read fail, the offer read before stands
/// and the refusal stays on screen, rather than the wizard giving way to an error.
#[wasm_bindgen_test]
async fn a_failed_read_again_of_the_offer_keeps_the_wizard() {
    fake(
        json!([{"body": base(true)}, {"status": 500, "body": err(500, "internal_err", "Something broke")}]),
        json!([{"status": 422, "body": err(422, "handler_data_err", "This Arx is not available for new keys")}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("the offer read again", || {
        fake_calls("GET /api/tenants/tenant--t/keys/base") == 2
    })
    .await;
    sleep(100).await;
    assert!(text(&root).contains("This Arx is not available for new keys"));
    assert!(!text(&root).contains("could not load its choices"));
    assert!(find(&root, "[data-testid=create-submit]").is_some());
}

/// A refusal of the role after an attempt whose answer was lost settles nothing: that attempt
/// may have made the key, and the page says so, rather than that this person may not create.
#[wasm_bindgen_test]
async fn a_role_refusal_after_a_lost_answer_says_a_key_may_have_been_made() {
    fake(
        json!([{"body": base(true)}]),
        json!([{"network_error": true}]),
    );
    let (root, _h) = summary().await;
    create_and_lose_the_answer(&root).await;
    fake(
        json!([{"body": base(true)}]),
        json!([{"status": 403, "body": err(403, "internal_authz_err", "Your role may not create API keys")}]),
    );
    button(&root, "[data-testid=create-submit]").click();
    eventually("the refusal", || {
        text(&root).contains("Your role may not create API keys")
    })
    .await;
    assert!(text(&root).contains("An earlier attempt may have made the key"));
    assert!(!text(&root).contains("Creating again from this page is safe"));
    assert!(leaving_asks(), "the outcome is still open");
    sleep(100).await;
    assert!(find(&root, "[data-testid=not-permitted]").is_none());
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys/base"),
        0,
        "not read again"
    );
    assert_ne!(
        button(&root, "[data-testid=create-submit]")
            .text_content()
            .as_deref(),
        Some("Try again")
    );
}

/// A create refused for the role (taken away since the wizard read its choices) offers no
/// retry: the choices are read again, and the page says this person may not create keys.
#[wasm_bindgen_test]
async fn a_create_refused_for_the_role_says_so_and_offers_no_retry() {
    let mut refused = base(true);
    refused["data"]["acl"] = json!({"can": {"add": false}, "can_not": {"add_reason": "Your role may not create API keys"}});
    fake(
        json!([{"body": base(true)}, {"body": refused}]),
        json!([{"status": 403, "body": err(403, "internal_authz_err", "Your role may not create API keys")}]),
    );
    let (root, _h) = summary().await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("the page says this person may not create", || {
        find(&root, "[data-testid=not-permitted]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=create-submit]").is_none());
    assert!(!text(&root).contains("Try again"));
    assert_eq!(fake_calls("POST /api/tenants/tenant--t/keys"), 1);
}

#[wasm_bindgen_test]
async fn step_four_without_a_run_shows_no_secret() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/key");
    eventually("cannot show again", || {
        find(&root, "[data-testid=cannot-show-again]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=server-signing-key]").is_none());
}

/// The element that has the focus, and its text.
fn focused_text() -> Option<String> {
    leptos::prelude::document()
        .active_element()
        .and_then(|e| e.text_content())
}

#[wasm_bindgen_test]
async fn each_step_names_the_tab_and_takes_the_focus_to_its_question() {
    fake(json!([{"body": base(true)}]), json!([]));
    // `/keys/new` redirects to step 1: still the load's first page.
    let (root, _h) = mount_app("/keys/new");
    eventually("choices", || find(&root, "#app-app--s").is_some()).await;
    let doc = leptos::prelude::document();
    assert_eq!(doc.title(), "Create an API key: Application · Onqlave");
    sleep(200).await;
    assert_eq!(
        doc.active_element(),
        doc.body().map(Into::into),
        "the first page of a load keeps the browser's start"
    );
    let radio: HtmlInputElement = find(&root, "#app-app--s").unwrap().unchecked_into();
    radio.click();
    let next = button(&root, ".wizard-actions button");
    eventually("next enabled", || !next.disabled()).await;
    next.click();
    eventually("the Arx step's question has the focus", || {
        focused_text().as_deref() == Some("Which Arx will the key use?")
    })
    .await;
    assert_eq!(doc.title(), "Create an API key: Arx · Onqlave");
    // A step link in the stepper, which stays on the page, gives way to the step's question too.
    let back: web_sys::HtmlElement = find(&root, ".stepper a").unwrap().unchecked_into();
    back.focus().unwrap();
    back.click();
    eventually("step 1's question has the focus", || {
        focused_text().as_deref() == Some("Which application will use the key?")
    })
    .await;
    assert_eq!(doc.title(), "Create an API key: Application · Onqlave");
}

/// An application's technology id is the platform's text: it picks a known badge class or
/// none, and never adds classes of the page's own to the badge.
#[wasm_bindgen_test]
async fn a_technology_id_never_becomes_the_page_s_classes() {
    let mut answer = base(true);
    answer["data"]["model"]["applications"][0]["application_technology"]["id"] =
        json!("server dialog-backdrop");
    fake(json!([{"body": answer}]), json!([]));
    let (root, _h) = mount_app("/keys/new/application");
    eventually("choices", || find(&root, "#app-app--s").is_some()).await;
    let badges: Vec<String> = (0..2)
        .map(|i| {
            root.query_selector_all(".choice .badge")
                .unwrap()
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .class_name()
        })
        .collect();
    assert_eq!(badges, ["badge", "badge tech-client"]);
    assert!(find(&root, ".dialog-backdrop").is_none());
}

/// An Arx's purpose id is the platform's text too: it picks a known colour or none.
#[wasm_bindgen_test]
async fn an_arx_purpose_id_never_becomes_the_page_s_classes() {
    let mut answer = base(true);
    answer["data"]["model"]["clusters"][0]["purpose"]["id"] = json!("x dialog-backdrop");
    fake(json!([{"body": answer}]), json!([]));
    let (root, _h) = mount_app("/keys/new/arx?app=app--s");
    eventually("choices", || find(&root, "#arx-arx--p").is_some()).await;
    let badge = root
        .query_selector("label[for='arx-arx--p'] .badge")
        .unwrap()
        .expect("the purpose badge");
    assert_eq!(badge.class_name(), "badge");
    assert!(find(&root, ".dialog-backdrop").is_none());
}

/// Step 2 names the application its Arx is for, as the address has it: Forward may bring back
/// an entry of an application changed since.
#[wasm_bindgen_test]
async fn step_two_names_the_application_it_is_for() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/arx?app=app--s");
    eventually("the application", || {
        find(&root, "[data-testid=for-application]").is_some()
    })
    .await;
    let said = find(&root, "[data-testid=for-application]")
        .and_then(|p| p.text_content())
        .unwrap_or_default();
    assert_eq!(said, "For the application Server app");
    let legend = find(&root, "legend[data-arrive]").unwrap();
    assert_eq!(
        legend.get_attribute("aria-describedby").as_deref(),
        Some("for-application"),
        "heard with the question"
    );
}

/// The summary names the application's technology as step 1 does: its name, not its id.
#[wasm_bindgen_test]
async fn the_summary_names_the_technology_as_step_one_does() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/summary?app=app--c&arx=arx--p");
    eventually("the summary", || {
        find(&root, ".badge.tech-client").is_some()
    })
    .await;
    assert_eq!(
        find(&root, ".badge.tech-client")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("Client")
    );
}

/// A choice is named by its title alone, and described by the rest of its card: an Arx's facts
/// would otherwise make its name a paragraph.
#[wasm_bindgen_test]
async fn a_choice_is_named_by_its_title_and_described_by_its_card() {
    fake(json!([{"body": base(true)}]), json!([]));
    let (root, _h) = mount_app("/keys/new/arx?app=app--s");
    eventually("the Arx", || find(&root, "#arx-arx--p").is_some()).await;
    let radio = find(&root, "#arx-arx--p").unwrap();
    let by_id = |attr: &str| {
        let id = radio.get_attribute(attr).unwrap_or_default();
        find(&root, &format!("#{id}"))
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    assert_eq!(by_id("aria-labelledby"), "Production");
    let about = by_id("aria-describedby");
    assert!(
        about.contains("Dedicated") && about.contains("AWS") && about.contains("Australia"),
        "{about}"
    );
}

/// A key made in the wizard is on the dashboard the person comes back to at once, before the
/// list read again has come.
#[wasm_bindgen_test]
async fn a_key_made_here_is_on_the_dashboard_at_once_on_coming_back() {
    let a = key("apikey--1", "onq.AAA", "active", "Payments", true);
    let made = key("apikey--n", "onq.NEW", "pending", "Server app", false);
    fake_listing(
        json!([{"body": base(true)}]),
        json!([{"body": ok(made.clone())}]),
        json!([
            {"body": key_list(vec![a.clone()], true)},
            {"delay": 1_500, "body": key_list(vec![a, made], true)},
        ]),
    );
    let (root, _h) = mount_app("/");
    eventually("the dashboard", || text(&root).contains("onq.AAA")).await;
    // To the review as by a link: the dashboard goes, its list kept.
    go_to("/keys/new/summary?app=app--s&arx=arx--p");
    leptos::prelude::window()
        .dispatch_event(&web_sys::Event::new("popstate").unwrap())
        .unwrap();
    eventually("create button", || {
        find(&root, "[data-testid=create-submit]").is_some()
    })
    .await;
    button(&root, "[data-testid=create-submit]").click();
    eventually("step 4", || window_search().contains("key=apikey--n")).await;
    let _leaving = AnsweredConfirm::with(true);
    let home: web_sys::HtmlElement = find(&root, ".app-nav a").unwrap().unchecked_into();
    home.click();
    eventually_within(1_000, "the key made, at once", || {
        find(&root, "tr[data-key-id='apikey--n']").is_some()
    })
    .await;
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        2,
        "the list is read again"
    );
    assert!(find(&root, "tr[data-key-id='apikey--1']").is_some());
}
