// `make bench`: measures the console as users feel it, against the dev platform on loopback.
// Usage: node bench/bench.mjs --dist DIR --bench-dist DIR --platform BIN [--floor DIR] [--out DIR]
//          [--smoke] [--only rows,scale,memory,platform]
// --dist is the release bundle (its transfer size and rows visible); --bench-dist the same
// console built with the `bench` feature, whose instruments (the heap counter, the wasm memory,
// the list's performance mark) the memory and 10,000-key measures read.
// Writes OUT/report.json and prints a table. Exits 1 when a budget is missed (not in --smoke
// mode, which only keeps this script from rotting: one run of each measure).
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import http from 'node:http';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist-release' },
    'bench-dist': { type: 'string', default: 'dist-bench' },
    // The first view's floor levels (scripts/build-floor.sh).
    floor: { type: 'string', default: 'target/floor' },
    platform: { type: 'string', default: 'target/server/dev-platform' },
    // The mixed-load tool of the dev platform (list, create, delete from 32 clients).
    'load-tool': { type: 'string', default: 'target/server/platform-load' },
    out: { type: 'string', default: 'target/bench' },
    smoke: { type: 'boolean', default: false },
    // A subset (for profiling one measure); budgets are then reported for what ran and not enforced.
    only: { type: 'string', default: 'rows,scale,memory,platform' },
  },
});
const { smoke, platform: platformBin, out: outDir } = opts;
const dist = opts.dist;
const benchDist = opts['bench-dist'];
const only = opts.only.split(',');
const runs = (part) => only.includes(part);
const RUNS = smoke ? 1 : 7;
const KEYSTROKES = smoke ? 3 : 64; // twice over the word list; its p95 is the 4th-worst stroke (of 30, the 2nd)
const LOADS_10K = smoke ? 1 : 7; // first render after data: median of this many page loads (of each kind)
const LOAD_REQUESTS = smoke ? 2 : 100; // per client
const CYCLES = smoke ? 2 : 20;
const CLIENTS = 16;
const EMAIL = 'owner@demo.test';
const PASSWORD = 'demo-password';

const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startPlatform(extraKeys, bundle) {
  const port = await freePort();
  const proc = spawn(platformBin, ['--port', String(port), '--db', ':memory:', '--static', bundle,
    '--demo-keys', String(extraKeys), '--provisioning-delay-ms', '500'],
  // Its request log would bury the report; warnings and errors still show.
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i += 1) {
    try { if ((await fetch(`${base}/config.json`)).ok) return { proc, base }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error('dev platform did not start');
}

const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.ceil(q * s.length) - 1);
  return s[Math.max(0, i)];
}
const round = (x) => Math.round(x * 10) / 10;

// The first load is every asset but the wasm chunks of the other pages (split_*, chunk_*), which
// are fetched once the dashboard shows its keys; their sizes are reported apart.
const onDemand = (f) => /^(split|chunk)_/.test(f);
// Brotli at quality 11, as the release bundle is precompressed.
const brotli = (buf) => zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
function transferSizes() {
  const files = fs.readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f));
  const rows = files.map((f) => {
    const buf = fs.readFileSync(path.join(dist, f));
    return {
      file: f,
      initial: !onDemand(f),
      raw: buf.length,
      gzip: zlib.gzipSync(buf, { level: 9 }).length,
      brotli: brotli(buf).length,
    };
  });
  const sum = (rs) => rs.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  // split: false for a bundle without chunks (one built before the split, for comparisons).
  return { files: rows, split: rows.some((r) => !r.initial), total: sum(rows.filter((r) => r.initial)), on_demand: sum(rows.filter((r) => !r.initial)) };
}

async function signedInContext(browser, base) {
  return signIn(await browser.newContext({ baseURL: base }));
}

// A daily user's browser: a profile on disk. Chromium keeps V8's compiled wasm for such a
// profile only (an incognito context, like browser.newContext(), keeps none), so the repeat
// visit is measured in one.
async function signedInProfile(base, login = signIn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROME_ARGS, baseURL: base,
  });
  await login(context);
  return { context, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

async function signIn(context) {
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('table.keys-table tbody tr');
  await page.close();
  return context;
}

// Records in the page when the first key row enters the DOM (window.__rowsAt) and when it is
// drawn (window.__rowsDrawnAt: the render time Chromium's Element Timing gives its cells, marked
// as they arrive, before their paint); then the promise window.__firstRow resolves. A row not
// drawn within 2 s (outside the viewport, say) leaves the drawn time null rather than failing the
// load. Playwright's own polling (retries after 20, 100, 500 ms) would add its cadence to the
// figures. Runs before the page's own scripts (an init script).
function firstRowRecorder() {
  window.__rowsAt = null;
  window.__rowsDrawnAt = null;
  window.__firstRow = new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const drawn = list.getEntries().find((e) => e.identifier === 'first-row');
      if (!drawn || window.__rowsDrawnAt != null) return;
      window.__rowsDrawnAt = drawn.renderTime || null;
      resolve();
    }).observe({ type: 'element', buffered: true });
    new MutationObserver((_, obs) => {
      const row = document.querySelector('table.keys-table tbody tr');
      if (!row) return;
      window.__rowsAt = performance.now();
      obs.disconnect();
      for (const el of [row, ...row.cells]) el.setAttribute('elementtiming', 'first-row');
      setTimeout(resolve, 2000);
    }).observe(document, { childList: true, subtree: true });
  });
}
const recordFirstRow = (page) => page.addInitScript(firstRowRecorder);

// In the page, once its first row is in: the time from the key list being there for the app to
// that row. index.html asks for the list while the wasm loads, so it can arrive before the app
// wants it: the data is there from the later of its arrival and the app's call (a mark). The
// list's resource-timing entry can be queued a task after the app has read the last byte and
// drawn the rows, so it is waited for.
async function firstRenderInPage() {
  const isList = (e) => /\/api\/tenants\/[^/]+\/keys$/.test(e.name);
  let entry = performance.getEntriesByType('resource').filter(isList).pop();
  for (let i = 0; !entry && i < 100; i += 1) {
    await new Promise((r) => setTimeout(r, 20));
    entry = performance.getEntriesByType('resource').filter(isList).pop();
  }
  const wanted = performance.getEntriesByName('console:list-keys').pop();
  const dataAt = entry ? Math.max(entry.responseEnd, wanted ? wanted.startTime : 0) : null;
  return { ms: dataAt == null || window.__rowsAt == null ? null : window.__rowsAt - dataAt, body_bytes: entry ? entry.decodedBodySize : null };
}

// Pages no DevTools network agent watches. Playwright enables the Network domain on each page it
// drives, and that agent keeps and text-decodes a copy of every response body on the page's main
// thread — for the 6.6 MB list of 10,000 keys, tens of milliseconds inside the very window
// measured (a trace shows `TextResourceDecoder::Decode` of the list under
// `ResponseBodyLoader::DidFinishLoadingBody`), which no user's browser does. These pages live in
// the browser's default context, which Playwright does not manage (it detaches from their
// targets), and are driven over their own DevTools connection with the Page and Runtime domains
// only (over `ws`: Node 20 has no WebSocket of its own).
async function devtoolsConnection(wsUrl) {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error(`cannot connect to ${wsUrl}`)); });
  let lastId = 0;
  const pending = new Map();
  const listeners = new Map();
  ws.onmessage = (event) => {
    const msg = JSON.parse(String(event.data));
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(`${msg.error.message} (${msg.error.code})`)); else resolve(msg.result);
    } else if (msg.method) {
      (listeners.get(msg.method) || []).splice(0).forEach((fn) => fn(msg.params));
    }
  };
  // Nothing here waits for ever: a benchmark that hangs would hold up `make test` (smoke mode).
  const inTime = (what, promise) => Promise.race([promise, new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`DevTools: no ${what} within 90 s`)), 90_000).unref();
  })]);
  return {
    send: (method, params = {}) => inTime(`answer to ${method}`, new Promise((resolve, reject) => {
      lastId += 1;
      pending.set(lastId, { resolve, reject });
      ws.send(JSON.stringify({ id: lastId, method, params }));
    })),
    once: (method) => inTime(method, new Promise((resolve) => listeners.set(method, [...(listeners.get(method) || []), resolve]))),
    close: () => ws.close(),
  };
}

async function unwatchedBrowser(devtoolsPort, context, base) {
  const endpoint = `http://127.0.0.1:${devtoolsPort}`;
  const { webSocketDebuggerUrl } = await (await fetch(`${endpoint}/json/version`)).json();
  const browserConn = await devtoolsConnection(webSocketDebuggerUrl);
  // The refresh cookie of the signed-in context, so these pages restore the session too.
  const cookies = (await context.cookies()).map(({ expires, ...c }) => (expires > 0 ? { ...c, expires } : c));
  await browserConn.send('Storage.setCookies', { cookies });
  browserConn.close();
  // One load of `url`; returns what `inPage` (a function) gives once the first key row is in.
  const load = async (url, inPage) => {
    const target = await (await fetch(`${endpoint}/json/new?about:blank`, { method: 'PUT' })).json();
    const page = await devtoolsConnection(target.webSocketDebuggerUrl);
    try {
      await page.send('Page.enable');
      await page.send('Page.addScriptToEvaluateOnNewDocument', { source: `(${firstRowRecorder})()` });
      const loaded = page.once('Page.loadEventFired');
      await page.send('Page.navigate', { url });
      await loaded;
      const { result, exceptionDetails } = await page.send('Runtime.evaluate', {
        expression: `Promise.race([window.__firstRow, new Promise((_, no) => setTimeout(() => no(new Error('no key row within 60 s')), 60000))]).then(${inPage})`,
        awaitPromise: true, returnByValue: true,
      });
      if (exceptionDetails) throw new Error(`unwatched page: ${exceptionDetails.exception?.description || exceptionDetails.text}`);
      return result.value;
    } finally {
      page.close();
      await fetch(`${endpoint}/json/close/${target.id}`);
    }
  };
  // One load first, not counted: the signed-in Playwright context has loaded the console once
  // (its HTTP and compiled-code caches are warm); this context starts as warm.
  await load(`${base}/`, () => true);
  return { load };
}

// Waits for the page's own first-row promise over the page's DevTools session. Not with
// Playwright's waitForSelector: its first use in a document evaluates Playwright's injected script
// there, 15–50 ms of the page's main thread during the very load being timed (seen in traces as
// an `EvaluateScript` with no URL between config.json's arrival and the session refresh; 50 keys,
// interleaved: medians 481 vs 419 and 472 vs 423 ms over 12 loads each, throttled no difference).
async function firstRowIn(cdp) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    // Asked until the new document answers (before it, the context may still be the old one).
    // The page's promise is awaited no longer than the deadline: a page that never shows its
    // rows must fail the run, not hang it.
    const answer = await Promise.race([
      cdp.send('Runtime.evaluate', {
        expression: 'window.__firstRow ? window.__firstRow.then(() => true) : false',
        awaitPromise: true, returnByValue: true,
      }).catch(() => null),
      new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()), null)),
    ]);
    if (answer?.result?.value === true) return;
    if (Date.now() > deadline) throw new Error('no key row within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Time from navigation start to the first key row, signed in (session restored from the
// refresh cookie, as after a reload). First visit: HTTP cache off. Repeat visit, the one people
// make every day: the console loaded before, its files in the HTTP cache and the wasm's compiled
// code in V8's cache. Uncounted loads warm them first, each kept open as long as V8 takes to
// write its cache (it does so once enough code has been optimised and no function has been for
// 2 s): two, or, where the code cache is checked, as many as it takes (6 at most) until one is
// seen in a trace taking the module from that cache. One load after the counted ones checks
// again that it still does.
const MAX_WARMUPS = 6;
// How fast the host is at the moment: the time a fixed loop takes in this process, nothing of
// the benchmark's running. The host's speed moves by the hour more than the console's times do
// with most changes, so each rows-visible figure is reported with it, taken before and after.
function hostLoopMs() {
  const start = performance.now();
  let x = 0;
  for (let i = 0; i < 3e8; i += 1) x += i % 7;
  if (x !== 899999997) throw new Error('host loop: wrong sum');
  return round(performance.now() - start);
}

async function rowsVisible(context, opts) {
  const before = hostLoopMs();
  const figures = await rowsVisibleAt(context, opts);
  return { ...figures, host_loop_ms: [before, hostLoopMs()] };
}

async function rowsVisibleAt(context, { throttled, repeat, checkCodeCache = repeat, cacheRequired = true }) {
  const checked = repeat && checkCodeCache;
  let loads = 0;
  const load = async (traced) => {
    loads += 1;
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: !repeat });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    await recordFirstRow(page);
    // What is still on its way, for the error of a load that never shows its rows.
    const unfinished = new Map();
    cdp.on('Network.requestWillBeSent', (e) => unfinished.set(e.requestId, e.request.url.replace(/^https?:\/\/[^/]+/, '')));
    cdp.on('Network.loadingFinished', (e) => unfinished.delete(e.requestId));
    cdp.on('Network.loadingFailed', (e) => unfinished.set(e.requestId, `${unfinished.get(e.requestId)} (failed: ${e.errorText})`));
    const trace = traced ? await startTrace(cdp) : null;
    await page.goto('/', { waitUntil: 'commit' });
    await firstRowIn(cdp).catch(async (e) => {
      // And how each request the page made was answered (a refused session shows here).
      const answered = await page.evaluate(() => performance.getEntriesByType('resource')
        .map((r) => `${new URL(r.name).pathname} ${r.responseStatus}`).join(', ')).catch(() => 'unknown');
      throw new Error(`${e.message} (load ${loads}${throttled ? ', throttled' : ''}${repeat ? ', repeat visit' : ''}; requests not finished: ${[...unfinished.values()].join(', ') || 'none'}; answered: ${answered})`);
    });
    const { rowsAt, drawnAt } = await page.evaluate(() => ({ rowsAt: window.__rowsAt, drawnAt: window.__rowsDrawnAt }));
    const cache = trace ? (await trace.end()).map((e) => e.name).filter((n) => n.startsWith('v8.wasm.moduleCache')) : [];
    return { page, rowsAt, drawnAt, cache, hit: cache.includes('v8.wasm.moduleCacheHit') };
  };
  const visit = `repeat visit${throttled ? ', throttled' : ''}`;
  for (let warmups = 1; repeat; warmups += 1) {
    const { page, hit } = await load(checked);
    const warm = checked ? hit : warmups === 2;
    const last = !warm && warmups === MAX_WARMUPS;
    if (last && cacheRequired) {
      throw new Error(`${visit}: V8 took the wasm from its code cache in none of ${MAX_WARMUPS} warm-up loads`);
    }
    if (!warm && !last && checked) await page.waitForTimeout(4000);
    await page.close();
    if (warm || last) break;
  }
  const times = [];
  const drawn = [];
  for (let i = 0; i < RUNS; i += 1) {
    const { page, rowsAt, drawnAt } = await load(false);
    times.push(rowsAt);
    drawn.push(drawnAt);
    await page.close();
  }
  let fromCache;
  if (checked) {
    const { page, hit, cache } = await load(true);
    await page.close();
    if (!hit && cacheRequired) {
      throw new Error(`${visit}: after the counted loads the wasm was compiled again, not taken from V8's code cache (its cache events: ${cache.join(', ') || 'none'})`);
    }
    fromCache = hit;
  }
  return {
    median_ms: round(median(times)), runs: times.map(round),
    // null where a load's row was not drawn in time (see firstRowRecorder).
    drawn_median_ms: drawn.includes(null) ? null : round(median(drawn)), drawn_runs: drawn.map((d) => (d == null ? null : round(d))),
    ...(checked ? { wasm_from_code_cache: fromCache, loads } : {}),
  };
}

// The floors: the same measures on pages served by the dev platform in place of the console.
// `navigation`: a key row in the HTML (bench/floor/navigation.html). `requests`: the console's
// own index.html whose loader is replaced by a script writing the rows from the key list its
// head start asks for: the same files and requests, but no wasm run. And the first view with the
// console's parts removed one by one (bench/floor-app, built by scripts/build-floor.sh into
// --floor): `dom` (the console's hand-off and decoder, rows by the DOM API), `view` (rows by a
// Leptos view), `router` (under the console's router, `src/router.rs`). Each is measured on the
// first visit and on the repeat visit; what the console adds is the difference.
// The rows script is a module script, deferred like the loader it stands in for: a classic one
// ran as soon as the stylesheet before it had loaded, and when the list was already there its
// rows could be due before the parser had made <body>.
const ROWS_FROM_HEAD_START = `<script type="module">
  window.__consoleBoot.keys.then((r) => r.json()).then((k) => {
    const table = Object.assign(document.createElement('table'), { className: 'keys-table' });
    const body = table.appendChild(document.createElement('tbody'));
    for (const key of k.data.api_keys.slice(0, 50)) body.appendChild(document.createElement('tr')).textContent = key.access_key;
    document.body.append(table);
  });
</script>`;
const FLOOR_LEVELS = ['dom', 'view', 'router'];
const sri = (buf) => `sha384-${crypto.createHash('sha384').update(buf).digest('base64')}`;

// The console's index.html loading a floor level's wasm instead: the head start fetches it
// (with its digest), the loader starts it, its bindings are preloaded as the console's are.
function floorLevelHtml(consoleHtml, js, wasm) {
  const bindings = consoleHtml.match(/\/apikeys-console-[0-9a-f]+\.js/)?.[0];
  const wasmUrl = consoleHtml.match(/\/apikeys-console-[0-9a-f]+_bg\.wasm/)?.[0];
  if (!bindings || !wasmUrl) throw new Error(`floor: no bindings or wasm named in ${dist}/index.html`);
  const steps = [
    [/<link rel="modulepreload" href="\/__wasm_split[^>]*>\s*/, ''],
    [/(<link rel="modulepreload" href=")[^"]+(" crossorigin="anonymous" integrity=")[^"]+/, `$1/floor.js$2${sri(js)}`],
    [/(integrity:")sha384-[^"]+/, `$1${sri(wasm)}`],
  ];
  let html = consoleHtml;
  for (const [pattern, replacement] of steps) {
    const next = html.replace(pattern, replacement);
    if (next === html) throw new Error(`floor: ${pattern} not found in ${dist}/index.html`);
    html = next;
  }
  return html.replaceAll(wasmUrl, '/floor_bg.wasm').replaceAll(bindings, '/floor.js');
}

function floorPages({ levels }) {
  const consoleHtml = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const pages = {
    navigation: { html: fs.readFileSync(path.join(import.meta.dirname, 'floor', 'navigation.html'), 'utf8'), files: [] },
    requests: { html: consoleHtml.replace(/<script type="module">[\s\S]*?<\/script>/, ROWS_FROM_HEAD_START), files: [] },
  };
  if (pages.requests.html === consoleHtml) throw new Error(`floor: no loader script in ${dist}/index.html`);
  for (const level of levels ? FLOOR_LEVELS : []) {
    const dir = path.join(opts.floor, level);
    const read = (f) => fs.readFileSync(path.join(dir, f));
    if (!fs.existsSync(path.join(dir, 'floor_bg.wasm'))) throw new Error(`floor: ${dir} not built (scripts/build-floor.sh)`);
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    pages[level] = { html: floorLevelHtml(consoleHtml, read('floor.js'), read('floor_bg.wasm')), files };
  }
  return pages;
}

// Serves one floor page from a copy of the bundle and gives `measure` a browser context signed
// in through the API (these pages have no sign-in form); returns what it gives.
async function onFloorPage(name, { html, files }, { browser, profile }, measure) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
  fs.cpSync(dist, dir, { recursive: true, filter: (src) => !path.basename(src).startsWith('index.html') });
  for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  fs.writeFileSync(path.join(dir, 'index.html'), html);
  fs.writeFileSync(path.join(dir, 'index.html.br'), brotli(Buffer.from(html)));
  const platform = await startPlatform(42, dir);
  const login = async (context) => {
    const answer = await context.request.post('/auth/login', { data: { email: EMAIL, password: PASSWORD } });
    if (!answer.ok()) throw new Error(`floor sign-in: HTTP ${answer.status()}`);
  };
  let context;
  let close;
  try {
    if (profile) {
      ({ context, close } = await signedInProfile(platform.base, login));
    } else {
      context = await browser.newContext({ baseURL: platform.base });
      close = () => context.close();
      await login(context);
    }
    return await measure(context, dir);
  } catch (e) {
    throw new Error(`floor page ${name}: ${e.message}`, { cause: e });
  } finally {
    if (close) await close();
    platform.proc.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// What the first load of a floor page transfers, brotli: index.html, the bindings, the wasm, CSS.
function floorTransfer(dir) {
  const firstLoad = fs.readdirSync(dir).filter((f) => /^(index\.html|floor\.js|floor_bg\.wasm|app-.*\.css)$/.test(f));
  return firstLoad.reduce((sum, f) => sum + brotli(fs.readFileSync(path.join(dir, f))).length, 0);
}

async function repeatFloors() {
  const floors = {};
  for (const [name, page] of Object.entries(floorPages({ levels: true }))) {
    // A level's wasm is taken from V8's code cache when V8 writes it there, as the console's is;
    // the report says whether it was (`wasm_from_code_cache`). The two pages without a wasm run
    // have nothing to take from it. Smoke mode does not wait for the cache (a level V8 never
    // caches would cost 20 s of warm-ups per visit).
    const checkCodeCache = FLOOR_LEVELS.includes(name) && !smoke;
    const visit = (context, throttled) =>
      rowsVisible(context, { throttled, repeat: true, checkCodeCache, cacheRequired: false });
    floors[name] = await onFloorPage(name, page, { profile: true }, async (context) => ({
      unthrottled: await visit(context, false),
      throttled: await visit(context, true),
    }));
  }
  return floors;
}

async function firstVisitFloors(browser) {
  const floors = {};
  for (const [name, page] of Object.entries(floorPages({ levels: true }))) {
    floors[name] = await onFloorPage(name, page, { browser, profile: false }, async (context, dir) => ({
      ...(FLOOR_LEVELS.includes(name) ? { first_load_brotli_bytes: floorTransfer(dir) } : {}),
      unthrottled: await rowsVisible(context, { throttled: false, repeat: false }),
      throttled: await rowsVisible(context, { throttled: true, repeat: false }),
    }));
  }
  return floors;
}

// Blink's trace events of a page (the wasm code cache's are in this category) until `end()`.
async function startTrace(cdp) {
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  await cdp.send('Tracing.start', { categories: 'disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  return {
    end: async () => {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      return events;
    },
  };
}

async function scale(context, unwatched, base) {
  // First render after the data: fresh page loads, the median is reported. The budget's figure
  // comes from unwatched pages (above); loads of Playwright's own pages alternate with them and
  // are reported beside it, so each run shows what the network agent adds.
  const firstRenders = [];
  const watchedRenders = [];
  let page;
  let bodyBytes = null;
  const closePage = async () => { if (page) await page.close(); page = null; }; // one page open at a time
  const loadUnwatched = async () => {
    await closePage();
    const fr = await unwatched.load(`${base}/`, firstRenderInPage);
    if (fr.ms == null) throw new Error('no GET /keys timing on the unwatched page');
    firstRenders.push(fr.ms);
    bodyBytes = fr.body_bytes;
  };
  const loadWatched = async () => {
    await closePage();
    page = await context.newPage();
    await recordFirstRow(page);
    await page.goto('/');
    await page.waitForSelector('table.keys-table tbody tr', { timeout: 60_000 });
    const fr = await page.evaluate(firstRenderInPage);
    if (fr.ms == null) throw new Error('no GET /keys timing on the page');
    watchedRenders.push(fr.ms);
  };
  for (let i = 0; i < LOADS_10K; i += 1) {
    // Alternating which kind goes first, the last load is a Playwright page: the typing below uses it.
    if ((LOADS_10K - i) % 2) { await loadUnwatched(); await loadWatched(); } else { await loadWatched(); await loadUnwatched(); }
  }
  // Typing starts once the page has settled: after the first rows the console fetches the other
  // pages' chunks (src/routes.rs), and a person does not type within that half second.
  await page.waitForLoadState('networkidle');
  // A keystroke: from the input event until the next frame after the work it caused (the filter
  // runs and the table's lines update; the URL follows only when typing pauses).
  const keystroke = async (value) => page.evaluate(async (v) => {
    const input = document.querySelector('#key-search');
    const t0 = performance.now();
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, value);
  const words = ['p', 'pa', 'pay', 'paym', 'payme', 'paymen', 'payment', 'payments', 'payments ', 'payment',
    'o', 'on', 'onq', 'onq.', 'onq.A', 'onq.AB', 'd', 'de', 'dev', 'deve', 'devel', 'devon', 's', 'st', 'sta', 'stag',
    'stagi', 'stagin', 'staging', 'x', 'xy', 'xyz'];
  const strokes = [];
  for (let i = 0; i < KEYSTROKES; i += 1) {
    strokes.push(await keystroke(words[i % words.length]));
  }
  await keystroke('');
  // A sort change: click the API key heading, until the rows change.
  const sortMs = await page.evaluate(async () => {
    const btn = [...document.querySelectorAll('.sort-button')].find((b) => b.textContent.includes('API key'));
    const done = new Promise((resolve) => {
      const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now()); });
      obs.observe(document.querySelector('tbody'), { childList: true, subtree: true, characterData: true });
    });
    const t0 = performance.now();
    btn.click();
    return (await done) - t0;
  });
  // The list's decoder alone: the answer decoded as the dashboard does (bench build's
  // decodeKeyList), in the page's engine, after the page has decoded it once itself.
  const { url, token } = await keyList(base);
  const body = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text();
  const decode = await page.evaluate((text) => {
    const times = [];
    let keys = 0;
    for (let i = 0; i < 7; i += 1) {
      const t0 = performance.now();
      keys = window.wasmBindings.decodeKeyList(text);
      times.push(performance.now() - t0);
    }
    return { keys, times };
  }, body);
  if (!decode.keys) throw new Error('decodeKeyList read no keys');
  await page.close();
  return {
    keys_body_bytes: bodyBytes,
    decode_ms: round(median(decode.times)),
    decode_runs_ms: decode.times.map(round),
    decoded_keys: decode.keys,
    first_render_after_data_ms: round(median(firstRenders)),
    first_render_runs_ms: firstRenders.map(round),
    first_render_playwright_page_ms: round(median(watchedRenders)),
    first_render_playwright_page_runs_ms: watchedRenders.map(round),
    keystroke_p50_ms: round(quantile(strokes, 0.5)),
    keystroke_p95_ms: round(quantile(strokes, 0.95)),
    keystrokes: strokes.length,
    keystroke_runs_ms: strokes.map(round),
    sort_change_ms: round(sortMs),
  };
}

// Memory: 20 create → delete cycles through the UI (the wizard to its last step with the
// credential file downloaded, then the typed-key delete dialog). After the first cycle and after
// the last, a forced garbage collection, then the JS heap, the wasm linear memory, the DOM node
// count and the detached DOM nodes.
async function memory(context) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    addEventListener('console-started', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('DOM.enable');
  await page.goto('/');
  await page.waitForSelector('table.keys-table tbody tr');
  const cycle = async () => {
    await page.getByTestId('create-key').click();
    await page.getByLabel(/Payments API/).check();
    await page.getByRole('button', { name: /Next: choose the Arx/ }).click();
    await page.getByLabel('Development SG').check();
    await page.getByRole('button', { name: /Next: review/ }).click();
    await page.getByTestId('create-submit').click();
    await page.getByTestId('server-signing-key').waitFor({ timeout: 30_000 });
    const access = await page.getByTestId('access-key').inputValue();
    await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    await page.getByTestId('stored').check();
    await page.getByTestId('done').click();
    const row = page.locator('tr', { hasText: access });
    await row.getByTestId('delete-key').click();
    const dialog = page.getByRole('dialog', { name: 'Delete API key' });
    await dialog.getByLabel(/Type the API key/).fill(access);
    await dialog.getByTestId('confirm-delete').click();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
  };
  const sample = async () => {
    // Let timers and in-flight polls settle, then collect twice (weak maps, finalizers).
    await page.waitForTimeout(1000);
    for (let i = 0; i < 2; i += 1) await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const dom = await cdp.send('Memory.getDOMCounters');
    const { detachedNodes } = await cdp.send('DOM.getDetachedDomNodes');
    const wasm = await page.evaluate(() => ({
      memory: window.__wasmMemory?.buffer.byteLength ?? null,
      live: window.wasmBindings?.heapLiveBytes?.() ?? null,
    }));
    return {
      js_heap_bytes: heap.usedSize, wasm_heap_live_bytes: wasm.live, wasm_memory_bytes: wasm.memory, dom_nodes: dom.nodes,
      js_event_listeners: dom.jsEventListeners,
      detached_nodes: detachedNodes.reduce((n, d) => n + 1 + (d.treeNode?.childNodeCount ?? 0), 0),
    };
  };
  await cycle();
  const first = await sample();
  const trend = [{ cycles: 1, ...first }];
  for (let i = 2; i <= CYCLES; i += 1) {
    await cycle();
    if (i % 5 === 0 && i < CYCLES) trend.push({ cycles: i, ...(await sample()) });
  }
  const last = await sample();
  trend.push({ cycles: CYCLES, ...last });
  await page.close();
  return {
    cycles: CYCLES, after_first: first, after_last: last, trend,
    // The heap: JS heap plus the Rust heap in use (the wasm memory itself never shrinks, so its
    // size is reported but is a high-water mark, not a heap).
    heap_growth_bytes: last.js_heap_bytes + last.wasm_heap_live_bytes - first.js_heap_bytes - first.wasm_heap_live_bytes,
    wasm_memory_growth_bytes: last.wasm_memory_bytes - first.wasm_memory_bytes,
    detached_growth: last.detached_nodes - first.detached_nodes,
  };
}

// The address of the demo tenant's key list, and a token for it.
async function keyList(base) {
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
  const { data } = await login.json();
  return { url: new URL(`${base}/api/tenants/${data.tenant_id}/keys`), token: data.token };
}

// GET /keys under 16 concurrent clients, each sending its next request when the last answer
// has fully arrived. Latency = request sent → last body byte received, as the server sends it:
// the client asks for gzip as browsers do and does not decompress (that is client work, and in
// one Node thread it would measure Node, not the platform).
async function platformLatency(base) {
  const { url, token } = await keyList(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate, br' };
  const get = () => new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET /keys ${res.statusCode}`));
        else resolve({ ms: performance.now() - t0, bytes, encoding: res.headers['content-encoding'] || 'identity' });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  const lat = [];
  let last;
  const client = async () => {
    for (let i = 0; i < LOAD_REQUESTS; i += 1) {
      last = await get();
      lat.push(last.ms);
    }
  };
  await client(); // warm: fills the platform's list cache and opens a connection
  lat.length = 0;
  await Promise.all(Array.from({ length: CLIENTS }, client));
  agent.destroy();
  return {
    p50_ms: round(quantile(lat, 0.5)), p90_ms: round(quantile(lat, 0.9)), p99_ms: round(quantile(lat, 0.99)),
    max_ms: round(Math.max(...lat)), requests: lat.length, clients: CLIENTS,
    body_bytes: last.bytes, content_encoding: last.encoding,
  };
}

// The dev platform under a bounded mixed load: its own tool, which checks every answer and that
// nothing was lost, and prints its figures as JSON.
function mixedLoad() {
  return new Promise((resolve, reject) => {
    const proc = spawn(opts['load-tool'], ['--seconds', smoke ? '3' : '60'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) { reject(new Error(`platform-load failed (exit ${code}): ${out.slice(-500)}`)); return; }
      try { resolve(JSON.parse(out)); } catch (e) { reject(new Error(`platform-load printed no JSON: ${e.message}`)); }
    });
  });
}

const budgets = (r) => [
  ['initial transfer, brotli, all first-load files (kB)', r.transfer.total.brotli / 1000, 150],
  ['rows visible, unthrottled (ms)', r.rows_visible?.unthrottled.median_ms, 200],
  ['rows visible, throttled (ms)', r.rows_visible?.throttled.median_ms, 1200],
  ['rows visible, repeat visit, unthrottled (ms)', r.rows_visible?.repeat_unthrottled.median_ms, 100],
  ['rows visible, repeat visit, throttled (ms)', r.rows_visible?.repeat_throttled.median_ms, 800],
  ['10k keys: first render after data (ms)', r.scale_10k?.first_render_after_data_ms, 300],
  ['10k keys: search keystroke p95 (ms)', r.scale_10k?.keystroke_p95_ms, 30],
  ['20 cycles: JS heap + Rust heap growth (MB)', r.memory?.heap_growth_bytes / 1e6, 1],
  ['20 cycles: detached DOM nodes growth', r.memory?.detached_growth, 0],
  ['dev platform GET /keys 10k, p99 (ms)', r.platform?.keys_10000?.p99_ms, 50],
];

async function main() {
  const report = {
    date: new Date().toISOString(),
    mode: smoke ? 'smoke (1 run each, budgets not enforced)' : 'full',
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, memory_gb: round(os.totalmem() / 2 ** 30), platform: `${os.type()} ${os.release()}`, node: process.version },
    conditions: 'Debian Chromium headless on loopback; dev platform in-memory DB; cold HTTP cache per navigation for rows visible; the repeat visit in a profile on disk, after uncounted traced warm-up loads until one takes the module from the V8 wasm code cache (6 at most; HTTP cache warm); throttled = CDP 4x CPU, 1.6 Mbps down, 750 kbps up, 150 ms RTT; 10k first render in pages no DevTools network agent watches (Playwright pages reported beside); transfer and rows visible on the release bundle, each rows-visible figure with host_loop_ms (a fixed loop timed in the benchmark process just before and after it: how fast the host was then), memory and 10k keys on the bench build (the release build plus its instruments)',
    transfer: transferSizes(),
  };
  const devtoolsPort = await freePort();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: [...CHROME_ARGS, `--remote-debugging-port=${devtoolsPort}`],
  });
  try {
    if (runs('rows')) {
      const small = await startPlatform(42, dist); // 8 seeded + 42 = 50 keys
      try {
        const ctx = await signedInContext(browser, small.base);
        report.rows_visible = {
          keys: 50,
          unthrottled: await rowsVisible(ctx, { throttled: false, repeat: false }),
          throttled: await rowsVisible(ctx, { throttled: true, repeat: false }),
        };
        await ctx.close();
        const profile = await signedInProfile(small.base);
        try {
          // Whether V8 serves the module from its code cache is a property of speed, enforced by
          // `make bench`; a smoke run on a busy host has missed it once with no cause in the
          // console, so there it is reported (`wasm_from_code_cache`) and not required.
          report.rows_visible.repeat_unthrottled = await rowsVisible(profile.context, { throttled: false, repeat: true, cacheRequired: !smoke });
          report.rows_visible.repeat_throttled = await rowsVisible(profile.context, { throttled: true, repeat: true, cacheRequired: !smoke });
        } finally { await profile.close(); }
        report.rows_visible.repeat_floor = await repeatFloors();
        report.rows_visible.first_floor = await firstVisitFloors(browser);
      } finally { small.proc.kill(); }
    }
    if (runs('memory')) {
      const small = await startPlatform(42, benchDist);
      try {
        const ctx = await signedInContext(browser, small.base);
        report.memory = await memory(ctx);
        await ctx.close();
      } finally { small.proc.kill(); }
    }
    if (runs('platform')) {
      report.platform = {};
      const hundred = await startPlatform(92, dist);
      try { report.platform.keys_100 = await platformLatency(hundred.base); } finally { hundred.proc.kill(); }
    }
    if (runs('platform')) report.platform_load = await mixedLoad();
    if (runs('scale') || runs('platform')) {
      const big = await startPlatform(9992, benchDist); // 10,000 keys
      try {
        if (runs('scale')) {
          const ctx = await signedInContext(browser, big.base);
          report.scale_10k = await scale(ctx, await unwatchedBrowser(devtoolsPort, ctx, big.base), big.base);
          await ctx.close();
        }
        if (runs('platform')) report.platform.keys_10000 = await platformLatency(big.base);
      } finally { big.proc.kill(); }
    }
  } finally {
    await browser.close();
  }
  const partial = only.length < 4;
  report.budgets = budgets(report)
    .map(([name, value, budget]) => ({ name, value: round(value), budget, met: value <= budget }))
    .filter((b) => !partial || Number.isFinite(b.value));
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2));
  console.log(`\nBenchmark (${report.mode}) on ${report.machine.cpus} cores, ${report.machine.cpu_model}, ${report.date}`);
  console.table(report.transfer.files.map((f) => ({ file: f.file, first_load: f.initial, raw: f.raw, gzip: f.gzip, brotli: f.brotli })));
  console.table(report.budgets.map((b) => ({ measure: b.name, value: b.value, budget: b.budget, met: b.met ? 'yes' : 'NO' })));
  const floor = report.rows_visible?.repeat_floor;
  const first = report.rows_visible?.first_floor;
  const hostLoops = (f) => [...f.unthrottled.host_loop_ms, ...f.throttled.host_loop_ms].join(' ');
  if (first) {
    const rv = report.rows_visible;
    const all = { ...first, console: { first_load_brotli_bytes: report.transfer.total.brotli, unthrottled: rv.unthrottled, throttled: rv.throttled } };
    console.table(Object.entries(all).map(([page, f]) => ({
      'first visit floor': page, 'first load, brotli kB': f.first_load_brotli_bytes ? round(f.first_load_brotli_bytes / 1000) : '',
      'unthrottled ms': f.unthrottled.median_ms, 'drawn': f.unthrottled.drawn_median_ms,
      'throttled ms': f.throttled.median_ms, 'drawn ': f.throttled.drawn_median_ms,
      'host loop ms': hostLoops(f),
    })));
  }
  if (floor) {
    const rv = report.rows_visible;
    const repeat = { ...floor, console: { unthrottled: rv.repeat_unthrottled, throttled: rv.repeat_throttled } };
    console.table(Object.entries(repeat).map(([page, f]) => ({
      'repeat visit floor': page, 'unthrottled ms': f.unthrottled.median_ms, 'drawn': f.unthrottled.drawn_median_ms,
      'throttled ms': f.throttled.median_ms, 'drawn ': f.throttled.drawn_median_ms,
      'wasm from V8 cache': f.unthrottled.wasm_from_code_cache ?? '',
      'host loop ms': hostLoops(f),
    })));
  }
  if (report.scale_10k) console.log(`10k keys: first render ${report.scale_10k.first_render_after_data_ms} ms (in a page Playwright drives: ${report.scale_10k.first_render_playwright_page_ms} ms), sort change ${report.scale_10k.sort_change_ms} ms, decode alone ${report.scale_10k.decode_ms} ms, keystroke p50 ${report.scale_10k.keystroke_p50_ms} ms`);
  if (report.platform) console.log(`GET /keys (${report.platform.keys_10000?.content_encoding}) 100 keys p50/p99 ${report.platform.keys_100.p50_ms}/${report.platform.keys_100.p99_ms} ms; 10k keys p50 ${report.platform.keys_10000?.p50_ms} ms, ${report.platform.keys_10000?.body_bytes} bytes`);
  if (report.platform_load) console.log(`mixed load (${report.platform_load.conditions.clients} clients, ${report.platform_load.conditions.seconds} s): ${report.platform_load.requests} requests, ${report.platform_load.requests_per_second}/s, ${report.platform_load.keys.created} created, ${report.platform_load.keys.lost} lost, checks ${report.platform_load.passed ? 'passed' : 'FAILED'}`);
  if (report.memory) console.log(`memory after 1 / ${report.memory.cycles} cycles:`, JSON.stringify(report.memory.after_first), JSON.stringify(report.memory.after_last));
  console.log(`report: ${path.join(outDir, 'report.json')}`);
  const missed = report.budgets.filter((b) => !b.met);
  if (smoke) {
    // Smoke mode checks that every figure was produced, not that it meets its budget.
    const missing = report.budgets.filter((b) => !Number.isFinite(b.value));
    if (missing.length) { console.error('bench smoke: no figure for', missing.map((b) => b.name)); process.exit(1); }
    console.log('bench smoke: every measure produced a figure');
  } else if (partial) {
    console.log(`partial run (--only ${only.join(',')}): budgets reported, not enforced`);
  } else if (missed.length) {
    console.error(`budgets missed: ${missed.map((b) => b.name).join('; ')}`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
