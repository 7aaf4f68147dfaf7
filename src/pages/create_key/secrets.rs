//! The new key and its secrets, shown once: copy, reveal, the credential file, and the "stored"
//! acknowledgement that lets the person leave. The secrets live only in this view's memory, in
//! zeroing wrappers, and go from there straight to the browser.

use std::sync::Arc;

use leptos::prelude::*;
use platform_types::{Secret, SensitiveData};

use super::credentials::{
    credential_file, credential_file_name, env_exports, env_exports_offered, save_file,
};
use super::replace_entry;
use crate::components::announcer::use_announcer;
use crate::components::copy_button::{CopyButton, CopyText};
use crate::components::usage_tabs::UsageTabs;
use crate::links;
use crate::router::use_navigate;
use crate::sdk_usage::{ENV_SECRET_KEY, ENV_SIGNING_KEY};
use crate::session::{use_session, Phase};

/// The key and its secrets, with copy, reveal, download and the "stored" acknowledgement.
#[component]
pub fn Secrets(
    data: Arc<SensitiveData>,
    /// Whether the person said they stored the secrets (the step's leave guard follows it).
    stored: RwSignal<bool>,
) -> impl IntoView {
    let navigate = use_navigate();
    // Held on screen through a sign-out by the key step's answer (`Session::hold`).
    let session = use_session();
    let signed_out = Memo::new(move |_| session.phase() != Phase::SignedIn);

    let announce = use_announcer();
    let download = {
        let data = data.clone();
        move |_| {
            let file = credential_file(&data);
            let name = credential_file_name(&data);
            // The browser's own download shows where it went; this says it to everyone.
            announce.say(if save_file(&name, &file) {
                format!("Saving the credential file {name}")
            } else {
                "The credential file could not be made. Copy the secrets instead.".to_owned()
            });
        }
    };
    let done = move |_| {
        stored.set(true);
        navigate(links::DASHBOARD, replace_entry(false));
    };
    let access = data.access_key.clone();
    let arx_url = data.arx_url.clone();
    let has_client_key = !data.client_key.is_empty();
    let offered = env_exports_offered(&data);
    let exports = offered.then(|| {
        let data = data.clone();
        CopyText::lent(move |f| {
            if let Some(text) = env_exports(&data) {
                f(&text);
            }
        })
    });
    let key_href = links::key(&data.id);
    view! {
        <div class="panel secrets">
            {move || signed_out.get().then(|| view! {
                <p class="notice" role="alert" data-testid="signed-out-notice">
                    "You were signed out. Copy or download the secrets now: they cannot be shown again."
                </p>
            })}
            <p class="warning" role="alert">
                "This is the only time these secrets are displayed. "
                {if has_client_key {
                    // The file leaves it out (see its note): downloading alone would lose it.
                    "Copy them, or download the credentials file and copy the client key, now; "
                } else {
                    "Copy them or download the credentials file now; "
                }}
                "do not leave this page until you have stored them."
            </p>
            <dl class="secret-list">
                <PlainField label="API key" value=access testid="access-key"/>
                <PlainField label="Arx URL" value=arx_url testid="arx-url"/>
                <SecretField label="Server signing key" data=data.clone() pick=|d| &d.server_signing_key testid="server-signing-key"/>
                <SecretField label="Server secret key" data=data.clone() pick=|d| &d.server_crypto_access_key testid="server-secret-key"/>
                {has_client_key.then(|| view! {
                    <SecretField label="Client key" data=data.clone() pick=|d| &d.client_key testid="client-key"
                        note="Not in the credentials file or the environment variables, which the SDKs read for a server: copy it now if a client of yours needs it."/>
                })}
            </dl>
            <div class="wizard-actions start">
                <button type="button" class="button secondary" data-testid="download" on:click=download>"Download credentials"</button>
                {exports.map(|exports| {
                    let (help, way_round) = way_round();
                    view! {
                        // The lines are on no page to select: the file is the way round.
                        <CopyButton text=exports label="Copy as environment variables" idle="Copy as environment variables"
                            failed="Copy failed: download the credentials file instead" help/>
                        {way_round}
                    }
                })}
            </div>
            {(!offered).then(|| view! {
                <p class="muted small" data-testid="no-exports">
                    "These values contain control characters, which could run commands in a terminal they are pasted into, so they are not offered as shell lines. Download the credentials file instead."
                </p>
            })}
            <section class="usage-section" aria-labelledby="usage-title">
                <h3 id="usage-title">"Use it"</h3>
                <p class="muted">
                    "The program reads the two secrets from the environment ("
                    <code>{ENV_SIGNING_KEY}</code>", "<code>{ENV_SECRET_KEY}</code>
                    "), so it can be kept in a repository; set them from your secret manager."
                </p>
                <UsageTabs arx_url=data.arx_url.clone() access_key=data.access_key.clone()/>
            </section>
            <label class="checkbox ack">
                <input type="checkbox" data-testid="stored" prop:checked=move || stored.get()
                    on:change=move |e| stored.set(event_target_checked(&e))/>
                " I have stored this key somewhere safe"
            </label>
            <div class="wizard-actions">
                // Why Done cannot be pressed yet, beside it and in its description.
                <Show when=move || !stored.get()>
                    <p class="muted small done-hint" id="done-hint" data-testid="done-hint">
                        "Tick “I have stored this key somewhere safe” to finish."
                    </p>
                </Show>
                <Show when=move || stored.get() && !signed_out.get()>
                    <a href=key_href.clone() class="button secondary" data-testid="view-key">"View key"</a>
                    <a href=links::NEW_KEY class="button secondary" data-testid="create-another">"Create another key"</a>
                </Show>
                <button type="button" class="button" data-testid="done" disabled=move || !stored.get()
                    aria-describedby=move || (!stored.get()).then_some("done-hint") on:click=done>
                    {move || if signed_out.get() { "Done: sign in again" } else { "Done" }}
                </button>
            </div>
        </div>
    }
}

/// The paragraph under a copy button where a refused copy's way round stays (`CopyButton`'s
/// `help`), hidden until a copy is refused. The announcer speaks the words: no live region.
fn way_round() -> (NodeRef<leptos::html::P>, impl IntoView) {
    let help = NodeRef::new();
    (
        help,
        view! { <p class="copy-help small" node_ref=help hidden=true></p> },
    )
}

/// A visible identifier with copy.
#[component]
fn PlainField(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    let id = format!("field-{testid}");
    let (help, way_round) = way_round();
    view! {
        <div class="secret-row">
            <dt><label for=id.clone()>{label}</label></dt>
            <dd class="one-action">
                <input id=id type="text" readonly=true class="mono" data-testid=testid
                    autocomplete="off" spellcheck="false" autocapitalize="off" prop:value=value.clone()/>
                <CopyButton text=value label=format!("Copy {label}") help/>
                {way_round}
            </dd>
        </div>
    }
}

/// A secret: masked until revealed, copied only on a click. Its text goes from the one copy in
/// `data` straight to the browser, never through another Rust string, and reaches the page only
/// while it is revealed: masked, the field holds a filler of the same length, which the browser
/// draws as the same dots. So what reads the page (extensions, password managers, the
/// accessibility tree) meets the secret only after the person asks for it.
#[component]
fn SecretField(
    label: &'static str,
    data: Arc<SensitiveData>,
    pick: fn(&SensitiveData) -> &Secret,
    testid: &'static str,
    /// Said beside the field (and read with it).
    #[prop(optional)]
    note: Option<&'static str>,
) -> impl IntoView {
    let revealed = RwSignal::new(false);
    let id = format!("field-{testid}");
    let note_id = note.map(|_| format!("note-{testid}"));
    let input = NodeRef::<leptos::html::Input>::new();
    let filler = "\u{2022}".repeat(pick(&data).expose().chars().count());
    // Value and type change together, in the click's own task, so no frame draws one without
    // the other.
    let toggle = {
        let data = data.clone();
        let filler = filler.clone();
        move |_| {
            let show = !revealed.get_untracked();
            if let Some(el) = input.get_untracked() {
                if show {
                    el.set_value(pick(&data).expose());
                    el.set_type("text");
                } else {
                    el.set_type("password");
                    el.set_value(&filler);
                }
            }
            revealed.set(show);
        }
    };
    let text = CopyText::lent(move |f| f(pick(&data).expose()));
    let (help, way_round) = way_round();
    view! {
        <div class="secret-row">
            <dt><label for=id.clone()>{label}</label></dt>
            <dd>
                <input id=id node_ref=input type="password" prop:value=filler
                    readonly=true class="mono" data-testid=testid aria-describedby=note_id.clone()
                    autocomplete="off" spellcheck="false" autocapitalize="off"/>
                // Its name says what it does next ("Reveal …", "Hide …"), so it is not also a
                // pressed toggle.
                <button type="button" class="copy-button" on:click=toggle>
                    {move || if revealed.get() { "Hide" } else { "Reveal" }}
                    <span class="visually-hidden">{format!(" {label}")}</span>
                </button>
                // A masked field gives nothing to a selection: it is revealed first.
                <CopyButton text label=format!("Copy {label}")
                    failed="Copy failed: reveal the value, then select it and copy it by hand" help/>
                {way_round}
                {note.map(|n| view! {
                    <p class="muted small" id=note_id data-testid=format!("{testid}-note")>{n}</p>
                })}
            </dd>
        </div>
    }
}
