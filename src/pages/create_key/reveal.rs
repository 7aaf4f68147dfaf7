//! Step 4: wait for provisioning, fetch the secrets once, and show them until the person says
//! they are stored. The secrets live only in this view's memory, in zeroing wrappers.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use platform_types::{KeyStatus, Secret, SensitiveData};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::credentials::{credential_file, save_file};
use super::{replace_entry, use_wizard};
use crate::api::retry::next_poll_delay_ms;
use crate::api::{use_api_client, ApiError};
use crate::components::copy_button::{CopyButton, CopyText};
use crate::session::{use_session, Phase as SessionPhase};
use crate::timer::sleep_ms;

const LEAVE_WARNING: &str = "Leave without storing the key? Its secrets cannot be shown again.";

#[derive(Clone)]
enum Phase {
    Provisioning,
    Failed,
    Ready(Arc<SensitiveData>),
    AlreadyProvided,
    Error(ApiError),
}

/// Step 4.
#[component]
pub fn KeyStep() -> impl IntoView {
    let wizard = use_wizard();
    // The id (not secret) rides in history state, so a reload can still link to the key.
    let remembered_id = window()
        .history()
        .ok()
        .and_then(|h| h.state().ok())
        .and_then(|s| s.as_string());
    let Some(key) = wizard.created.get_untracked() else {
        return view! { <CannotShowAgain id=remembered_id/> }.into_any();
    };
    // Leaving this step ends the run: coming back shows the "cannot be shown again" view.
    on_cleanup(move || {
        wizard.created.try_set(None);
    });
    let client = use_api_client();
    let phase = RwSignal::new(Phase::Provisioning);
    let started = js_sys::Date::now();
    let elapsed = RwSignal::new(0u32);
    let first_delay = client.config().poll_interval_ms;
    // Waits for the key to be active, then asks for its secrets once. Asking again after an
    // error is safe: the platform forgets the secrets only once it has sent them, and then
    // answers 410.
    let fetch = Callback::new(move |_: ()| {
        let client = client.clone();
        let id = key.id.clone();
        let mut status = key.status.clone();
        phase.set(Phase::Provisioning);
        spawn_local_scoped_with_cancellation(async move {
            let mut delay = first_delay;
            loop {
                match status {
                    KeyStatus::Active => match client.key_secrets(&id).await {
                        Ok(data) => {
                            phase.set(Phase::Ready(Arc::new(data)));
                            return;
                        }
                        // Not ready yet after all: keep waiting.
                        Err(ApiError::Conflict(_)) => {}
                        Err(ApiError::Gone(_)) => {
                            phase.set(Phase::AlreadyProvided);
                            return;
                        }
                        Err(e) => {
                            phase.set(Phase::Error(e));
                            return;
                        }
                    },
                    KeyStatus::Pending => {}
                    _ => {
                        phase.set(Phase::Failed);
                        return;
                    }
                }
                sleep_ms(delay).await;
                elapsed.set(((js_sys::Date::now() - started) / 1000.0) as u32);
                delay = next_poll_delay_ms(delay);
                // A failed poll is retried by the client; if it still fails, poll again later.
                if let Ok(k) = client.get_key(&id).await {
                    status = k.status;
                }
            }
        });
    });
    fetch.run(());

    let body = move || {
        match phase.get() {
        Phase::Provisioning => view! {
            <div class="panel provisioning" role="status" aria-live="polite">
                <h2><span class="spinner" aria-hidden="true"></span>" Provisioning your key…"</h2>
                <p>"The platform is setting up the key on the Arx. This can take up to 10 minutes; you can keep this page open."</p>
                <p class="muted">{move || format!("Waiting for {} s", elapsed.get())}</p>
            </div>
        }
        .into_any(),
        Phase::Failed => view! {
            <div class="panel error-panel" role="alert" data-testid="provisioning-failed">
                <h2>"Provisioning failed"</h2>
                <p>"The platform could not provision this key, so it cannot be used. Nothing secret was issued."</p>
                <A href="/keys/new/application" attr:class="button">"Start again"</A>
            </div>
        }
        .into_any(),
        Phase::AlreadyProvided => view! {
            <div class="panel error-panel" role="alert">
                <h2>"The secrets were already handed out"</h2>
                <p>"They are shown only once, and were shown elsewhere (perhaps in another tab). If nobody stored them, delete this key and create a new one."</p>
                <A href="/" attr:class="button">"Back to API keys"</A>
            </div>
        }
        .into_any(),
        Phase::Error(e) => view! {
            <div class="panel error-panel" role="alert" data-testid="secrets-error">
                <h2>"The key could not be shown"</h2>
                <p>{e.user_message()}</p>
                {e.correlation_id().map(|c| view! { <p class="muted">"Reference for support: " <code class="mono">{c.to_owned()}</code></p> })}
                <p>"Trying again is safe. If the secrets were handed out but lost on the way, they cannot be shown again: delete the key and create a new one."</p>
                <div class="wizard-actions start">
                    <button type="button" class="button" on:click=move |_| fetch.run(())>"Try again"</button>
                    <A href="/" attr:class="button secondary">"Back to API keys"</A>
                </div>
            </div>
        }
        .into_any(),
        Phase::Ready(data) => view! { <Secrets data/> }.into_any(),
    }
    };
    view! { <section aria-labelledby="key-title"><h2 id="key-title" class="visually-hidden">"Your new API key"</h2>{body}</section> }.into_any()
}

/// Shown when step 4 is opened without a run in memory.
#[component]
fn CannotShowAgain(id: Option<String>) -> impl IntoView {
    view! {
        <div class="panel empty-state" data-testid="cannot-show-again">
            <h2>"This key cannot be shown again"</h2>
            <p>"An API key's secrets are displayed once, right after it is created. They are not kept by this console or the platform."</p>
            {match id {
                Some(id) => view! { <A href=format!("/keys/{}", crate::api::segment(&id)) attr:class="button">"View the key's details"</A> }.into_any(),
                None => view! { <A href="/" attr:class="button">"Back to API keys"</A> }.into_any(),
            }}
        </div>
    }
}

/// The key and its secrets, with copy, reveal, download and the "stored" acknowledgement.
#[component]
fn Secrets(data: Arc<SensitiveData>) -> impl IntoView {
    let navigate = use_navigate();
    let session = use_session();
    // Another tab's sign-out (or the session's end) must not take these off screen.
    session.hold_while_mounted();
    let signed_out = Memo::new(move |_| session.phase() != SessionPhase::SignedIn);
    let stored = RwSignal::new(false);
    let guard_on = move || !stored.get_untracked();

    // Closing or reloading the tab asks first.
    let unload = window_event_listener_untyped("beforeunload", move |e| {
        if guard_on() {
            e.prevent_default();
            let _ = js_sys::Reflect::set(&e, &"returnValue".into(), &"".into());
        }
    });
    // Escape asks before leaving.
    let esc = {
        let navigate = navigate.clone();
        window_event_listener(ev::keydown, move |e| {
            if e.key() == "Escape" && guard_on() && confirm_leave() {
                stored.set(true);
                navigate("/", replace_entry(false));
            }
        })
    };
    // Following a link asks first (capture phase: before the router sees the click). The page
    // then navigates itself, replacing the guard entry below, so Back from the next page does
    // not land on it.
    let on_click = {
        let navigate = navigate.clone();
        Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |e: web_sys::MouseEvent| {
            let plain =
                e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key());
            let href = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
                .and_then(|a| a.get_attribute("href"))
                .filter(|h| h.starts_with('/') && !h.starts_with("//"));
            let Some(href) = href.filter(|_| plain) else {
                return;
            };
            e.prevent_default();
            e.stop_immediate_propagation();
            if !guard_on() || confirm_leave() {
                stored.set(true);
                navigate(&href, replace_entry(false));
            }
        })
    };
    let _ = window().add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    // Back asks first. The router hears a history move before any listener this page can add,
    // so the page puts a guard entry with the same URL on top of its own: Back then lands on
    // this same step (the router sees no change) and the page decides. Staying puts the guard
    // back; leaving (or Back once the key is stored) goes back one more entry.
    let here = window().location().href().unwrap_or_default();
    let arm = move || {
        if let Ok(history) = window().history() {
            let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
            let _ = history.push_state_with_url(&state, "", None);
        }
    };
    arm();
    let on_pop = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        if window().location().href().ok().as_deref() != Some(here.as_str()) {
            return;
        }
        if guard_on() && !confirm_leave() {
            arm();
            return;
        }
        stored.set(true);
        if let Ok(history) = window().history() {
            let _ = history.back();
        }
    });
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    let holder = send_wrapper::SendWrapper::new((on_click, on_pop));
    on_cleanup(move || {
        unload.remove();
        esc.remove();
        let (click, pop) = holder.take();
        let _ = window().remove_event_listener_with_callback_and_bool(
            "click",
            click.as_ref().unchecked_ref(),
            true,
        );
        let _ =
            window().remove_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
    });

    let download = {
        let data = data.clone();
        move |_| {
            let file = credential_file(&data);
            save_file(
                &format!("onqlave-credentials-{}.json", data.access_key),
                &file,
            );
        }
    };
    let done = move |_| {
        stored.set(true);
        navigate("/", replace_entry(false));
    };
    let access = data.access_key.clone();
    let arx_url = data.arx_url.clone();
    let has_client_key = !data.client_key.is_empty();
    view! {
        <div class="panel secrets">
            {move || signed_out.get().then(|| view! {
                <p class="notice" role="alert" data-testid="signed-out-notice">
                    "You were signed out. Copy or download the secrets now: they cannot be shown again."
                </p>
            })}
            <p class="warning" role="alert">
                "This is the only time these secrets are displayed. Copy them or download the credentials file now; "
                "do not leave this page until you have stored them."
            </p>
            <dl class="secret-list">
                <PlainField label="API key" value=access testid="access-key"/>
                <PlainField label="Arx URL" value=arx_url testid="arx-url"/>
                <SecretField label="Server signing key" data=data.clone() pick=|d| &d.server_signing_key testid="server-signing-key"/>
                <SecretField label="Server secret key" data=data.clone() pick=|d| &d.server_crypto_access_key testid="server-secret-key"/>
                {has_client_key.then(|| view! {
                    <SecretField label="Client key" data=data.clone() pick=|d| &d.client_key testid="client-key"/>
                })}
            </dl>
            <div class="wizard-actions start">
                <button type="button" class="button secondary" data-testid="download" on:click=download>"Download credentials"</button>
            </div>
            <label class="checkbox ack">
                <input type="checkbox" data-testid="stored" prop:checked=move || stored.get()
                    on:change=move |e| stored.set(event_target_checked(&e))/>
                " I have stored this key somewhere safe"
            </label>
            <div class="wizard-actions">
                <button type="button" class="button" data-testid="done" disabled=move || !stored.get() on:click=done>
                    {move || if signed_out.get() { "Done: sign in again" } else { "Done" }}
                </button>
            </div>
        </div>
    }
}

fn confirm_leave() -> bool {
    window()
        .confirm_with_message(LEAVE_WARNING)
        .unwrap_or(false)
}

/// A visible identifier with copy.
#[component]
fn PlainField(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    let id = format!("field-{testid}");
    view! {
        <div class="secret-row">
            <dt><label for=id.clone()>{label}</label></dt>
            <dd>
                <input id=id type="text" readonly=true class="mono" data-testid=testid
                    autocomplete="off" spellcheck="false" autocapitalize="off" prop:value=value.clone()/>
                <CopyButton text=value label=format!("Copy {label}")/>
            </dd>
        </div>
    }
}

/// A secret: masked until revealed, copied only on a click. Its text goes from the one copy in
/// `data` straight to the browser, never through another Rust string.
#[component]
fn SecretField(
    label: &'static str,
    data: Arc<SensitiveData>,
    pick: fn(&SensitiveData) -> &Secret,
    testid: &'static str,
) -> impl IntoView {
    let revealed = RwSignal::new(false);
    let id = format!("field-{testid}");
    let input = NodeRef::<leptos::html::Input>::new();
    {
        let data = data.clone();
        input.on_load(move |el| el.set_value(pick(&data).expose()));
    }
    let text = CopyText::lent(move |f| f(pick(&data).expose()));
    view! {
        <div class="secret-row">
            <dt><label for=id.clone()>{label}</label></dt>
            <dd>
                <input id=id node_ref=input type=move || if revealed.get() { "text" } else { "password" }
                    readonly=true class="mono" data-testid=testid
                    autocomplete="off" spellcheck="false" autocapitalize="off"/>
                <button type="button" class="copy-button" aria-pressed=move || revealed.get().to_string()
                    on:click=move |_| revealed.update(|r| *r = !*r)>
                    {move || if revealed.get() { "Hide" } else { "Reveal" }}
                    <span class="visually-hidden">{format!(" {label}")}</span>
                </button>
                <CopyButton text label=format!("Copy {label}")/>
            </dd>
        </div>
    }
}
