//! Browser tests of sign-in and role-gated controls, against a fake platform.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use leptos::prelude::window;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn routes(login: serde_json::Value) -> String {
    json!({
        // Nobody is signed in (contract §3: 200 with no session).
        "POST /auth/refresh": [{"body": ok(json!(null))}],
        "POST /auth/login": login,
        "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
    })
    .to_string()
}

#[wasm_bindgen_test]
async fn anonymous_visitor_gets_a_labelled_sign_in_form() {
    install_fake_fetch(&routes(json!([{"body": session(&["developer"])}])));
    let (root, _h) = mount_app("/");
    eventually("sign-in form", || find(&root, "#sign-in-email").is_some()).await;
    for (id, auto) in [
        ("sign-in-email", "username"),
        ("sign-in-password", "current-password"),
    ] {
        let label = find(&root, &format!("label[for={id}]"));
        assert!(label.is_some(), "{id} has a label");
        let input = find(&root, &format!("#{id}")).unwrap();
        assert_eq!(input.get_attribute("autocomplete").as_deref(), Some(auto));
    }
    assert_eq!(
        find(&root, "#sign-in-password")
            .unwrap()
            .get_attribute("type")
            .as_deref(),
        Some("password")
    );
}

/// Sent with a field left empty, the form says so and puts the focus in that field.
#[wasm_bindgen_test]
async fn an_empty_field_takes_the_focus_when_the_form_is_sent() {
    install_fake_fetch(&routes(json!([{"body": session(&["developer"])}])));
    let (root, _h) = mount_app("/sign-in");
    let focused_id = || {
        leptos::prelude::document()
            .active_element()
            .map(|e| e.id())
            .unwrap_or_default()
    };
    fill_and_submit(&root, "", "").await;
    eventually("the message", || {
        text(&root).contains("Enter your e-mail address and password.")
    })
    .await;
    assert_eq!(focused_id(), "sign-in-email");
    let invalid = |id: &str| {
        find(&root, &format!("#{id}"))
            .unwrap()
            .get_attribute("aria-invalid")
    };
    assert_eq!(invalid("sign-in-email").as_deref(), Some("true"));
    assert_eq!(invalid("sign-in-password").as_deref(), Some("true"));
    fill_and_submit(&root, "a@b.test", "").await;
    assert_eq!(focused_id(), "sign-in-password");
    // Only the field left empty is marked.
    eventually("the e-mail no longer marked", || {
        invalid("sign-in-email").is_none()
    })
    .await;
    assert_eq!(invalid("sign-in-password").as_deref(), Some("true"));
    assert_eq!(fake_calls("POST /auth/login"), 0, "nothing sent");
}

#[wasm_bindgen_test]
async fn wrong_credentials_show_the_server_message() {
    install_fake_fetch(&routes(
        json!([{"status": 401, "body": err(401, "service_unauthorized_err", "The e-mail address or password is incorrect")}]),
    ));
    let (root, _h) = mount_app("/sign-in");
    fill_and_submit(&root, "a@b.test", "nope").await;
    eventually("error shown", || {
        text(&root).contains("The e-mail address or password is incorrect")
    })
    .await;
    assert!(find(&root, "[role=alert]").is_some());
    let b: HtmlButtonElement = find(&root, "form button[type=submit]")
        .unwrap()
        .unchecked_into();
    assert!(!b.disabled(), "the form can be sent again");
    assert_eq!(b.get_attribute("aria-disabled").as_deref(), Some("false"));
    let email = find(&root, "#sign-in-email").unwrap();
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    let password = find(&root, "#sign-in-password").unwrap();
    assert_eq!(
        password.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    // Should the app's handler not run, the browser's own submission keeps the password out of
    // the address.
    assert_eq!(
        find(&root, "form")
            .unwrap()
            .get_attribute("method")
            .as_deref(),
        Some("post")
    );
    assert_eq!(
        email.get_attribute("aria-describedby").as_deref(),
        Some("sign-in-error"),
        "the field is read with why it was refused"
    );
    assert!(
        !text(&root).contains("(reference"),
        "a refusal of the credentials needs no reference"
    );
}

/// A sign-in the platform failed to handle, or refused for another reason than the credentials
/// (its cross-site guard, say), gives its reference, to quote to support (contract §2.1).
#[wasm_bindgen_test]
async fn a_sign_in_the_platform_failed_or_refused_says_its_reference() {
    for (status, code) in [(500, "internal_err"), (403, "internal_authz_err")] {
        install_fake_fetch(&routes(
            json!([{"status": status, "body": err(status, code, "Something broke")}]),
        ));
        let (root, _h) = mount_app("/sign-in");
        fill_and_submit(&root, "a@b.test", "pw").await;
        eventually(&format!("the failure and its reference ({status})"), || {
            find(&root, "#sign-in-error")
                .and_then(|e| e.text_content())
                .is_some_and(|t| t.contains("(reference corr--test)"))
        })
        .await;
    }
}

/// A session answer without an access token is not a sign-in: the form says the answer was not
/// understood, and nothing is asked for with an empty `Bearer`.
#[wasm_bindgen_test]
async fn a_session_without_a_token_signs_nobody_in() {
    let mut tokenless = session(&["developer"]);
    tokenless["data"]["token"] = json!("");
    install_fake_fetch(&routes(json!([{"body": tokenless}])));
    let (root, _h) = mount_app("/sign-in");
    fill_and_submit(&root, "a@b.test", "pw").await;
    eventually("said", || {
        text(&root).contains("The platform sent an answer this console does not understand.")
    })
    .await;
    assert!(
        find(&root, "#sign-in-email").is_some(),
        "still on the sign-in page"
    );
    assert!(find(&root, ".user-menu").is_none(), "nobody signed in");
    sleep(100).await;
    assert_eq!(fake_calls("GET /api/tenants/tenant--t/keys"), 0);
}

#[wasm_bindgen_test]
async fn rate_limit_shows_the_wait() {
    install_fake_fetch(&routes(
        json!([{"status": 429, "headers": {"retry-after": "120"}, "body": err(429, "internal_rate_limited", "Too many")}]),
    ));
    let (root, _h) = mount_app("/sign-in");
    fill_and_submit(&root, "a@b.test", "x").await;
    eventually("wait shown", || {
        text(&root).contains("Too many sign-in attempts. Try again in 2 minutes.")
    })
    .await;
}

/// What is plainly no e-mail address is said as such, without asking the platform.
#[wasm_bindgen_test]
async fn a_slip_in_the_e_mail_address_is_said_as_such() {
    install_fake_fetch(&routes(json!([])));
    let (root, _h) = mount_app("/sign-in");
    fill_and_submit(&root, "not-an-email", "x").await;
    eventually("the hint", || {
        text(&root).contains("Enter an e-mail address, such as name@example.com.")
    })
    .await;
    assert_eq!(fake_calls("POST /auth/login"), 0);
    let invalid = |id: &str| {
        find(&root, &format!("#{id}"))
            .unwrap()
            .get_attribute("aria-invalid")
    };
    assert_eq!(invalid("sign-in-email").as_deref(), Some("true"));
    assert_eq!(
        invalid("sign-in-password"),
        None,
        "the password is not what is wrong"
    );
    assert!(
        find(&root, "nav.app-nav").is_none(),
        "signed out, no link leads anywhere but here"
    );
    let email = find(&root, "#sign-in-email").unwrap();
    assert_eq!(
        leptos::prelude::document().active_element(),
        Some(email),
        "typing goes on there"
    );
}

#[wasm_bindgen_test]
async fn network_failure_says_the_platform_is_unreachable() {
    install_fake_fetch(&routes(json!([{"network_error": true}])));
    let (root, _h) = mount_app("/sign-in");
    fill_and_submit(&root, "a@b.test", "x").await;
    eventually("network error", || {
        text(&root).contains("could not be reached")
    })
    .await;
    // Nothing typed is in question.
    for id in ["#sign-in-email", "#sign-in-password"] {
        assert_eq!(find(&root, id).unwrap().get_attribute("aria-invalid"), None);
    }
}

/// "Try again" when the console cannot reach the platform restores the session again behind a
/// skeleton, which takes the button away: the focus comes to what follows, the panel's "Try
/// again" while the platform is still out of reach, the page's heading once it answers, rather
/// than staying on the document's start.
#[wasm_bindgen_test]
async fn trying_again_to_reach_the_platform_keeps_the_focus_on_the_page() {
    install_fake_fetch(
        &json!({
            // Slow enough that the skeleton stands between the button and what follows.
            "POST /auth/refresh": [{"delay": 300, "network_error": true}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![], true)}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    let retry = || find(&root, ".error-panel button").map(|b| b.unchecked_into::<HtmlElement>());
    eventually_within(15_000, "the platform out of reach", || retry().is_some()).await;
    let first = retry().unwrap();
    first.focus().unwrap();
    first.click();
    eventually_within(
        15_000,
        "out of reach again, and the focus on its Try again",
        || {
            retry().is_some_and(|b| {
                !b.is_same_node(Some(&first))
                    && leptos::prelude::document().active_element() == Some(b.unchecked_into())
            })
        },
    )
    .await;
    let routes = session(&["developer"]).to_string();
    js_sys::eval(&format!(
        "window.__fakeRoutes['POST /auth/refresh'] = [{{delay: 300, body: {routes}}}]"
    ))
    .unwrap();
    retry().unwrap().click();
    eventually_within(15_000, "the page, and the focus on its heading", || {
        find(&root, "h1").is_some_and(|h| {
            h.text_content().as_deref() == Some("API keys")
                && leptos::prelude::document().active_element() == Some(h)
        })
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_button_cannot_send_twice() {
    install_fake_fetch(&routes(
        json!([{"delay": 300, "body": session(&["developer"])}]),
    ));
    let (root, _h) = mount_app("/sign-in");
    fill_and_submit(&root, "a@b.test", "pw").await;
    let b: HtmlButtonElement = find(&root, "form button[type=submit]")
        .unwrap()
        .unchecked_into();
    eventually("button busy while sending", || {
        b.get_attribute("aria-disabled").as_deref() == Some("true")
    })
    .await;
    b.click();
    let form: web_sys::HtmlFormElement = find(&root, "form").unwrap().unchecked_into();
    let _ = form.request_submit();
    eventually("signed in", || text(&root).contains("Sign out")).await;
    assert_eq!(fake_calls("POST /auth/login"), 1);
}

async fn dashboard_as(roles: &[&str], can_add: bool, can_delete: bool) -> (HtmlElement, impl Drop) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(roles)}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", can_delete)], can_add)}],
        })
        .to_string(),
    );
    let (root, h) = mount_app("/");
    eventually("rows", || {
        find(&root, "table.keys-table tbody tr").is_some()
    })
    .await;
    (root, h)
}

#[wasm_bindgen_test]
async fn managers_get_create_and_delete_controls() {
    let (root, _h) = dashboard_as(&["developer"], true, true).await;
    assert!(find(&root, "[data-testid=create-key]").is_some());
    assert!(find(&root, "[data-testid=delete-key]").is_some());
    assert!(find(&root, "[data-testid=view-only]").is_none());
    assert!(
        text(&root).contains("Developer"),
        "role shown by display name"
    );
}

#[wasm_bindgen_test]
async fn view_only_roles_have_no_controls_in_the_dom() {
    let (root, _h) = dashboard_as(&["platform_admin"], false, false).await;
    assert!(find(&root, "[data-testid=create-key]").is_none());
    assert!(find(&root, "[data-testid=delete-key]").is_none());
    assert!(text(&root).contains("Platform Admin"));
    let why = find(&root, "[data-testid=view-only]").expect("a line says why");
    assert!(
        why.text_content()
            .unwrap_or_default()
            .contains("Only Platform Owners and Developers"),
        "{:?}",
        why.text_content()
    );
}

#[wasm_bindgen_test]
async fn without_an_acl_the_roles_decide() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["auditor"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": ok(json!({"api_keys": [{"id": "apikey--9", "access_key": "onq.ZZZ", "status": "active"}]}))}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually("rows", || {
        find(&root, "table.keys-table tbody tr").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=create-key]").is_none());
    assert!(find(&root, "[data-testid=delete-key]").is_none());
    assert!(find(&root, "[data-testid=view-only]").is_some());
    assert!(
        text(&root).contains("auditor"),
        "an unknown role is shown as its id"
    );
}

#[wasm_bindgen_test]
async fn a_401_mid_work_returns_to_the_same_route_after_signing_in_again() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [
                {"body": session(&["developer"])},
                {"status": 401, "body": err(401, "service_unauthorized_err", "Your session has ended")}
            ],
            "POST /auth/login": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys": [
                {"status": 401, "body": err(401, "service_unauthorized_err", "expired")},
                {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}
            ],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/?q=onq&status=active");
    eventually("sent to sign in", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    assert!(text(&root).contains("Your session has ended"), "says why");
    fill_and_submit(&root, "a@b.test", "pw").await;
    eventually("back on the dashboard", || text(&root).contains("onq.AAA")).await;
    let loc = leptos::prelude::window().location();
    assert_eq!(loc.pathname().unwrap(), "/");
    assert_eq!(loc.search().unwrap(), "?q=onq&status=active");
}

/// Only the platform's word ends a session: a 401 whose renewal does not get through (the
/// platform down for maintenance) fails the request as any failure on the way, with a way to try
/// again, and the person stays signed in; once the platform is back, trying again renews the
/// token and shows the keys.
#[wasm_bindgen_test]
async fn a_renewal_that_does_not_get_through_leaves_the_person_signed_in() {
    let expired = json!({"status": 401, "body": err(401, "service_unauthorized_err", "expired")});
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [
                {"body": session(&["developer"])},
                {"status": 503, "body": err(503, "service_unavailable_err", "Down for maintenance")}
            ],
            "GET /api/tenants/tenant--t/keys": [expired],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually_within(8_000, "the failure, with a way to try again", || {
        find(&root, ".error-panel button").is_some()
    })
    .await;
    assert!(
        fake_calls("POST /auth/refresh") >= 2,
        "the token was renewed, and that failed"
    );
    assert!(
        text(&root).contains("temporarily unavailable"),
        "says what failed: {}",
        text(&root)
    );
    assert!(
        find(&root, "#sign-in-email").is_none() && !text(&root).contains("session has ended"),
        "still signed in"
    );
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys": [
                expired,
                {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}
            ],
        })
        .to_string(),
    );
    let retry: HtmlButtonElement = find(&root, ".error-panel button").unwrap().unchecked_into();
    retry.click();
    eventually("the keys", || text(&root).contains("onq.AAA")).await;
    assert_eq!(fake_calls("POST /auth/refresh"), 1, "renewed once more");
}

/// A refresh that gets through but is refused otherwise than by 401 (403 for a request the
/// platform takes as cross-site) is the platform's word too: the session ends, and the request's
/// page is not handed the refresh's answer as its own.
#[wasm_bindgen_test]
async fn a_renewal_refused_otherwise_than_by_401_ends_the_session() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [
                {"body": session(&["developer"])},
                {"status": 403, "body": err(403, "internal_authz_err", "Cross-site request refused")}
            ],
            "GET /api/tenants/tenant--t/keys": [{"status": 401, "body": err(401, "service_unauthorized_err", "expired")}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually("sent to sign in", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    assert!(text(&root).contains("Your session has ended"), "says why");
}

/// Mounts the app after `index.html` "sent" a refresh answered by `early`, with the network's own
/// refresh answering `network`; returns the root once the dashboard or the sign-in form shows.
async fn with_handed_off_refresh(
    early: serde_json::Value,
    network: serde_json::Value,
) -> (HtmlElement, impl Drop) {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": network,
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
        })
        .to_string(),
    );
    clear_hand_off();
    hand_off("refresh", &early.to_string());
    let (root, h) = mount_app("/");
    eventually("the dashboard or the sign-in form", || {
        find(&root, "table.keys-table tbody tr").is_some()
            || find(&root, "#sign-in-email").is_some()
    })
    .await;
    (root, h)
}

#[wasm_bindgen_test]
async fn the_refresh_sent_by_the_page_restores_the_session_without_asking_again() {
    let no_session =
        json!([{"status": 401, "body": err(401, "service_unauthorized_err", "Sign in")}]);
    let (root, _h) =
        with_handed_off_refresh(json!({"body": session(&["developer"])}), no_session).await;
    assert!(
        find(&root, "table.keys-table tbody tr").is_some(),
        "signed in"
    );
    assert_eq!(fake_calls("POST /auth/refresh"), 0);
}

/// A tab still restoring when another tab signs out: its refresh, answered before the platform
/// heard of the sign-out, must not sign this tab in.
#[wasm_bindgen_test]
async fn a_refresh_out_during_a_sign_out_in_another_tab_signs_nobody_in() {
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"]), "delay": 300}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    sleep(50).await;
    let other_tab = web_sys::BroadcastChannel::new("onqlave-console-session").unwrap();
    other_tab.post_message(&"signed-out".into()).unwrap();
    eventually("sign-in form", || find(&root, "#sign-in-email").is_some()).await;
    sleep(300).await;
    assert!(find(&root, "#sign-in-email").is_some(), "still signed out");
    assert!(
        find(&root, "table.keys-table").is_none(),
        "no key list for a session signed out of"
    );
}

#[wasm_bindgen_test]
async fn a_not_signed_in_answer_from_the_page_is_final() {
    // Nobody signed in, and a refresh cookie the platform no longer accepts (a session that
    // ended, which is said).
    for (early, notice) in [
        (json!({"body": ok(json!(null))}), None),
        (
            json!({"status": 401, "body": err(401, "service_unauthorized_err", "Sign in")}),
            Some("Your session has ended. Sign in again to continue."),
        ),
    ] {
        let (root, _h) =
            with_handed_off_refresh(early, json!([{"body": session(&["developer"])}])).await;
        assert!(find(&root, "#sign-in-email").is_some(), "signed out");
        assert_eq!(fake_calls("POST /auth/refresh"), 0);
        let said = find(&root, "[data-testid=sign-in-notice]").and_then(|n| n.text_content());
        assert_eq!(said.as_deref(), notice);
    }
}

#[wasm_bindgen_test]
async fn a_failed_or_refused_refresh_from_the_page_is_asked_again() {
    for early in [
        json!({"network_error": true}),
        json!({"status": 503, "body": err(503, "service_unavailable_err", "Busy")}),
    ] {
        let (root, _h) =
            with_handed_off_refresh(early.clone(), json!([{"body": session(&["developer"])}]))
                .await;
        assert!(
            find(&root, "table.keys-table tbody tr").is_some(),
            "signed in after {early}"
        );
        assert_eq!(
            fake_calls("POST /auth/refresh"),
            1,
            "asked once more after {early}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_list_sent_by_the_page_is_shown_when_it_is_this_tenants() {
    let list = |access: &str| {
        key_list(
            vec![key("apikey--1", access, "active", "Payments", true)],
            true,
        )
    };
    for (url, shown, asked) in [
        ("/api/tenants/tenant--t/keys", "onq.EARLY", 0),
        ("/api/tenants/tenant--other/keys", "onq.NETWORK", 1),
    ] {
        install_fake_fetch(
            &json!({
                "POST /auth/refresh": [{"body": session(&["developer"])}],
                "GET /api/tenants/tenant--t/keys": [{"body": list("onq.NETWORK")}],
            })
            .to_string(),
        );
        clear_hand_off();
        hand_off(
            "keys",
            &json!({"body": list("onq.EARLY"), "url": url}).to_string(),
        );
        let (root, _h) = mount_app("/");
        eventually("rows", || {
            find(&root, "table.keys-table tbody tr").is_some()
        })
        .await;
        assert!(text(&root).contains(shown), "{url}: shows {shown}");
        assert_eq!(
            fake_calls("GET /api/tenants/tenant--t/keys"),
            asked,
            "{url}"
        );
    }
}

/// A platform that refuses the ended session's token at sign-out (it expired while the computer
/// slept) is sent the sign-out again with a token of the refresh cookie, so that cookie is ended
/// too, a refresh that does not get through being tried again; a cookie that signs nobody in any
/// more leaves nothing to end, and one that is now someone else's is not ended.
#[wasm_bindgen_test]
async fn a_sign_out_with_an_expired_token_still_ends_the_refresh_cookie() {
    let expired = json!({"status": 401, "body": err(401, "service_unauthorized_err", "expired")});
    let down = json!({"status": 503, "body": err(503, "service_unavailable_err", "Down")});
    let mut fresh = session(&["developer"]);
    fresh["data"]["token"] = json!("bbb.eyJleHAiOjQxMDI0NDQ4MDB9.sig");
    let mut someone_else = fresh.clone();
    someone_else["data"]["user"]["id"] = json!("user--2");
    for (refresh, logouts, refreshes, case) in [
        (json!([{"body": fresh}]), 2, 1, "with a token of the cookie"),
        (
            json!([down, {"body": fresh}]),
            2,
            2,
            "the refresh tried again",
        ),
        (json!([expired]), 1, 1, "nothing left to end"),
        (
            json!([{"body": someone_else}]),
            1,
            1,
            "someone else's cookie",
        ),
    ] {
        let (root, _h) = dashboard_as(&["developer"], true, true).await;
        install_fake_fetch(
            &json!({
                "POST /auth/logout": [expired, {"body": ok(serde_json::Value::Null)}],
                "POST /auth/refresh": refresh,
            })
            .to_string(),
        );
        let sign_out: HtmlButtonElement =
            find(&root, ".user-menu button").unwrap().unchecked_into();
        sign_out.click();
        eventually(case, || {
            find(&root, "[role=status] [data-testid=sign-in-notice]")
                .and_then(|n| n.text_content())
                .as_deref()
                == Some("You have signed out.")
        })
        .await;
        sleep(300).await;
        assert!(
            find(&root, "[data-testid=logout-failed]").is_none(),
            "{case}: no warning"
        );
        assert_eq!(fake_calls("POST /auth/refresh"), refreshes, "{case}");
        assert_eq!(fake_calls("POST /auth/logout"), logouts, "{case}");
        if logouts == 2 {
            assert_eq!(
                fake_authorization("POST /auth/logout").as_deref(),
                Some("Bearer bbb.eyJleHAiOjQxMDI0NDQ4MDB9.sig"),
                "{case}: the second sign-out carries the cookie's token"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn a_sign_out_the_platform_did_not_hear_is_retried_and_can_be_tried_again() {
    let (root, _h) = dashboard_as(&["developer"], true, true).await;
    install_fake_fetch(
        &json!({
            "POST /auth/logout": [{"network_error": true}],
        })
        .to_string(),
    );
    let sign_out: HtmlButtonElement = find(&root, ".user-menu button").unwrap().unchecked_into();
    sign_out.click();
    eventually("signed out here at once", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    // Not "signed out" while the platform has not heard of it: its refresh cookie still
    // signs in a new tab.
    let notice = || {
        find(&root, "[role=status] [data-testid=sign-in-notice]")
            .and_then(|n| n.text_content())
            .unwrap_or_default()
    };
    assert_eq!(
        notice(),
        "Signing out…",
        "the sign-in page says it is under way"
    );
    eventually("and the live region", || {
        find(&root, "#announcer")
            .and_then(|a| a.text_content())
            .as_deref()
            == Some("Signing out…")
    })
    .await;
    eventually_within(8_000, "the warning", || {
        find(&root, "[data-testid=logout-failed]").is_some()
    })
    .await;
    // Said from the page's status region, there from the start, so it is read out.
    assert_eq!(notice(), "You have signed out.");
    assert!(
        fake_calls("POST /auth/logout") > 1,
        "the sign-out was retried before giving up"
    );
    // Sent while signed in, so with the token (contract §2), retries included.
    assert_eq!(
        fake_authorization("POST /auth/logout").as_deref(),
        Some("Bearer aaa.eyJleHAiOjQxMDI0NDQ4MDB9.sig")
    );
    assert!(text(&root).contains("session may persist"));

    let again: HtmlButtonElement = find(&root, "[data-testid=logout-failed] button")
        .unwrap()
        .unchecked_into();
    let focused = || leptos::prelude::document().active_element();
    // Tried again and failing again: said again, by the announcer (the warning's words stay).
    again.focus().unwrap();
    again.click();
    eventually_within(8_000, "the second failure said", || {
        announced(&root).starts_with("The platform still could not be told of the sign-out")
    })
    .await;
    assert!(again.is_connected(), "the same button");
    assert_eq!(focused(), Some(again.clone().unchecked_into()));
    install_fake_fetch(
        &json!({
            "POST /auth/logout": [{"delay": 300, "body": ok(json!(null))}],
        })
        .to_string(),
    );
    again.click();
    // While it is tried again, the button stays, busy, with the focus.
    eventually("busy", || {
        again.get_attribute("aria-disabled").as_deref() == Some("true")
    })
    .await;
    assert!(again.is_connected(), "the same button");
    assert_eq!(again.text_content().as_deref(), Some("Trying again…"));
    assert_eq!(focused(), Some(again.clone().unchecked_into()));
    again.click();
    eventually("the warning goes once the platform heard it", || {
        find(&root, "[data-testid=logout-failed]").is_none()
    })
    .await;
    assert_eq!(
        fake_calls("POST /auth/logout"),
        1,
        "a busy button sends nothing"
    );
    // Said from the status region, and the focus goes where the person goes on.
    assert!(find(&root, "[role=status] [data-testid=logout-told]").is_some());
    eventually("the focus in the e-mail field", || {
        focused().map(|e| e.id()).as_deref() == Some("sign-in-email")
    })
    .await;
    // Tried again from the sign-in page: nobody is signed in here any more, and the token went
    // with the session.
    assert_eq!(fake_authorization("POST /auth/logout"), None);
}

#[wasm_bindgen_test]
async fn a_page_back_from_the_back_forward_cache_asks_again_before_showing_keys() {
    let (root, _h) = dashboard_as(&["developer"], true, true).await;
    // Meanwhile the person signed out elsewhere.
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"delay": 100, "body": ok(json!(null))}],
        })
        .to_string(),
    );
    let init = web_sys::PageTransitionEventInit::new();
    init.set_persisted(true);
    let shown = web_sys::PageTransitionEvent::new_with_event_init_dict("pageshow", &init).unwrap();
    window().dispatch_event(&shown).unwrap();
    eventually("the keys are hidden while it asks", || {
        find(&root, "table.keys-table").is_none()
    })
    .await;
    // The refresh goes out once the browser-wide lock is granted, a moment later.
    eventually("the session asked for again", || {
        fake_calls("POST /auth/refresh") == 1
    })
    .await;
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    assert!(find(&root, "table.keys-table").is_none());

    // A page shown the ordinary way (not from the cache) does not ask.
    let init = web_sys::PageTransitionEventInit::new();
    init.set_persisted(false);
    let shown = web_sys::PageTransitionEvent::new_with_event_init_dict("pageshow", &init).unwrap();
    window().dispatch_event(&shown).unwrap();
    sleep(150).await;
    assert_eq!(fake_calls("POST /auth/refresh"), 1);
}

#[wasm_bindgen_test]
async fn after_a_sign_out_the_next_sign_in_starts_afresh() {
    let mut routes = one_key_page(json!([
        {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}
    ]));
    routes["POST /auth/logout"] = json!([{"body": ok(json!(null))}]);
    routes["POST /auth/login"] = json!([{"body": session(&["developer"])}]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/?q=onq");
    let back_link =
        |root: &HtmlElement| find(root, ".key-detail a.link").and_then(|a| a.get_attribute("href"));
    let open_key = |root: &HtmlElement| {
        let details: HtmlElement = find(root, "a[aria-label='Details of onq.AAA']")
            .unwrap()
            .unchecked_into();
        details.click();
    };
    eventually("the row", || text(&root).contains("onq.AAA")).await;
    open_key(&root);
    eventually("the key's page", || back_link(&root).is_some()).await;
    assert_eq!(
        back_link(&root).as_deref(),
        Some("/?q=onq"),
        "kept while signed in"
    );

    let sign_out: HtmlButtonElement = find(&root, ".user-menu button").unwrap().unchecked_into();
    sign_out.click();
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    let loc = window().location();
    assert_eq!(loc.pathname().unwrap(), "/sign-in");
    assert_eq!(
        loc.search().unwrap(),
        "",
        "no return to the page of the person who left"
    );

    fill_and_submit(&root, "a@b.test", "pw").await;
    eventually("the dashboard", || text(&root).contains("onq.AAA")).await;
    assert_eq!(loc.pathname().unwrap(), "/");
    assert_eq!(loc.search().unwrap(), "");
    open_key(&root);
    eventually("the key's page", || back_link(&root).is_some()).await;
    assert_eq!(
        back_link(&root).as_deref(),
        Some("/"),
        "no query of the person who left"
    );
}

#[wasm_bindgen_test]
async fn a_sign_out_in_another_tab_leaves_no_way_back_to_the_page_here() {
    let other_tab = web_sys::BroadcastChannel::new("onqlave-console-session").unwrap();
    let loc = window().location();
    // This tab's session had ended: its sign-in page would take the next person to the page.
    let mut routes = one_key_page(json!([
        {"body": ok(key("apikey--1", "onq.AAA", "active", "Payments", true))}
    ]));
    routes["POST /auth/refresh"] = json!([{"body": ok(json!(null))}]);
    routes["POST /auth/login"] = json!([{"body": session(&["developer"])}]);
    install_fake_fetch(&routes.to_string());
    let (root, h) = mount_app("/keys/apikey--1");
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    assert_eq!(loc.search().unwrap(), "?return_to=%2Fkeys%2Fapikey--1");
    other_tab.post_message(&"signed-out".into()).unwrap();
    eventually("the way back is forgotten", || {
        loc.search().unwrap().is_empty()
    })
    .await;
    fill_and_submit(&root, "a@b.test", "pw").await;
    eventually("the dashboard", || text(&root).contains("onq.AAA")).await;
    assert_eq!(loc.pathname().unwrap(), "/");
    drop(h);

    // This tab was still restoring its session.
    routes["POST /auth/refresh"] = json!([{"body": session(&["developer"]), "delay": 300}]);
    install_fake_fetch(&routes.to_string());
    let (root, _h) = mount_app("/keys/apikey--1");
    sleep(50).await;
    other_tab.post_message(&"signed-out".into()).unwrap();
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    assert_eq!(loc.pathname().unwrap(), "/sign-in");
    assert_eq!(loc.search().unwrap(), "");
}

/// A tab signed in when another tab signs out shows the sign-in page, saying why.
#[wasm_bindgen_test]
async fn a_sign_out_in_another_tab_is_said_on_the_sign_in_page_here() {
    let other_tab = web_sys::BroadcastChannel::new("onqlave-console-session").unwrap();
    let (root, _h) = dashboard_as(&["developer"], true, true).await;
    other_tab.post_message(&"signed-out".into()).unwrap();
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    let notice = find(&root, "[data-testid=sign-in-notice]").expect("a notice");
    assert_eq!(
        notice.text_content().as_deref(),
        Some("You were signed out in another tab.")
    );
    assert_eq!(
        find(&root, "#announcer")
            .and_then(|a| a.text_content())
            .as_deref(),
        Some("You were signed out in another tab."),
        "and said, once"
    );
}

/// Signs out of the dashboard with the platform answering the sign-out `logout`, and signs in
/// again at once, while that sign-out is on its way.
async fn signed_in_again_during_a_sign_out(logout: serde_json::Value) -> (HtmlElement, impl Drop) {
    let (root, h) = dashboard_as(&["developer"], true, true).await;
    install_fake_fetch(
        &json!({
            "POST /auth/logout": logout,
            "POST /auth/login": [{"body": session(&["developer"])}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
        })
        .to_string(),
    );
    let sign_out: HtmlButtonElement = find(&root, ".user-menu button").unwrap().unchecked_into();
    sign_out.click();
    fill_and_submit(&root, "dev@example.test", "password").await;
    eventually("signed in again", || {
        find(&root, "table.keys-table tbody tr").is_some()
    })
    .await;
    (root, h)
}

/// "Signing out…" is for a sign-out here only: signed in again while that sign-out is still on
/// its way, a session ended elsewhere says so.
#[wasm_bindgen_test]
async fn a_session_ended_while_an_earlier_sign_out_is_on_its_way_says_why() {
    let other_tab = web_sys::BroadcastChannel::new("onqlave-console-session").unwrap();
    let (root, _h) =
        signed_in_again_during_a_sign_out(json!([{"delay": 5_000, "body": ok(json!(null))}])).await;
    other_tab.post_message(&"signed-out".into()).unwrap();
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    assert_eq!(
        find(&root, "[data-testid=sign-in-notice]")
            .and_then(|n| n.text_content())
            .as_deref(),
        Some("You were signed out in another tab.")
    );
}

/// A sign-out retried after the person signed in again would carry the new sign-in's refresh
/// cookie and end that session: it is not retried then.
#[wasm_bindgen_test]
async fn a_sign_out_is_not_retried_across_a_new_sign_in() {
    let (root, _h) =
        signed_in_again_during_a_sign_out(json!([{"delay": 400, "network_error": true}])).await;
    assert_eq!(
        fake_calls("POST /auth/logout"),
        1,
        "the first sending is out"
    );
    // Past the first sending's failure and every retry the client's policy would make.
    sleep(2_500).await;
    assert_eq!(fake_calls("POST /auth/logout"), 1, "and not sent again");
    assert!(find(&root, "table.keys-table").is_some(), "still signed in");
}

/// A refresh that answers for another person (they signed in in another tab, and the refresh
/// cookie is theirs now) ends the session here: this tab's pages and requests were the
/// person's who was here, and nothing is sent again in the other's name.
#[wasm_bindgen_test]
async fn a_refresh_that_answers_for_someone_else_ends_the_session_here() {
    let someone_else = ok(json!({
        "token": "bbb.eyJleHAiOjQxMDI0NDQ4MDB9.sig",
        "expires_in": 900,
        "tenant_id": "tenant--t",
        "user": {"id": "user--2", "full_name": "Someone Else", "email_address": "e@example.test", "roles": ["platform_admin"]}
    }));
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": session(&["developer"])}, {"body": someone_else}],
            "GET /api/tenants/tenant--t/keys": [
                {"status": 401, "body": err(401, "service_unauthorized_err", "expired")},
                {"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}
            ],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually("the sign-in form", || {
        find(&root, "#sign-in-email").is_some()
    })
    .await;
    assert_eq!(
        find(&root, "[data-testid=sign-in-notice]")
            .and_then(|n| n.text_content())
            .as_deref(),
        Some("Someone else signed in on this browser, in another tab, so your session here has ended.")
    );
    assert_eq!(fake_calls("POST /auth/refresh"), 2);
    assert_eq!(
        fake_calls("GET /api/tenants/tenant--t/keys"),
        1,
        "the list is not asked for again in the other person's name"
    );
    assert!(!text(&root).contains("Someone Else"));
}

/// Refreshes are sent one at a time (a browser-wide lock, which the tabs' refreshes take): a
/// second waits for the first to end, and one dropped while it waits lets the next go on.
#[wasm_bindgen_test]
async fn work_under_the_tab_lock_runs_one_at_a_time() {
    use apikeys_console::tab_lock::one_tab_at_a_time;
    use std::cell::RefCell;
    use std::rc::Rc;
    let log = Rc::new(RefCell::new(Vec::<&str>::new()));
    let step = |log: &Rc<RefCell<Vec<&'static str>>>, start, end, ms| {
        let log = log.clone();
        async move {
            log.borrow_mut().push(start);
            sleep(ms).await;
            log.borrow_mut().push(end);
        }
    };
    let first = one_tab_at_a_time("test-lock", step(&log, "a", "a done", 150));
    let dropped = one_tab_at_a_time("test-lock", step(&log, "dropped", "dropped done", 10));
    let second = one_tab_at_a_time("test-lock", step(&log, "b", "b done", 10));
    // The one dropped while it waits: it never runs, and holds nothing up.
    let dropped = async {
        // `select` hands back the future it did not finish; dropped here.
        let _ = futures::future::select(Box::pin(dropped), Box::pin(sleep(50))).await;
    };
    futures::join!(first, dropped, second);
    assert_eq!(*log.borrow(), ["a", "a done", "b", "b done"]);
}

/// A session that ends by itself (expiry) or is restored again (a page back from the
/// back/forward cache, whose cookie may be someone else's by then) moves the epoch on, as a
/// sign-out does: its requests are not sent again under the next session.
#[wasm_bindgen_test]
async fn a_session_that_expires_or_is_restored_again_moves_the_epoch_on() {
    use apikeys_console::api::TokenSource;
    install_fake_fetch(
        &json!({"POST /auth/refresh": [{"body": session(&["developer"])}]}).to_string(),
    );
    let owner = leptos::prelude::Owner::new();
    owner.set();
    let session = apikeys_console::session::provide_session();
    let client =
        apikeys_console::api::provide_api_client(test_config(), std::sync::Arc::new(session));
    session.restore(&client).await;
    let signed_in = session.epoch();
    session.restore(&client).await;
    let restored = session.epoch();
    assert_ne!(restored, signed_in, "restored again");
    session.expire();
    assert_ne!(session.epoch(), restored, "expired");
}

/// A session answer that leaves out the tenant, the user id and the roles (contract §2: any
/// field may be absent) is completed from the token's claims (§3): the list of that tenant is
/// read, with the controls the roles allow.
#[wasm_bindgen_test]
async fn a_session_answer_without_tenant_or_roles_is_completed_from_the_token() {
    // {"sub":"user--1","tenant_id":"tenant--t","roles":["developer"],"exp":4102444800}
    let token = "h.eyJzdWIiOiJ1c2VyLS0xIiwidGVuYW50X2lkIjoidGVuYW50LS10Iiwicm9sZXMiOlsiZGV2ZWxvcGVyIl0sImV4cCI6NDEwMjQ0NDgwMH0.sig";
    install_fake_fetch(
        &json!({
            "POST /auth/refresh": [{"body": ok(json!({
                "token": token, "expires_in": 900,
                "user": {"full_name": "Test Person", "email_address": "t@example.test"}
            }))}],
            "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![key("apikey--1", "onq.AAA", "active", "Payments", true)], true)}],
        })
        .to_string(),
    );
    let (root, _h) = mount_app("/");
    eventually("rows", || {
        find(&root, "table.keys-table tbody tr").is_some()
    })
    .await;
    assert!(text(&root).contains("Developer"), "the role from the token");
}
