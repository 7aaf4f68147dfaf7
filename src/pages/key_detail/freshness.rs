//! Keeping the key's page fresh: a pending key read again until it settles, and what the page
//! says when reading it again failed.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use platform_types::KeyStatus;

use super::Found;
use crate::api::retry::next_poll_delay_ms;
use crate::api::{ApiClient, ApiError};
use crate::components::load::Loaded;
use crate::components::retry_button::AnnouncedRetryButton;
use crate::time;
use crate::timer::{sleep_ms, while_hidden};

/// While the key shown is pending (being provisioned or deleted), reads it again with backoff,
/// and the page once it has settled; a read that fails while it waits is tried again later.
pub(super) fn follow_pending(
    found: Loaded<Result<Found, ApiError>>,
    client: ApiClient,
    id: Memo<String>,
) {
    Effect::new(move |_| {
        let pending = found
            .get()
            .is_some_and(|f| matches!(f, Ok(Found::Key(k, _)) if k.status == KeyStatus::Pending));
        if !pending {
            return;
        }
        let client = client.clone();
        let task = async move {
            let mut delay = client.config().poll_interval_ms;
            loop {
                sleep_ms(delay).await;
                while_hidden().await;
                let mut asked = 0;
                match client.get_key(&id.get_untracked()).await {
                    Ok(k) if k.status == KeyStatus::Pending => {}
                    // Settled, gone, refused, or an answer the next poll would not make
                    // understood: the page reads the key again and says what it finds.
                    Ok(_)
                    | Err(ApiError::NotFound(_) | ApiError::Forbidden(_) | ApiError::Decode(_)) => {
                        break
                    }
                    Err(e) => asked = e.asked_wait_ms(),
                }
                delay = next_poll_delay_ms(delay).max(asked);
            }
            found.refetch();
        };
        // The effect's owner: a new answer (this one's included) or leaving the page ends it.
        // Untracked: what the client reads on its way is not this effect's concern.
        untrack(|| spawn_local_scoped_with_cancellation(task));
    });
}

/// Said above the key when reading it again failed: what is shown is as it was read, and a
/// retry. One element while it is tried again, so its button keeps the focus; a retry that
/// fails as the one before is said by the announcer (the alert's words do not change).
#[component]
pub(super) fn RefreshFailed(
    found: Loaded<Result<Found, ApiError>>,
    error: RwSignal<Option<ApiError>>,
    read_at: Signal<Option<f64>>,
) -> impl IntoView {
    let failing = Memo::new(move |_| error.with(Option::is_some));
    let still_failing = Callback::new(move |_| {
        error.with_untracked(|e| {
            e.as_ref().map(|e| {
                format!(
                    "The API key still could not be read again: {}",
                    e.user_message()
                )
            })
        })
    });
    let words = move || {
        let why = error.with(|e| e.as_ref().map(ApiError::user_message))?;
        let read = read_at.get().map(time::clock_local)?;
        Some(format!(
            "The API key could not be read again: {why} The page shows it as read at {read}."
        ))
    };
    // Beside the alert, not in it: each failure has its own, which would have it read again.
    let reference = move || error.with(|e| e.as_ref().and_then(ApiError::support_reference));
    view! {
        <Show when=move || failing.get()>
            <div class="notice stale" data-testid="stale-key">
                <p role="alert">{words}</p>
                <p class="muted small">{reference}</p>
                <AnnouncedRetryButton busy=found.loading() on_retry=Callback::new(move |_| found.refetch())
                    still_failing class="button small secondary"/>
            </div>
        </Show>
    }
}
