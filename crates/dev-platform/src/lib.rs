//! A local stand-in for the Onqlave platform API (`shared/platform-api.md`), with real
//! persistence in SQLite, real authentication and role checks, and the built console served
//! from the same origin.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::serve::{self, Listener, ListenerExt};
use axum::Router;
use clap::Parser;
use rusqlite::Connection;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub mod auth;
pub mod body;
pub mod client;
pub mod clock;
pub mod db;
pub mod error;
pub mod faults;
pub mod headers;
pub mod ids;
pub mod keys;
pub mod list;
pub mod rebinding;
pub mod seed;
pub mod static_files;

use error::{ApiError, ApiResult};

/// Command line of the dev platform.
#[derive(Debug, Clone, Parser)]
#[command(name = "dev-platform", version, about)]
pub struct Options {
    /// Port to listen on; 0 picks a free one (the chosen address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// SQLite database file (created and seeded on first start); `:memory:` keeps nothing.
    #[arg(long, default_value = "data/dev-platform.sqlite3")]
    pub db: PathBuf,
    /// Built console to serve (e.g. dist-release); without it only the API is served.
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,
    /// How long a create or delete stays `pending`, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    pub provisioning_delay_ms: u64,
    /// Seed this many extra keys into the Demo tenant (scale tests); added once.
    #[arg(long, default_value_t = 0)]
    pub demo_keys: usize,
    /// Seed the "Hostile names" tenant (owner@hostile.test, developer@hostile.test), whose
    /// names come from a corpus of hostile strings (src/seed/hostile.rs); added once.
    #[arg(long)]
    pub hostile_names: bool,
    /// Enable fault injection and its loopback-only control endpoint `/__faults`.
    #[arg(long)]
    pub faults: bool,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, default_value_t = 900)]
    pub token_ttl_secs: u64,
    /// A rotated refresh token presented again within this many seconds is still accepted
    /// once, with the same successor (quick reloads, tabs opening together); later reuse revokes
    /// the whole token family of that sign-in.
    #[arg(long, default_value_t = 10)]
    pub refresh_grace_secs: u64,
    /// A sign-in ends this many seconds after it began, however often it is refreshed; then
    /// the person signs in again.
    #[arg(long, default_value_t = 12 * 3600)]
    pub session_max_secs: u64,
    /// A sign-in refreshed this many times ends (a client refreshing every 15 minutes for the
    /// 12 hours makes 48, with a reload each minute 768): each refresh keeps a row, for the
    /// detection of a stolen cookie, as long as the sign-in lasts.
    #[arg(long, default_value_t = 10_000)]
    pub refreshes_per_sign_in: u64,
    /// Failed sign-ins allowed per e-mail address within five minutes.
    #[arg(long, default_value_t = 5)]
    pub login_failures_per_email: u32,
    /// Failed sign-ins allowed per client address within five minutes.
    #[arg(long, default_value_t = 100)]
    pub login_failures_per_address: u32,
    /// Another origin allowed to call the platform: `/auth/*` takes it, and it gets CORS with
    /// credentials (e.g. `http://127.0.0.1:8080` when a dev server on that origin forwards to
    /// this one, or a console served from another origin of the same site); may be repeated.
    /// Exactly `scheme://host[:port]`: `*` and `null` are refused.
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = parse_origin)]
    pub allow_origins: Vec<String>,
}

/// An `--allow-origin`: an origin exactly (`http(s)://host[:port]`, no path), since CORS with
/// credentials must name each one; never `*` or `null` (a sandboxed frame's origin).
fn parse_origin(text: &str) -> Result<String, String> {
    match static_files::origin_of(text) {
        Some(origin) if origin == text => Ok(origin),
        _ => Err(format!(
            "{text:?} is not an origin of the form http(s)://host[:port]"
        )),
    }
}

impl Options {
    /// Options for tests: in-memory database, no static files, the given provisioning delay.
    pub fn for_tests(provisioning_delay_ms: u64) -> Self {
        let mut o = Self::parse_from(["dev-platform", "--db", ":memory:"]);
        o.provisioning_delay_ms = provisioning_delay_ms;
        o
    }
}

/// Whether the request came over https to a TLS-terminating proxy in front of this server.
pub fn is_https(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// Everything the handlers share.
pub struct AppState {
    conn: Mutex<Connection>,
    jwt: auth::JwtKeys,
    token_ttl_secs: u64,
    lifetimes: db::Lifetimes,
    provisioning_delay_ms: u64,
    login_limiter: auth::LoginLimiter,
    ended_sessions: auth::EndedSessions,
    allowed_origins: Vec<String>,
    /// Bound to this machine only: see [`rebinding`].
    loopback_only: bool,
    dummy_hash: String,
    /// Password hashes computed at once: each takes a core and 19 MiB for tens of milliseconds.
    hashing: Arc<tokio::sync::Semaphore>,
    /// Fault injection switchboard.
    pub faults: faults::Faults,
    generation: AtomicU64,
    list_cache: list::ListCache,
}

impl AppState {
    /// Opens the database, migrates and seeds it.
    pub fn open(opts: &Options) -> Result<Self, Box<dyn std::error::Error>> {
        let mut conn = db::open(&opts.db)?;
        seed::seed(&mut conn, opts.demo_keys, opts.hostile_names)?;
        let jwt = auth::JwtKeys::load_or_create(&conn)?;
        let ended_sessions = auth::EndedSessions::new(
            opts.token_ttl_secs,
            db::families_revoked_since(
                &conn,
                auth::EndedSessions::horizon(opts.token_ttl_secs, clock::now_secs()),
            )?,
        );
        Ok(Self {
            conn: Mutex::new(conn),
            jwt,
            token_ttl_secs: opts.token_ttl_secs,
            lifetimes: db::Lifetimes {
                refresh_secs: auth::REFRESH_TTL_SECS,
                session_max_secs: i64::try_from(opts.session_max_secs).unwrap_or(i64::MAX),
                grace_secs: i64::try_from(opts.refresh_grace_secs).unwrap_or(i64::MAX),
                refreshes: i64::try_from(opts.refreshes_per_sign_in).unwrap_or(i64::MAX),
            },
            provisioning_delay_ms: opts.provisioning_delay_ms,
            login_limiter: auth::LoginLimiter::new(
                opts.login_failures_per_email,
                opts.login_failures_per_address,
            ),
            ended_sessions,
            allowed_origins: opts.allow_origins.clone(),
            loopback_only: rebinding::is_loopback_bind(&opts.bind),
            dummy_hash: auth::hash_password("not-a-real-password"),
            hashing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            faults: faults::Faults::new(opts.faults),
            generation: AtomicU64::new(0),
            list_cache: Mutex::default(),
        })
    }

    /// The database connection. A poisoned lock is taken over: SQLite transactions keep the data
    /// consistent even if a handler panicked mid-way.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the database on the blocking pool: SQLite calls block, and an async worker
    /// held by one would stall every request queued behind it.
    pub async fn blocking<T, F>(self: &Arc<Self>, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&AppState, &mut Connection) -> ApiResult<T> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || f(&state, &mut state.db()))
            .await
            .map_err(|e| ApiError::Internal(format!("blocking task: {e}")))?
    }

    /// Checks `password` against `phc` on the blocking pool, at most one hash per core at once.
    /// The permit goes with the hash, not with the request: a client that hangs up drops its
    /// request, while the hash it started runs on.
    pub async fn verify_password(&self, password: String, phc: String) -> ApiResult<bool> {
        let permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::Internal(format!("hashing: {e}")))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            auth::verify_password(&password, &phc)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task: {e}")))
    }

    /// Marks cached reads stale after a write.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound("No such route")
}

/// A platform route asked with a method it does not take: in the envelope, as every answer.
async fn api_method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// HEAD of the one-time secrets: axum would run the GET handler for it and drop the body, handing
/// the secrets out to nobody. A safe method changes nothing: 405, GET only.
async fn sensitive_head() -> Response {
    let mut answer = ApiError::MethodNotAllowed.into_response();
    answer
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET"));
    answer
}

/// The correlation id of a request, in its extensions for the request log.
#[derive(Debug, Clone)]
pub struct CorrelationId(pub String);

/// Gives every request a correlation id: in its extensions (for the request log), in the
/// task-local used by error bodies, and in the `X-Correlation-Id` response header.
async fn correlate(mut req: Request, next: Next) -> Response {
    let id = format!("corr--{}", &ids::token()[..16]);
    req.extensions_mut().insert(CorrelationId(id.clone()));
    let mut resp = error::CORRELATION_ID.scope(id.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-correlation-id", v);
    }
    resp
}

/// CORS for a console served from another origin (`--allow-origin`), as the platform must allow
/// it when the console is on a CDN and the platform on another origin of the same site (the
/// refresh cookie is `SameSite=Strict`): the refresh cookie
/// (credentials), the request headers the console sends (`Authorization` and `Idempotency-Key`
/// need a preflight) and the response headers it reads (`Retry-After`, `X-Correlation-Id`,
/// which a cross-origin page cannot see unless exposed).
fn cross_origin(origins: &[String]) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::ACCEPT,
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            HeaderName::from_static("x-correlation-id"),
        ])
        .max_age(Duration::from_secs(600))
}

/// Builds the HTTP application.
pub fn router(state: Arc<AppState>, bundle: Option<Arc<static_files::Bundle>>) -> Router {
    let api = Router::new()
        .route("/tenants/{tenant}/keys", get(keys::list).post(keys::create))
        .route("/tenants/{tenant}/keys/base", get(keys::base))
        .route(
            "/tenants/{tenant}/keys/{id}",
            get(keys::get).delete(keys::delete),
        )
        .route(
            "/tenants/{tenant}/keys/{id}/sensitive",
            get(keys::sensitive).head(sensitive_head),
        )
        .method_not_allowed_fallback(api_method_not_allowed)
        .fallback(api_not_found);
    let auth = Router::new()
        .route("/login", post(auth::login))
        .route("/refresh", post(auth::refresh))
        .route("/logout", post(auth::logout))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::same_origin::guard,
        ))
        .method_not_allowed_fallback(api_method_not_allowed)
        .fallback(api_not_found);
    let mut platform = Router::new()
        .nest("/api", api)
        .nest("/auth", auth)
        .layer(middleware::from_fn_with_state(state.clone(), faults::apply))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rebinding::guard,
        ))
        .layer(DefaultBodyLimit::max(body::MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    if !state.allowed_origins.is_empty() {
        platform = platform.layer(cross_origin(&state.allowed_origins));
    }
    if state.faults.enabled() {
        platform = platform.route("/__faults", put(faults::replace).delete(faults::reset));
    }
    let mut app: Router = platform.with_state(state);
    let csp = match &bundle {
        Some(b) => static_files::Csp::Of(b.clone()),
        None => {
            static_files::Csp::Fixed(Arc::from(static_files::content_security_policy(&[], &[])))
        }
    };
    if let Some(bundle) = bundle {
        app = app.fallback_service(
            Router::new()
                .fallback(static_files::serve)
                .with_state::<()>(bundle),
        );
    }
    answered(app, csp)
}

/// What every answer passes through, innermost first: a handler's panic becomes the envelope's
/// 500 (contract §2: every body is the envelope, 500 for anything else), the house's headers,
/// the request log, and the correlation id, whose scope holds all of them.
fn answered(app: Router, csp: static_files::Csp) -> Router {
    app.layer(CatchPanicLayer::custom(panicked))
        .layer(middleware::from_fn_with_state(csp, headers::apply))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_answer),
        )
        .layer(middleware::from_fn(correlate))
}

/// The answer to a request whose handler panicked; the cause is logged, not sent.
fn panicked(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let why = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    error::ApiError::Internal(format!("a handler panicked: {why}")).into_response()
}

/// The request log's span: method, path (never the query, which may carry anything) and
/// correlation id.
fn request_span(req: &Request) -> tracing::Span {
    let corr = req
        .extensions()
        .get::<CorrelationId>()
        .map_or("", |c| c.0.as_str());
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        correlation_id = %corr,
    )
}

/// The request log's line for every answer: status and latency.
fn log_answer(resp: &Response, latency: Duration, _: &tracing::Span) {
    tracing::info!(
        status = resp.status().as_u16(),
        latency_ms = latency.as_secs_f64() * 1000.0,
        "answered"
    );
}

/// Builds the state and router for `opts`.
pub fn build(opts: &Options) -> Result<(Router, Arc<AppState>), Box<dyn std::error::Error>> {
    let bundle = match &opts.static_dir {
        Some(dir) => Some(Arc::new(static_files::Bundle::open(dir).map_err(|e| {
            format!(
                "cannot serve {}: {e} (build the console first)",
                dir.display()
            )
        })?)),
        None => None,
    };
    let state = Arc::new(AppState::open(opts)?);
    Ok((router(state.clone(), bundle), state))
}

/// Listens on `opts.bind:opts.port`, with Nagle's algorithm off on every connection: hyper
/// writes a response's head and body apart, and with it on, a response on a reused connection
/// waited for the client's delayed acknowledgement of the head (40 ms on Linux) before its body
/// left (its test below).
async fn bind(
    opts: &Options,
) -> Result<
    serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)>,
    Box<dyn std::error::Error>,
> {
    let addr: SocketAddr = format!("{}:{}", opts.bind, opts.port).parse()?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let no_delay: fn(&mut tokio::net::TcpStream) = |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("TCP_NODELAY not set: {e}");
        }
    };
    Ok(listener.tap_io(no_delay))
}

/// Binds `opts.bind:opts.port` and serves in a background task; returns the bound address.
pub async fn spawn(
    opts: &Options,
) -> Result<(SocketAddr, Arc<AppState>), Box<dyn std::error::Error>> {
    let (app, state) = build(opts)?;
    let listener = bind(opts).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let served = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
        if let Err(e) = served {
            tracing::error!("server stopped: {e}");
        }
    });
    Ok((addr, state))
}

/// How long a stop waits for the requests under way (a slow upload, a fault rule's hang)
/// before it closes their connections. Writes are committed as they are made: nothing is lost.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Resolves on Ctrl-C or, on Unix, SIGTERM (`kill`, a container or service manager stopping
/// the server). On Unix both are heard from the call, not from the first poll: a script that
/// stops the server as soon as it has printed its address gets a stop, not the signal's
/// default kill. Elsewhere Ctrl-C is heard once the server runs.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    // `tokio::signal::ctrl_c()` is an async fn: its handler would be installed at its first
    // poll, after the address is printed. Unix signals are registered here, at the call.
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let heard = |stream: Option<tokio::signal::unix::Signal>| async move {
                match stream {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = heard(interrupt) => {}
                () = heard(terminate) => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs the server until Ctrl-C or SIGTERM, then lets the requests under way finish, for
/// [`STOP_GRACE`] at most.
pub async fn run(opts: Options) -> Result<(), Box<dyn std::error::Error>> {
    let (app, _state) = build(&opts)?;
    let listener = bind(&opts).await?;
    let stop = stop_signal();
    tracing::info!(
        db = %opts.db.display(),
        static_dir = ?opts.static_dir,
        faults = opts.faults,
        "started"
    );
    // On stdout, alone and in this form: scripts read the address from it (the log goes to
    // stderr).
    println!(
        "dev-platform listening on http://{}",
        listener.local_addr()?
    );
    let stopping = Arc::new(tokio::sync::Notify::new());
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown({
        let stopping = stopping.clone();
        async move {
            stop.await;
            tracing::info!("stopping");
            stopping.notify_one();
        }
    });
    tokio::select! {
        served = std::future::IntoFuture::into_future(served) => served?,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(STOP_GRACE).await;
        } => tracing::warn!("stopped with requests still under way after {STOP_GRACE:?}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_handler_that_panics_answers_the_envelope_s_500() {
        use axum::body::Body;
        use axum::http::StatusCode;
        use tower::ServiceExt;
        let app = Router::new().route(
            "/boom",
            get(|| async { std::panic::panic_any::<&str>("boom") as () }),
        );
        let resp = answered(app, static_files::Csp::Fixed(Arc::from("")))
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let corr = resp.headers()["x-correlation-id"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = http_body_util::BodyExt::collect(resp.into_body())
            .await
            .unwrap()
            .to_bytes();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["status"], "internal_err", "{v}");
        assert_eq!(v["error"]["correlation_id"], corr.as_str(), "{v}");
        assert_eq!(v["data"], serde_json::Value::Null);
    }

    #[tokio::test]
    async fn every_connection_sends_without_waiting_for_acknowledgements() {
        let opts = Options::parse_from(["dev-platform", "--port", "0", "--db", ":memory:"]);
        let mut listener = bind(&opts).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap(), "Nagle's algorithm is off");
    }

    /// A sign-in whose client hangs up mid-hash keeps the hash's permit until the hash ends:
    /// otherwise clients that hang up at once could run any number of hashes (19 MiB each).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hash_keeps_its_permit_when_its_request_goes() {
        let (_, state) = build(&Options::for_tests(0)).unwrap();
        let all = state.hashing.available_permits();
        // About a second's hash on this machine, so that it is surely still running when the
        // permit is counted, however busy the machine.
        let phc = {
            use argon2::password_hash::{PasswordHasher, SaltString};
            let params = argon2::Params::new(64 * 1024, 16, 1, None).unwrap();
            let slow =
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            slow.hash_password(b"pw", &salt).unwrap().to_string()
        };
        let request = tokio::spawn({
            let state = state.clone();
            async move { state.verify_password("pw".into(), phc).await }
        });
        while state.hashing.available_permits() == all {
            tokio::task::yield_now().await;
        }
        // The client hangs up: its request is dropped.
        request.abort();
        let _ = request.await;
        assert_eq!(
            state.hashing.available_permits(),
            all - 1,
            "the hash runs on, holding its permit"
        );
        for _ in 0..500 {
            if state.hashing.available_permits() == all {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the permit was never given back");
    }
}
