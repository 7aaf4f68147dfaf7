//! The first view's floor (`make bench`, docs/performance.md): the console's first rows, built
//! with the console's parts removed one by one. Every level takes the key list `index.html`
//! asked for through the console's own hand-off, decodes it with the console's own decoder and
//! shows the dashboard's first page (25 rows of its six columns):
//! - no feature: the rows written with the DOM API (wasm-bindgen and web-sys, no framework);
//! - `view`: the rows drawn by a Leptos view;
//! - `router`: that view under the console's router (`apikeys_console::router`), as the
//!   dashboard is.
//!
//! What the console adds on top of the last level (its session, configuration, shell, the
//! table's behaviour) is the difference between the two.

use apikeys_console::api::{decode, handed_off};
use apikeys_console::config::RuntimeConfig;
use platform_types::{ApiKey, ApiKeys};

/// The dashboard's default page size.
const FIRST_PAGE: usize = 25;

/// The first page of keys from the list `index.html` asked for, taken and read as the console
/// takes it; empty when there is none.
async fn first_page() -> Vec<ApiKey> {
    let timeout = RuntimeConfig::default().request_timeout_ms;
    let Some(raw) = handed_off("keys", timeout, None).await else {
        return Vec::new();
    };
    let mut keys = decode::<ApiKeys>(&raw)
        .map(|list| list.api_keys)
        .unwrap_or_default();
    keys.truncate(FIRST_PAGE);
    keys
}

/// The six cells of a row, as the dashboard's columns.
fn cells(key: &ApiKey) -> [String; 6] {
    [
        key.access_key.clone(),
        key.application_name().to_owned(),
        key.arx_name().to_owned(),
        key.status.as_str().to_owned(),
        key.created_at.clone(),
        key.creator_name().to_owned(),
    ]
}

#[cfg(not(feature = "view"))]
fn main() {
    wasm_bindgen_futures::spawn_local(async {
        let keys = first_page().await;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let element = |name: &str| document.create_element(name).ok();
        let (Some(table), Some(body), Some(page)) =
            (element("table"), element("tbody"), document.body())
        else {
            return;
        };
        table.set_class_name("keys-table");
        for key in &keys {
            let Some(row) = element("tr") else { return };
            for text in cells(key) {
                if let Some(cell) = element("td") {
                    cell.set_text_content(Some(&text));
                    let _ = row.append_child(&cell);
                }
            }
            let _ = body.append_child(&row);
        }
        let _ = table.append_child(&body);
        let _ = page.append_child(&table);
    });
}

#[cfg(feature = "view")]
mod view {
    use leptos::prelude::*;

    /// The first page of keys in a table, once the list is decoded.
    #[component]
    pub fn Keys() -> impl IntoView {
        // Loaded as the console loads its pages.
        let keys = apikeys_console::components::load::Loaded::new(super::first_page);
        view! {
            <table class="keys-table">
                <tbody>
                    {move || keys.get().map(|keys| keys.iter().map(|key| view! {
                        <tr>{super::cells(key).map(|text| view! { <td>{text}</td> })}</tr>
                    }).collect_view())}
                </tbody>
            </table>
        }
    }
}

#[cfg(all(feature = "view", not(feature = "router")))]
fn main() {
    leptos::mount::mount_to_body(view::Keys);
}

#[cfg(feature = "router")]
fn main() {
    use apikeys_console::router::provide_router;
    use apikeys_console::routes::{current_route, provide_route, Route};
    use leptos::prelude::*;

    leptos::mount::mount_to_body(|| {
        provide_router();
        provide_route();
        let route = current_route();
        let page = Memo::new(move |_| route.get().frame());
        move || match page.get() {
            Route::Dashboard { .. } => view! { <view::Keys/> }.into_any(),
            _ => "Not found".into_any(),
        }
    });
}
