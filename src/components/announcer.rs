//! A polite live region: pages announce outcomes ("Key deleted") without moving focus.

use leptos::prelude::*;

/// Handle for announcing a message to assistive technology.
#[derive(Clone, Copy)]
pub struct Announce(WriteSignal<String>);

impl Announce {
    /// Replaces the current announcement with `message`. The same words again are news too (a
    /// second copy): a region whose text does not change is not read out again, so a repeat
    /// differs from the last by a trailing no-break space, which is not spoken.
    pub fn say(&self, message: impl Into<String>) {
        let mut message = message.into();
        self.0.update(|current| {
            if *current == message {
                message.push('\u{a0}');
            }
            *current = message;
        });
    }
}

#[derive(Clone, Copy)]
struct AnnouncerText(ReadSignal<String>);

/// Creates the live region's state; call once near the root.
pub fn provide_announcer() {
    let (read, write) = signal(String::new());
    provide_context(Announce(write));
    provide_context(AnnouncerText(read));
}

/// The announcer handle provided by [`provide_announcer`].
pub fn use_announcer() -> Announce {
    expect_context::<Announce>()
}

/// The `role="status"` region itself; render once in the layout.
#[component]
pub fn Announcer() -> impl IntoView {
    let text = use_context::<AnnouncerText>().map(|t| t.0);
    view! {
        <div role="status" aria-live="polite" aria-atomic="true" class="visually-hidden" id="announcer">
            {move || text.map(|t| t.get()).unwrap_or_default()}
        </div>
    }
}
