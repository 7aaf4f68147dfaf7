//! `/keys/:id`: every field of one key, its Arx, copy, and delete where allowed.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use platform_types::{ApiKey, Arx};

use crate::api::{use_api_client, ApiError};
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::PageSkeleton;
use crate::components::status_badge::StatusBadge;
use crate::key_events::use_key_events;
use crate::pages::create_key::steps::arx_facts;
use crate::pages::dashboard::TimeText;
use crate::permissions::delete_permission;
use crate::session::use_session;
use crate::time;

type Detail = (ApiKey, Option<Arx>);

/// The key detail page.
#[component]
pub fn KeyDetailPage() -> impl IntoView {
    let client = use_api_client();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let data = RwSignal::new(None::<Result<Detail, ApiError>>);
    let load = Callback::new(move |_: ()| {
        let client = client.clone();
        let id = id.get_untracked();
        data.set(None);
        spawn_local_scoped_with_cancellation(async move {
            let (key, base) = futures::join!(client.get_key(&id), client.key_base());
            let result = key.map(|k| {
                let arx = base
                    .ok()
                    .and_then(|b| b.model.clusters.into_iter().find(|c| c.id == k.cluster_id));
                (k, arx)
            });
            data.set(Some(result));
        });
    });
    Effect::new(move |_| {
        id.track();
        load.run(());
    });
    use_key_events(move |ev| {
        if ev.id == id.get_untracked() {
            load.run(());
        }
    });
    let roles = Memo::new(move |_| session.roles());

    move || {
        match data.get() {
        None => view! { <PageSkeleton/> }.into_any(),
        Some(Err(ApiError::NotFound(_))) | Some(Err(ApiError::Forbidden(_))) => view! {
            <section class="panel empty-state" aria-labelledby="nf-title">
                <h1 id="nf-title">"API key not found"</h1>
                <p>"There is no such key in your tenant. It may have been mistyped, or it belongs to someone else."</p>
                <A href="/" attr:class="button">"Back to API keys"</A>
            </section>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <ErrorPanel title="The API key could not be loaded" error on_retry=load/>
        }
        .into_any(),
        Some(Ok((key, arx))) => {
            let now = time::now_ms();
            let may_delete = delete_permission(&key, &roles.get());
            let delete_href = format!("/keys/{}/delete", crate::api::segment(&key.id));
            let app = key.application.as_ref().map(|a| a.display_name().to_owned()).unwrap_or_else(|| key.application_id.clone());
            let arx_name = key.cluster.as_ref().map(|a| a.display_name().to_owned()).unwrap_or_else(|| key.cluster_id.clone());
            let creator = key.created_by.as_ref().map(|c| c.display_name().to_owned()).unwrap_or_default();
            let access = key.access_key.clone();
            view! {
                <section class="key-detail" aria-labelledby="detail-title">
                    <p><A href="/" attr:class="link">"← API keys"</A></p>
                    <div class="page-head">
                        <h1 id="detail-title">"API key " <code class="mono">{access.clone()}</code></h1>
                        <StatusBadge status=key.status.clone()/>
                    </div>
                    <div class="panel">
                        <dl class="detail-grid">
                            <dt>"API key"</dt>
                            <dd><code class="mono">{access.clone()}</code>
                                <CopyButton text=access.clone() label="Copy API key"/></dd>
                            <dt>"Id"</dt><dd><code class="mono">{key.id.clone()}</code></dd>
                            <dt>"Application"</dt><dd>{app}</dd>
                            <dt>"Arx"</dt><dd>{arx_name}</dd>
                            <dt>"Arx URL"</dt><dd><code class="mono">{key.arx_url.clone()}</code></dd>
                            <dt>"Created"</dt><dd><TimeText shown=time::show(&key.created_at, now)/></dd>
                            <dt>"Created by"</dt><dd>{creator}</dd>
                            <dt>"Last used"</dt><dd>{match &key.last_used_at {
                                Some(t) => view! { <TimeText shown=time::show(t, now)/> }.into_any(),
                                None => view! { <span class="muted">"Not reported"</span> }.into_any(),
                            }}</dd>
                        </dl>
                    </div>
                    {arx.map(|a| view! { <ArxDetails arx=a/> })}
                    <div class="detail-actions">
                        {match may_delete.reason() {
                            None => view! { <A href=delete_href attr:class="button danger">"Delete API key"</A> }.into_any(),
                            Some(r) => view! { <p class="muted">{r.to_owned()}</p> }.into_any(),
                        }}
                    </div>
                </section>
            }
            .into_any()
        }
    }
    }
}

/// Everything known about an Arx.
#[component]
pub fn ArxDetails(arx: Arx) -> impl IntoView {
    let facts = arx_facts(&arx)
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
        .collect_view();
    view! {
        <div class="panel arx-details">
            <h2>"Arx: " {arx.display_name().to_owned()}</h2>
            <dl class="detail-grid">{facts}</dl>
        </div>
    }
}
