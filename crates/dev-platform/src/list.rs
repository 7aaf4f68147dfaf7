//! `GET /keys` bodies cached per tenant and view, with a gzip copy made once per fill (when a
//! reader asks for one).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult};
use crate::{auth, clock, db, keys, AppState};

/// Cached list bodies by (tenant, whether the viewer may manage keys).
pub type ListCache = Mutex<HashMap<(String, bool), CachedList>>;

/// A cached `GET /keys` body, as JSON and (when large enough to be worth it) gzip-compressed.
pub struct CachedList {
    generation: u64,
    valid_until_ms: Option<i64>,
    body: Bytes,
    gzip: Option<Bytes>,
}

/// Bodies below this size are sent as they are: compressing them saves less than it costs.
const GZIP_MIN_BYTES: usize = 1024;

/// Compresses a list body once per cache fill, so the thousandth reader pays nothing for it
/// (a per-response compression layer would compress 6.6 MB again for every reader). Level 6,
/// the usual default: 6.6 MB of list JSON becomes ~450 kB.
fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    if body.len() < GZIP_MIN_BYTES {
        return None;
    }
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 8),
        flate2::Compression::new(6),
    );
    enc.write_all(body).ok()?;
    enc.finish().ok().map(Bytes::from)
}

/// Whether the request's `Accept-Encoding` admits `coding` by name or `*` (a `q=0` refuses it).
pub fn accepts_encoding(headers: &axum::http::HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
        })
}

/// What a cache fill found once it held the database.
enum Fill {
    /// Another request filled the cache meanwhile.
    Hit(Bytes, Option<Bytes>),
    /// This one rendered the list (and cached it).
    Rendered(Bytes, u64),
}

impl AppState {
    /// The cached body (and gzip copy) for `key`, if nothing changed since it was rendered.
    fn cached_list(&self, key: &(String, bool), now: i64) -> Option<(Bytes, Option<Bytes>)> {
        let generation = self.generation.load(Ordering::SeqCst);
        let cache = self.list_cache.lock().unwrap_or_else(|p| p.into_inner());
        let c = cache.get(key)?;
        (c.generation == generation && c.valid_until_ms.is_none_or(|t| now < t))
            .then(|| (c.body.clone(), c.gzip.clone()))
    }

    /// `GET /keys` for a caller, from cache while no write or scheduled transition has happened.
    /// After a write, the many readers that miss the cache at once queue for the database; the
    /// first renders the list and the others find it in the cache when their turn comes, instead
    /// of rendering it again each.
    pub(crate) async fn list_response(
        self: &Arc<Self>,
        caller: auth::Caller,
        tenant: String,
        want_gzip: bool,
    ) -> ApiResult<Response> {
        let cache_key = (tenant.clone(), caller.may_manage());
        let now = clock::now_ms();
        if let Some((body, gzip)) = self.cached_list(&cache_key, now) {
            if gzip.is_some() || !want_gzip || body.len() < GZIP_MIN_BYTES {
                return Ok(list_bytes(&body, gzip.as_ref(), want_gzip));
            }
        }
        let key = cache_key.clone();
        let fill = self
            .blocking(move |state, conn| {
                if let Some((body, gzip)) = state.cached_list(&key, now) {
                    return Ok(Fill::Hit(body, gzip));
                }
                if db::settle(conn, now)? > 0 {
                    state.invalidate();
                }
                let generation = state.generation.load(Ordering::SeqCst);
                let body = Bytes::from(keys::render_list(conn, &caller, &tenant)?);
                let entry = CachedList {
                    generation,
                    valid_until_ms: db::next_transition(conn, &tenant)?,
                    body: body.clone(),
                    gzip: None,
                };
                state
                    .list_cache
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(key, entry);
                Ok(Fill::Rendered(body, generation))
            })
            .await?;
        let (body, generation) = match fill {
            Fill::Hit(body, gzip) if gzip.is_some() || !want_gzip => {
                return Ok(list_bytes(&body, gzip.as_ref(), want_gzip))
            }
            Fill::Hit(body, _) => (body, None),
            Fill::Rendered(body, generation) => (body, Some(generation)),
        };
        if !want_gzip {
            return Ok(list_bytes(&body, None, false));
        }
        // Compressed without holding the database, once per fill: later readers take the copy.
        let compressed = {
            let body = body.clone();
            tokio::task::spawn_blocking(move || gzip(&body))
                .await
                .map_err(|e| ApiError::Internal(format!("blocking task: {e}")))?
        };
        let mut cache = self.list_cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.get_mut(&cache_key) {
            let same_body = c.body.as_ptr() == body.as_ptr() && c.body.len() == body.len();
            if generation.is_none_or(|g| g == c.generation) && same_body {
                c.gzip.clone_from(&compressed);
            }
        }
        Ok(list_bytes(&body, compressed.as_ref(), want_gzip))
    }
}

/// The list body, gzip-encoded when the client accepts it and a compressed copy exists.
fn list_bytes(body: &Bytes, gzip: Option<&Bytes>, want_gzip: bool) -> Response {
    let mut resp = match gzip.filter(|_| want_gzip) {
        Some(z) => {
            let mut r = json_bytes(z.clone());
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        }
        None => json_bytes(body.clone()),
    };
    resp.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    resp
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
