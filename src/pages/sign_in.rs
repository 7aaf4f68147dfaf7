//! `/sign-in`: e-mail and password, in a form password managers understand.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{use_api_client, ApiError};
use crate::components::retry_button::AnnouncedRetryButton;
use crate::components::skeleton::PageSkeleton;
use crate::router::{use_navigate, use_router, NavigateOptions};
use crate::session::{safe_return_path, use_session, Logout, Phase};

/// The sign-in page. Once signed in (or if already), it goes back to where the person was.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let client = use_api_client();
    let router = use_router();
    let navigate = use_navigate();
    let email = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let (pending, set_pending) = signal(false);
    let (error, set_error) = signal(None::<ApiError>);
    // Which fields the error is about, (e-mail, password): a refusal by the platform is about
    // both, a field left empty or no address only about that field.
    let (blamed, set_blamed) = signal((false, false));

    // Once the person has left (signed out here or in another tab), whoever signs in next is not
    // taken to the page they were on: the address forgets it.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if session.left() && router.with_untracked(|a| a.query("return_to").is_some()) {
                navigate(
                    &crate::links::sign_in(None),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }

    // One way out of this page: the moment a session exists, go to the validated destination.
    Effect::new(move |_| {
        if session.phase() == Phase::SignedIn {
            let from_query = router.with_untracked(|a| a.query("return_to"));
            let target = from_query
                .as_deref()
                .and_then(safe_return_path)
                .or_else(|| session.take_return_to())
                .unwrap_or_else(|| "/".to_owned());
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let notice = move || session.ended_notice();

    // The warning that the platform has not heard of the sign-out stays one element while it is
    // tried again, so the focus stays on its button; once the platform has heard, the status
    // region says so and the focus, if it was on the warning, goes to the e-mail field.
    let logout = Memo::new(move |_| session.logout());
    let warned =
        Memo::new(move |_| logout.with(|l| matches!(l, Logout::Failed(_) | Logout::Retrying)));
    let retrying = Memo::new(move |_| logout.with(|l| *l == Logout::Retrying));
    let why = Memo::new(move |before: Option<&String>| match logout.get() {
        Logout::Failed(e) => e.user_message(),
        _ => before.cloned().unwrap_or_default(),
    });
    let (told, set_told) = signal(false);
    Effect::new(move |was_warned: Option<bool>| {
        let now = warned.get();
        if was_warned == Some(true) && !now && logout.with_untracked(|l| *l == Logout::Done) {
            set_told.set(true);
            // On the warning, on its way out, or already dropped with it.
            let on_warning = document().active_element().is_some_and(|a| {
                a.closest("[data-testid=logout-failed]")
                    .is_ok_and(|w| w.is_some())
            });
            if on_warning || crate::focus::focus_lost() {
                if let Some(field) = email.get_untracked() {
                    let _ = field.focus();
                }
            }
        }
        now
    });
    // A retry that fails as the sending before it is said (the alert's words do not change).
    let still_failing = Callback::new(move |_| match logout.get_untracked() {
        Logout::Failed(e) => Some(format!(
            "The platform still could not be told of the sign-out: {}",
            e.user_message()
        )),
        _ => None,
    });
    let warning_view = {
        let client = client.clone();
        move || {
            let client = client.clone();
            view! {
                <div class="notice" role="alert" data-testid="logout-failed">
                    <p>
                        "You are signed out of this console, but the platform could not be told, so your "
                        "session may persist on this browser. Try again before you leave this computer. "
                        {why}
                    </p>
                    <AnnouncedRetryButton busy=retrying on_retry=Callback::new(move |_| session.tell_platform(&client, None))
                        still_failing class="button secondary small"/>
                </div>
            }
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (Some(email_field), Some(password_field)) =
            (email.get_untracked(), password.get_untracked())
        else {
            return;
        };
        let (email, password) = (email_field.value(), password_field.value());
        if email.trim().is_empty() || password.is_empty() {
            set_blamed.set((email.trim().is_empty(), password.is_empty()));
            set_error.set(Some(ApiError::Validation {
                message: "Enter your e-mail address and password.".into(),
                fields: vec![],
                correlation_id: String::new(),
            }));
            // The first field left empty takes the focus: typing goes on where it is missing.
            let empty = if email.trim().is_empty() {
                email_field
            } else {
                password_field
            };
            let _ = empty.focus();
            return;
        }
        // Not a full check (the platform decides who exists): only what is plainly no address,
        // so that a slip is said as such rather than as a wrong password.
        let email_shaped = email.trim().split_once('@').is_some_and(|(name, host)| {
            !name.is_empty() && !host.is_empty() && !email.trim().contains(char::is_whitespace)
        });
        if !email_shaped {
            set_blamed.set((true, false));
            set_error.set(Some(ApiError::Validation {
                message: "Enter an e-mail address, such as name@example.com.".into(),
                fields: vec![],
                correlation_id: String::new(),
            }));
            let _ = email_field.focus();
            return;
        }
        set_pending.set(true);
        set_error.set(None);
        let client = client.clone();
        leptos::task::spawn_local(async move {
            match client.login(email.trim(), &password).await {
                Ok(wire) => session.establish(wire, &client),
                Err(e) => {
                    // Refused as given: both fields are in question. A failure on the way (no
                    // answer, a limit, the platform down) is about neither.
                    let refused =
                        matches!(e, ApiError::Unauthorized(_) | ApiError::Validation { .. });
                    set_blamed.set((refused, refused));
                    set_error.set(Some(e));
                }
            }
            set_pending.set(false);
        });
    };

    // The fields say they were refused, and by what (read with them).
    let blames = move |field: fn((bool, bool)) -> bool| {
        move || (error.with(Option::is_some) && field(blamed.get())).then_some("true")
    };
    let described = move || error.with(Option::is_some).then_some("sign-in-error");
    let restoring = Memo::new(move |_| session.phase() == Phase::Restoring);
    move || {
        let submit = submit.clone();
        let warning_view = warning_view.clone();
        if restoring.get() {
            return view! { <PageSkeleton/> }.into_any();
        }
        view! {
            <section class="sign-in panel" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">"Sign in"</h1>
                <p class="muted">"Manage the API keys of your Onqlave tenant."</p>
                // A status region from the start: why the page is here is said by the app's
                // announcer as the page comes; a change after that ("Signing out…", then
                // signed out) is said from here.
                <div role="status">
                    {move || notice().map(|n| view! { <p class="notice" data-testid="sign-in-notice">{n}</p> })}
                    {move || (told.get() && !warned.get()).then(|| view! {
                        <p class="notice" data-testid="logout-told">"The platform has been told: the session has ended on this browser."</p>
                    })}
                </div>
                <Show when=move || warned.get()>{warning_view.clone()}</Show>
                // `post`: should the app's handler not run, the browser's own submission sends no
                // password in the address.
                <form method="post" on:submit=submit novalidate=true>
                    <div class="field">
                        <label for="sign-in-email">"E-mail address"</label>
                        <input id="sign-in-email" node_ref=email type="email" name="email"
                            autocomplete="username" inputmode="email" required=true
                            aria-invalid=blames(|b| b.0) aria-describedby=described
                            autocapitalize="off" spellcheck="false"/>
                    </div>
                    <div class="field">
                        <label for="sign-in-password">"Password"</label>
                        <input id="sign-in-password" node_ref=password type="password" name="password"
                            autocomplete="current-password" required=true
                            aria-invalid=blames(|b| b.1) aria-describedby=described/>
                    </div>
                    {move || error.get().map(|e| view! {
                        <p class="form-error" role="alert" id="sign-in-error">{sign_in_message(&e)}{reference(&e)}</p>
                    })}
                    // Busy, not disabled (the submit is ignored while it is): a disabled button
                    // under the focus drops it to the page's start.
                    <button type="submit" class="button" aria-disabled=move || pending.get().to_string()
                        aria-busy=move || pending.get().to_string()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </section>
        }
        .into_any()
    }
}

/// The reference of a failure support may need to trace (contract §2.1); a refusal of the
/// credentials, of too many attempts or of what was typed says all there is.
fn reference(e: &ApiError) -> Option<String> {
    let says_all = matches!(
        e,
        ApiError::Unauthorized(_) | ApiError::RateLimited { .. } | ApiError::Validation { .. }
    );
    (!says_all).then(|| e.reference()).flatten()
}

/// What a refused sign-in says: as any error, but a limit is on sign-in attempts.
fn sign_in_message(e: &ApiError) -> String {
    match e {
        ApiError::RateLimited {
            retry_after_secs: Some(s),
            ..
        } => format!(
            "Too many sign-in attempts. Try again in {}.",
            crate::api::error::wait_text(*s)
        ),
        ApiError::RateLimited { .. } => {
            "Too many sign-in attempts. Wait a moment and try again.".into()
        }
        e => e.user_message(),
    }
}
