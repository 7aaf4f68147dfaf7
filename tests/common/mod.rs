//! Helpers shared by the browser tests.
#![allow(dead_code)]

use std::rc::Rc;

use apikeys_console::config::RuntimeConfig;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// A fresh element appended to `<body>` for one test to mount into.
pub fn container() -> HtmlElement {
    let doc = document();
    let el: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// A `keydown` of `key` (with Shift when `shift`) on `target`, bubbling and cancelable; false
/// when a handler prevented its default action.
pub fn key_event(target: &web_sys::EventTarget, key: &str, shift: bool) -> bool {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&e).unwrap()
}

/// Waits `ms` milliseconds on the browser's timer.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// `future`'s output; panics with `what` when it has not finished in `ms` milliseconds.
pub async fn finishes_within<T>(
    ms: i32,
    what: &str,
    future: impl std::future::Future<Output = T>,
) -> T {
    use futures::future::{select, Either};
    match select(Box::pin(future), Box::pin(sleep(ms))).await {
        Either::Left((output, _)) => output,
        Either::Right(_) => panic!("{what}"),
    }
}

/// Polls `check` every 10 ms for up to 3 s; Leptos applies changes on a later tick.
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..300 {
        if check() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for: {what}");
}

/// Polls `check` every 10 ms for up to `ms` milliseconds.
pub async fn eventually_within(ms: u32, what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..ms.div_ceil(10) {
        if check() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out after {ms} ms waiting for: {what}");
}

/// Text content of `root`.
pub fn text(root: &HtmlElement) -> String {
    root.text_content().unwrap_or_default()
}

/// Moves the browser to `path` without a reload, so a Router mounted next reads it.
pub fn go_to(path: &str) {
    window()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function install_fake_fetch(routes_json) {
  const routes = JSON.parse(routes_json);
  window.__fakeRoutes = routes;
  window.__fakeCalls = [];
  window.__fakeCacheModes = {};
  window.__fakeAuthorization = {};
  window.__fakeIdempotencyKeys = {};
  window.fetch = async (input, init) => {
    const req = input instanceof Request ? input : new Request(input, init);
    const url = new URL(req.url, location.href);
    const key = req.method + ' ' + url.pathname;
    window.__fakeCalls.push(key);
    window.__fakeCacheModes[key] = req.cache;
    window.__fakeAuthorization[key] = req.headers.get('authorization');
    (window.__fakeIdempotencyKeys[key] ||= []).push(req.headers.get('idempotency-key'));
    const list = routes[key];
    if (!list) return new Response('no fake for ' + key, { status: 404 });
    const r = list.length > 1 ? list.shift() : list[0];
    // A delayed answer ends early, as a real fetch does, when its request is aborted.
    if (r.delay) {
      await new Promise((res, rej) => {
        const timer = setTimeout(res, r.delay);
        req.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          rej(new DOMException('The operation was aborted.', 'AbortError'));
        });
      });
    }
    if (r.network_error) throw new TypeError('Failed to fetch');
    if (r.stream_bytes) {
      // A body of stream_bytes bytes in 1 MB chunks, with no declared length.
      let left = r.stream_bytes;
      const chunk = new Uint8Array(1 << 20).fill(32);
      const stream = new ReadableStream({ pull(c) {
        if (left <= 0) { c.close(); return; }
        const n = Math.min(left, chunk.length); left -= n; c.enqueue(chunk.slice(0, n));
      } });
      return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
    }
    const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    return new Response(body, { status: r.status || 200, headers: Object.assign({ 'content-type': 'application/json' }, r.headers || {}) });
  };
}
export function fake_secrets(route) {
  const random = (prefix) => prefix + Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
  window.__secrets = [random('sig_'), random('sec_'), random('cli_')];
  const [sig, sec, cli] = window.__secrets;
  window.__fakeRoutes[route] = [{ body: { data: {
    id: 'apikey--n', access_key: 'onq.NEW', status: 'active', arx_url: 'https://arx.example.test/arx--p',
    server_signing_key: sig, server_crypto_access_key: sec, client_key: cli, provided_at: '2024-01-02T03:04:05Z',
  }, error: { code: 0, status: '', message: '', correlation_id: '', details: null } } }];
}
// The same, with secrets holding characters a JSON encoder may escape, written escaped (`\/`,
// `\u00e9`), as the contract allows.
export function fake_secrets_escaped(route) {
  fake_secrets(route);
  window.__secrets = window.__secrets.map((s) => `${s.slice(0, 20)}/\u00e9${s.slice(20)}`);
  const answer = window.__fakeRoutes[route][0];
  const data = answer.body.data;
  [data.server_signing_key, data.server_crypto_access_key, data.client_key] = window.__secrets;
  answer.body = JSON.stringify(answer.body).replace(/\//g, '\\/').replace(/\u00e9/g, '\\u00e9');
}
// The same, with a signing key that would act on the terminal it is pasted into: a Ctrl-C, and
// the sequence that ends a bracketed paste (no line break: a text field drops those).
export function fake_secrets_pasting_badly(route) {
  fake_secrets(route);
  window.__secrets[0] += '\u0003\u001b[201~echo INJECTED';
  window.__fakeRoutes[route][0].body.data.server_signing_key = window.__secrets[0];
}
// The same, with the key's public fields null, as the contract allows.
export function fake_secrets_without_public_fields(route) {
  fake_secrets(route);
  Object.assign(window.__fakeRoutes[route][0].body.data, { id: null, access_key: null, arx_url: null });
}
// The first answer to `route` spelled as sent, between `prefix` and `suffix`.
export function respell_answer(route, prefix, suffix) {
  const a = window.__fakeRoutes[route][0];
  a.body = prefix + (typeof a.body === 'string' ? a.body : JSON.stringify(a.body)) + suffix;
}
// The first answer to `route` becomes an error `status`; the answers after it wait `delay` ms.
export function fail_first(route, status, delay) {
  const answers = window.__fakeRoutes[route];
  for (const a of answers) a.delay = delay;
  answers.unshift({ status, body: { data: null, error: { code: status, status: 'FAILED', message: 'refused', correlation_id: 'corr--test', details: null } } });
}
export function holds_secret(input, n) { return input.value === window.__secrets[n]; }
export function secrets_in(memory) {
  const hay = new Uint8Array(memory.buffer);
  let found = 0;
  for (const secret of window.__secrets) {
    const needle = new TextEncoder().encode(secret);
    for (let i = hay.indexOf(needle[0]); i !== -1; i = hay.indexOf(needle[0], i + 1)) {
      let j = 1;
      while (j < needle.length && hay[i + j] === needle[j]) j++;
      if (j === needle.length) found++;
    }
  }
  return found;
}
export function clipboard_holds_secret() { return (window.__secrets || []).includes(window.__copied); }
export function clipboard_is_env_exports() {
  const [sig, sec] = window.__secrets;
  return window.__copied === `export ONQLAVE_ARX_URL='https://arx.example.test/arx--p'\nexport ONQLAVE_ACCESS_KEY='onq.NEW'\nexport ONQLAVE_SIGNING_KEY='${sig}'\nexport ONQLAVE_SECRET_KEY='${sec}'\n`;
}
// Whether one of the secrets of `fake_secrets` is anywhere a reader of the page finds it: the
// document's markup or a field's value.
export function page_holds_a_secret() {
  const values = [...document.querySelectorAll('input, textarea')].map((i) => i.value);
  const html = document.documentElement.outerHTML;
  return (window.__secrets || []).some((s) => html.includes(s) || values.some((v) => v.includes(s)));
}
export function shows_a_secret(el) { return (window.__secrets || []).some((s) => el.textContent.includes(s)); }
export function trap_errors() {
  window.__trapped = [];
  window.addEventListener('error', (e) => window.__trapped.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => window.__trapped.push(String(e.reason)));
}
export function trapped_errors() { return (window.__trapped || []).join('\n'); }
export function fake_call_count() { return (window.__fakeCalls || []).length; }
export function fake_cache_mode(key) { return window.__fakeCacheModes[key]; }
export function fake_authorization(key) { return window.__fakeAuthorization[key]; }
export function fake_idempotency_keys(key) { return (window.__fakeIdempotencyKeys[key] || []).join(' '); }
export function fake_calls(key) {
  return (window.__fakeCalls || []).filter((k) => k === key).length;
}
export function install_fake_clipboard(succeed) {
  window.__copied = null;
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: async (t) => { if (!succeed) throw new Error('denied'); window.__copied = t; } },
  });
}
export function copied_text() { return window.__copied; }
export function remove_clipboard() {
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
}
export function remove_random_uuid() {
  Object.defineProperty(crypto, 'randomUUID', { configurable: true, value: undefined });
}
export function restore_random_uuid() { delete crypto.randomUUID; }
export function set_page_hidden(hidden) {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}
export function restore_page_visibility() {
  delete document.hidden;
  document.dispatchEvent(new Event('visibilitychange'));
}
export function hasten_timeouts(from, to) {
  const original = window.__originalSetTimeout || window.setTimeout;
  window.__originalSetTimeout = original;
  window.__hastened = Object.assign(window.__hastened || {}, { [from]: to });
  window.setTimeout = (f, ms, ...args) => original(f, window.__hastened[ms] ?? ms, ...args);
}
export function restore_timeouts() {
  if (window.__originalSetTimeout) window.setTimeout = window.__originalSetTimeout;
  delete window.__originalSetTimeout;
  delete window.__hastened;
}
export function hand_off(name, answer_json) {
  const r = JSON.parse(answer_json);
  let answer;
  if (r.network_error) {
    answer = Promise.reject(new TypeError('Failed to fetch'));
  } else if (r.never) {
    answer = new Promise(() => {});
  } else if (r.body_stalls) {
    // Headers, the start of a body, then nothing more.
    const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('{"data":')); } });
    answer = Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
  } else {
    const resp = new Response(JSON.stringify(r.body), { status: r.status || 200, headers: { 'content-type': 'application/json' } });
    // A constructed response has no URL; a fetched one has the address it was fetched from.
    if (r.url) Object.defineProperty(resp, 'url', { value: new URL(r.url, location.href).href });
    answer = Promise.resolve(resp);
  }
  answer.catch(() => {});
  window.__consoleBoot = Object.assign(window.__consoleBoot || {}, { [name]: answer });
}
export function clear_hand_off() { delete window.__consoleBoot; }
"#)]
extern "C" {
    /// Replaces `window.fetch`: `{"METHOD /path": [{status, body, headers, delay,
    /// network_error, stream_bytes}, …]}`; answers are used in order and the last one repeats.
    pub fn install_fake_fetch(routes_json: &str);
    /// Answers `route` ("METHOD /path") with a key's one-time secrets made up in JS, so that
    /// this test's own Rust code never holds them.
    pub fn fake_secrets(route: &str);
    /// [`fake_secrets`], with secrets that the answer's JSON spells with escapes.
    pub fn fake_secrets_escaped(route: &str);
    /// [`fake_secrets`], with a signing key holding a Ctrl-C and an escape sequence.
    pub fn fake_secrets_pasting_badly(route: &str);
    /// [`fake_secrets`], with `id`, `access_key` and `arx_url` null.
    pub fn fake_secrets_without_public_fields(route: &str);
    /// Sends the first answer to `route` as its JSON text between `prefix` and `suffix`.
    pub fn respell_answer(route: &str, prefix: &str, suffix: &str);
    /// Makes the first answer to `route` an error `status`, and the answers after it wait `delay`
    /// ms.
    pub fn fail_first(route: &str, status: u16, delay: u32);
    /// Whether `input` shows secret `n` (0 signing, 1 secret, 2 client) of [`fake_secrets`];
    /// compared in JS, so the secret never enters this test's memory.
    pub fn holds_secret(input: &web_sys::HtmlInputElement, n: u32) -> bool;
    /// How many copies of the secrets of [`fake_secrets`] are in `memory` (a `WebAssembly.Memory`).
    pub fn secrets_in(memory: &wasm_bindgen::JsValue) -> u32;
    /// Whether the fake clipboard holds one of the secrets of [`fake_secrets`].
    pub fn clipboard_holds_secret() -> bool;
    /// Whether the fake clipboard holds the `export` lines of the key of [`fake_secrets`].
    pub fn clipboard_is_env_exports() -> bool;
    /// Whether one of the secrets of [`fake_secrets`] is in the page's markup or a field's value.
    pub fn page_holds_a_secret() -> bool;
    /// Whether `el`'s text contains one of the secrets of [`fake_secrets`].
    pub fn shows_a_secret(el: &web_sys::Element) -> bool;
    /// Starts recording uncaught errors and unhandled rejections of the page.
    pub fn trap_errors();
    /// What [`trap_errors`] recorded, one per line.
    pub fn trapped_errors() -> String;
    /// How many requests the fake has answered.
    pub fn fake_call_count() -> u32;
    /// How many times `"METHOD /path"` was fetched since the fake was installed.
    pub fn fake_calls(key: &str) -> u32;
    /// The cache mode of the last request to `key` ("METHOD /path"), as the fake fetch saw it.
    pub fn fake_cache_mode(key: &str) -> Option<String>;
    /// The `Authorization` header of the last request to `key`, as the fake fetch saw it.
    pub fn fake_authorization(key: &str) -> Option<String>;
    /// The `Idempotency-Key` headers of every request to `key` ("METHOD /path"), in order,
    /// separated by spaces.
    pub fn fake_idempotency_keys(key: &str) -> String;
    /// Replaces `navigator.clipboard` with one that succeeds or refuses.
    pub fn install_fake_clipboard(succeed: bool);
    /// What the fake clipboard received.
    pub fn copied_text() -> Option<String>;
    /// Takes `navigator.clipboard` away, as a page served over plain `http` from another machine
    /// has none.
    pub fn remove_clipboard();
    /// Takes `crypto.randomUUID` away (plain `http` from another machine, older browsers).
    pub fn remove_random_uuid();
    /// Gives `crypto.randomUUID` back.
    pub fn restore_random_uuid();
    fn set_page_hidden(hidden: bool);
    fn restore_page_visibility();
    /// Makes `setTimeout(f, from)` wait `to` ms instead (see [`HastenedTimeouts`]).
    fn hasten_timeouts(from: u32, to: u32);
    /// Undoes [`hasten_timeouts`].
    fn restore_timeouts();
    /// Plays `index.html`'s part: the request `name` ("refresh", "keys") sent before the app
    /// loaded, answered with one fake answer (`{status, body, network_error, url}`), never
    /// (`{never: true}`), or with a body that stops half way (`{body_stalls: true}`), left in
    /// `window.__consoleBoot`.
    pub fn hand_off(name: &str, answer_json: &str);
    /// Removes whatever `hand_off` left that the app did not take.
    pub fn clear_hand_off();
}

/// What the page's live region says now.
pub fn announced(root: &HtmlElement) -> String {
    find(root, "#announcer")
        .and_then(|a| a.text_content())
        .unwrap_or_default()
}

/// Presses the header's Sign out.
pub fn click_sign_out(root: &HtmlElement) {
    let button: web_sys::HtmlElement = find(root, ".user-menu button").unwrap().unchecked_into();
    button.click();
}

/// Fills the sign-in form once it shows, and sends it.
pub async fn fill_and_submit(root: &HtmlElement, email: &str, password: &str) {
    eventually("sign-in form", || find(root, "#sign-in-email").is_some()).await;
    let e: web_sys::HtmlInputElement = find(root, "#sign-in-email").unwrap().unchecked_into();
    let p: web_sys::HtmlInputElement = find(root, "#sign-in-password").unwrap().unchecked_into();
    e.set_value(email);
    p.set_value(password);
    let b: web_sys::HtmlButtonElement = find(root, "form button[type=submit]")
        .unwrap()
        .unchecked_into();
    b.click();
}

/// Presses `retry` with the focus on it, as a person does, when the request it sends again will
/// fail as before: the button stays, busy (not disabled), with the focus, and the failure is
/// said again, by the announcer, in words that start with `said`.
pub async fn retry_fails_again_keeping_the_focus(
    root: &HtmlElement,
    retry: &web_sys::HtmlButtonElement,
    said: &str,
) {
    let focused = || document().active_element();
    retry.focus().unwrap();
    retry.click();
    eventually("busy", || {
        retry.get_attribute("aria-disabled").as_deref() == Some("true")
    })
    .await;
    assert!(!retry.disabled(), "busy, not disabled");
    assert_eq!(
        focused(),
        Some(retry.clone().unchecked_into()),
        "the focus stays"
    );
    eventually("the second failure said", || {
        announced(root).starts_with(said)
    })
    .await;
    assert!(retry.is_connected(), "the same button");
    assert_eq!(focused(), Some(retry.clone().unchecked_into()));
}

/// An envelope around `data`.
pub fn ok(data: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"data": data, "error": {"code": 0, "status": "", "message": "", "correlation_id": "", "details": null}})
}

/// An error envelope.
pub fn err(code: u16, status: &str, message: &str) -> serde_json::Value {
    serde_json::json!({"data": null, "error": {"code": code, "status": status, "message": message, "correlation_id": "corr--test", "details": null}})
}

/// A session answer for a user with `roles`.
pub fn session(roles: &[&str]) -> serde_json::Value {
    ok(serde_json::json!({
        "token": "aaa.eyJleHAiOjQxMDI0NDQ4MDB9.sig",
        "expires_in": 900,
        "tenant_id": "tenant--t",
        "user": {"id": "user--1", "full_name": "Test Person", "email_address": "t@example.test", "roles": roles}
    }))
}

/// One key as the platform sends it.
pub fn key(
    id: &str,
    access: &str,
    status: &str,
    app_name: &str,
    can_delete: bool,
) -> serde_json::Value {
    serde_json::json!({
        "id": id, "access_key": access, "status": status, "created_at": "2024-01-02T03:04:05Z",
        "application_id": "app--1", "application": {"id": "app--1", "name": app_name, "label": app_name},
        "cluster_id": "arx--1", "cluster": {"id": "arx--1", "name": "prod", "label": "Production"},
        "created_by": {"id": "user--1", "full_name": "Test Person"},
        "acl": {"can": {"delete": can_delete}, "can_not": {}}
    })
}

/// A `GET /keys` answer.
pub fn key_list(keys: Vec<serde_json::Value>, can_add: bool) -> serde_json::Value {
    ok(serde_json::json!({
        "acl": {"can": {"add": can_add}, "can_not": {}},
        "api_keys": keys,
        "model": {"applications": [], "clusters": []},
        "insights": {"total_keys": 0, "total_active": 0, "total_deleted": 0}
    }))
}

/// A developer's tenant with one active key, `apikey--1` (`onq.AAA`), whose page reads it with
/// `key_answers` and finds no key base (404): the fake routes, for more to be added.
pub fn one_key_page(key_answers: serde_json::Value) -> serde_json::Value {
    let active = key("apikey--1", "onq.AAA", "active", "Payments", true);
    serde_json::json!({
        "POST /auth/refresh": [{"body": session(&["developer"])}],
        "GET /api/tenants/tenant--t/keys": [{"body": key_list(vec![active], true)}],
        "GET /api/tenants/tenant--t/keys/base": [{"status": 404, "body": err(404, "not_found_err", "none")}],
        "GET /api/tenants/tenant--t/keys/apikey--1": key_answers,
    })
}

/// The configuration the app is mounted with: the API under `/api`, short deadlines and polls.
pub fn test_config() -> RuntimeConfig {
    RuntimeConfig {
        api_base_url: "/api".into(),
        request_timeout_ms: 2_000,
        poll_interval_ms: 50,
        ..Default::default()
    }
}

/// Mounts the whole app at `path` with [`test_config`].
pub fn mount_app(path: &str) -> (HtmlElement, impl Drop) {
    mount_app_with(path, test_config())
}

/// Puts `value` into `input` as typing does: the value, then a bubbling `input` event.
pub fn type_into(input: &web_sys::HtmlInputElement, value: &str) {
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let e = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&e).unwrap();
}

/// Mounts the whole app at `path` with `config`, once the app of a test before is gone.
pub fn mount_app_with(path: &str, config: RuntimeConfig) -> (HtmlElement, impl Drop) {
    drop(Mounted);
    go_to(path);
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <apikeys_console::app::App config/> }.into_any()
    });
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
    (root, Mounted)
}

thread_local! {
    /// The app the running test mounted. A test that fails stops where it is and never drops
    /// its handle: the next mount unmounts that app first, or its router would answer every
    /// move through history too and turn one failure into many.
    static MOUNTED: std::cell::RefCell<Option<Box<dyn std::any::Any>>> =
        const { std::cell::RefCell::new(None) };
}

/// Unmounts the app [`mount_app_with`] mounted, when dropped.
pub struct Mounted;

impl Drop for Mounted {
    fn drop(&mut self) {
        // Taken out first: unmounting runs the app's clean-ups, which must find `MOUNTED` free.
        let app = MOUNTED.with(|m| m.borrow_mut().take());
        drop(app);
    }
}

/// The first element matching `selector`.
pub fn find(root: &HtmlElement, selector: &str) -> Option<web_sys::Element> {
    root.query_selector(selector).unwrap()
}

/// The browser's clock `m` minutes ago, in RFC 3339 (negative: ahead).
pub fn minutes_ago(m: f64) -> String {
    js_sys::Date::new(&(js_sys::Date::now() - m * 60_000.0).into())
        .to_iso_string()
        .as_string()
        .unwrap()
}

/// The browser's clock (`Date.now`), moved on at will until dropped.
pub struct ShiftedClock {
    shift: Rc<std::cell::Cell<f64>>,
    original: wasm_bindgen::JsValue,
    _now: wasm_bindgen::closure::Closure<dyn Fn() -> f64>,
}

impl ShiftedClock {
    /// The browser's clock, not moved yet.
    pub fn new() -> Self {
        let shift = Rc::new(std::cell::Cell::new(0.0));
        let date = js_sys::Reflect::get(&js_sys::global(), &"Date".into()).unwrap();
        let original = js_sys::Reflect::get(&date, &"now".into()).unwrap();
        let real: js_sys::Function = original.clone().unchecked_into();
        let now = {
            let shift = shift.clone();
            wasm_bindgen::closure::Closure::<dyn Fn() -> f64>::new(move || {
                real.call0(&wasm_bindgen::JsValue::NULL)
                    .unwrap()
                    .as_f64()
                    .unwrap()
                    + shift.get()
            })
        };
        js_sys::Reflect::set(&date, &"now".into(), now.as_ref()).unwrap();
        Self {
            shift,
            original,
            _now: now,
        }
    }

    /// Moves the clock on by `minutes` from where it really is.
    pub fn move_on_minutes(&self, minutes: f64) {
        self.shift.set(minutes * 60_000.0);
    }
}

impl Drop for ShiftedClock {
    fn drop(&mut self) {
        let date = js_sys::Reflect::get(&js_sys::global(), &"Date".into()).unwrap();
        js_sys::Reflect::set(&date, &"now".into(), &self.original).unwrap();
    }
}

/// Makes every `setTimeout` of `from` ms wait `to` ms instead, until dropped: a minute's timer
/// comes at once. Several may stand together; dropping one ends them all.
pub struct HastenedTimeouts;

impl HastenedTimeouts {
    pub fn new(from: u32, to: u32) -> Self {
        hasten_timeouts(from, to);
        Self
    }
}

impl Drop for HastenedTimeouts {
    fn drop(&mut self) {
        restore_timeouts();
    }
}

/// The page seen as hidden (a tab in the background) while it lives, and shown again after.
pub struct HiddenPage;

impl HiddenPage {
    pub fn new() -> Self {
        set_page_hidden(true);
        Self
    }

    /// Shows the page again, as a person coming back to the tab.
    pub fn show(&self) {
        set_page_hidden(false);
    }
}

impl Drop for HiddenPage {
    fn drop(&mut self) {
        restore_page_visibility();
    }
}

/// Answers the page's `confirm` with `answer`, counting the questions, until dropped.
pub struct AnsweredConfirm;

impl AnsweredConfirm {
    pub fn with(answer: bool) -> Self {
        js_sys::Function::new_with_args(
            "answer",
            "window.__realConfirm = window.__realConfirm || window.confirm; window.__asked = 0; \
             window.confirm = () => { window.__asked += 1; return answer; };",
        )
        .call1(&wasm_bindgen::JsValue::NULL, &answer.into())
        .unwrap();
        Self
    }

    /// How many questions the page asked since.
    pub fn asked(&self) -> u32 {
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__asked".into())
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(0.0) as u32
    }
}

impl Drop for AnsweredConfirm {
    fn drop(&mut self) {
        let _ = js_sys::Function::new_no_args(
            "window.confirm = window.__realConfirm || window.confirm;",
        )
        .call0(&wasm_bindgen::JsValue::NULL);
    }
}
