// The shell: the release bundle boots, deep links are served, the page is accessible.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, expectNoAxeViolations, waitForApp, signIn, ACCOUNTS, keyRows, holdChunk } from './fixtures.mjs';

const isChunkPath = (path) => /^\/(split|chunk)_[a-z_0-9]+-[0-9a-f]{16}\.wasm$/.test(path);

test('release bundle boots with no console or page error', async ({ page, problems }) => {
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
  await page.goto('/');
  const resp = await wasm;
  expect(resp.status()).toBe(200);
  expect(resp.headers()['content-type']).toBe('application/wasm');
  // Only the running wasm renders the navigation and removes the static skeleton; a bundle
  // broken by a bad wasm-opt fails at instantiation and never gets here.
  await waitForApp(page);
  await expect(page.getByRole('status').last()).toBeAttached();
});

test('a deep link is served by the app and unknown routes say so', async ({ page, problems }) => {
  const resp = await page.goto('/some/deep/link');
  expect(resp.status()).toBe(200);
  expect(resp.headers()['content-security-policy']).toContain("'wasm-unsafe-eval'");
  await waitForApp(page);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to API keys' }).click();
  // Not signed in: the dashboard sends the visitor to sign in.
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('unknown asset paths are 404, not the app', async ({ request }) => {
  const resp = await request.get('/missing-file.js');
  expect(resp.status()).toBe(404);
});

test('axe-core finds no violations on the shell', async ({ page, problems }) => {
  await page.goto('/nowhere');
  await waitForApp(page);
  await expectNoAxeViolations(page);
});

// The release bundle keeps every page but the dashboard in chunks (src/routes.rs): the first load
// is one wasm file, and a chunk that cannot be fetched is reported with a retry, never a panic.
test('the dashboard loads no chunk before its rows, each request once; a chunk that fails to load can be retried', async ({ page, problems }) => {
  await signIn(page, ACCOUNTS.owner.email);
  // Leave the signed-in page (it fetches the chunks once its keys are shown), then record, in the
  // page, when each chunk was asked for and when the frame that draws the first row ran its
  // animation-frame callbacks: the page's own first (asked for as the rows were built), then this
  // one, then the frame's style, layout and paint. A chunk asked for before it held up that paint.
  await page.goto('about:blank');
  await page.addInitScript(() => {
    window.__rowsFrameAt = null;
    new MutationObserver((_, obs) => {
      if (!document.querySelector('table.keys-table tbody tr')) return;
      obs.disconnect();
      requestAnimationFrame(() => { window.__rowsFrameAt = performance.now(); });
    }).observe(document, { childList: true, subtree: true });
    window.__chunksAt = [];
    const fetchIt = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('.wasm')) window.__chunksAt.push({ url: new URL(url, location.href).pathname, at: performance.now() });
      if (/\/keys$/.test(url)) window.__keysCache = new Request(input, init).cache;
      return fetchIt(input, init);
    };
  });
  // index.html asks for these while the wasm loads; the app takes its answers and asks no more.
  const asked = { wasm: 0, config: 0, refresh: 0, keys: 0 };
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (/_bg\.wasm$/.test(p)) asked.wasm += 1;
    if (p === '/config.json') asked.config += 1;
    if (p === '/auth/refresh') asked.refresh += 1;
    if (/\/keys$/.test(p)) asked.keys += 1;
  });
  const isChunk = (url) => /\/(split|chunk)_[a-z_0-9]+-[0-9a-f]{16}\.wasm$/.test(url.pathname);
  problems.allowed.push(/ERR_CONNECTION_FAILED|Failed to fetch/);
  await page.route(isChunk, (route) => route.abort('connectionfailed'));
  await page.goto('/');
  await expect(keyRows(page).first()).toBeVisible();
  // Once the keys are shown, the dashboard's tools are fetched, then the other pages' chunks
  // ahead of need (here: refused).
  await expect.poll(() => page.evaluate(() => window.__chunksAt.some((c) => /^\/split_wizard-/.test(c.url)))).toBe(true);
  const { frameAt, chunks } = await page.evaluate(() => ({ frameAt: window.__rowsFrameAt, chunks: window.__chunksAt }));
  expect(frameAt).not.toBeNull();
  expect(chunks.filter((c) => isChunkPath(c.url) && c.at < frameAt), 'no chunk before the rows are drawn').toEqual([]);
  expect(chunks.some((c) => /^\/split_dashboard_tools-/.test(c.url))).toBe(true);
  expect(asked).toEqual({ wasm: 1, config: 1, refresh: 1, keys: 1 });
  // The list, asked for by index.html, is kept out of the HTTP cache as the app's requests are.
  expect(await page.evaluate(() => window.__keysCache)).toBe('no-store');
  expect(await page.evaluate(() => window.__consoleBoot && Object.keys(window.__consoleBoot)), 'all taken').toEqual([]);
  // Without its tools, the dashboard still lists the keys and says what is missing.
  await expect(page.getByText('Search, filters, paging and live status could not be loaded')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reload' })).toBeVisible();

  await page.getByTestId('create-key').click();
  const failed = page.getByTestId('page-load-failed');
  await expect(failed).toBeVisible();
  await expect(failed.getByRole('heading')).toHaveText('This page could not be loaded');
  // The app is still alive: the header's navigation works.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await expect(keyRows(page).first()).toBeVisible();

  // Still refused, still reported; once the network is back, "Try again" loads the wizard, with
  // the page's skeleton while its code is on the way.
  await page.getByTestId('create-key').click();
  await expect(failed).toBeVisible();
  await page.unroute(isChunk);
  const release = await holdChunk(page, 'wizard');
  await failed.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('main#main .page-skeleton')).toBeVisible();
  await expect(page.locator('.stepper')).toHaveCount(0);
  release();
  await expect(page.locator('.stepper [aria-current="step"]')).toContainText('Application');
  await expect(page).toHaveURL(/\/keys\/new\/application$/);
});

// The app may take the session answer and read its body before index.html's own script has
// read it to ask for the key list (a fast load: the wasm is ready when the answer arrives). The
// script must still ask for the list, or the app waits a round trip for it after all.
test('index.html still asks for the key list when the app reads the session answer first', async ({ page, problems }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await page.goto('about:blank');
  problems.allowed.push(/ERR_CONNECTION_FAILED|Failed to fetch|WebAssembly/);
  // The app itself stays out (its code is refused); in its place, right after index.html's
  // script, one that does what the app does with the session answer: take it and read it at once.
  await page.route(/_bg\.wasm$/, (route) => route.abort('connectionfailed'));
  await page.route((url) => url.pathname === '/', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/(<script>.*?<\/script>)/s,
      '$1<script>window.__appRead = window.__consoleBoot.refresh.then((r) => r.text());</script>');
    // The injected script has no hash in the page's policy: served without one.
    const { 'content-security-policy': _, ...headers } = response.headers();
    await route.fulfill({ response, body: html, headers });
  });
  await page.goto('/');
  const outcome = await page.evaluate(async () => {
    const session = JSON.parse(await window.__appRead);
    const keys = await window.__consoleBoot.keys.catch((e) => String(e));
    return { tenant: session.data.tenant_id, keys: keys instanceof Response ? keys.status : keys };
  });
  expect(outcome.tenant).toBeTruthy();
  expect(outcome.keys, 'the key list was asked for').toBe(200);
});

// Numbers the head start's steps in the order they happen (timestamps can tie): the requests for
// the key list and the refresh as they leave, the app told of the refresh's answer, the wasm's
// start let go. Another tab refreshing holds the refresh lock for 300 ms meanwhile, so that
// config.json is read before the refresh can go out.
async function numberHeadStartSteps(page) {
  await page.route((url) => url.pathname === '/', async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    const lock = text.match(/"?REFRESH_LOCK"?:"([^"]+)"/)?.[1];
    expect(lock, 'the refresh lock is named in index.html').toBeTruthy();
    const before = `<script>(() => {
      let n = 0;
      window.__step = () => ++n;
      window.__at = {};
      navigator.locks.request(${JSON.stringify(lock)}, () => new Promise((done) => setTimeout(done, 300)));
      const send = window.fetch;
      window.fetch = (url, init) => {
        const name = /keys$/.test(url) ? 'keys' : /refresh$/.test(url) ? 'refresh' : null;
        if (name) window.__at[name] ??= window.__step();
        return send(url, init);
      };
    })();</script>`;
    const after = `<script>
      window.__told = window.__consoleBoot.refresh.then(() => window.__step(), () => window.__step());
      window.__started = window.__consoleBoot.asked.then(() => window.__step());
    </script>`;
    const html = text.replace(/(<script>.*?<\/script>)/s, `${before}$1${after}`);
    // The injected scripts have no hash in the page's policy: served without one.
    const { 'content-security-policy': _, ...headers } = response.headers();
    await route.fulfill({ response, body: html, headers });
  });
}
const headStartSteps = (page) => page.evaluate(async () => ({ ...window.__at, told: await window.__told, started: await window.__started }));

// The order that keeps the list's request off the wasm's long tasks (docs/performance.md, "The
// repeat visit"): the app hears the session answer only once the key list has been asked for,
// and the wasm starts only once the refresh has been sent.
test('index.html asks for the key list before the app hears the session, and the refresh before the wasm starts', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await page.goto('about:blank');
  await numberHeadStartSteps(page);
  await page.goto('/');
  await expect(page.locator('table.keys-table tbody tr').first()).toBeVisible();
  const at = await headStartSteps(page);
  expect(at.keys, 'the key list was asked for').toBeGreaterThan(0);
  expect(at.told, 'the app heard the session after the list was asked for').toBeGreaterThan(at.keys);
  expect(at.started, 'the wasm started after the refresh was sent').toBeGreaterThan(at.refresh);
});

// When config.json leaves no refresh for the app to use, the wasm's start waits for nothing more.
test('a config.json with no usable auth base lets the wasm start without waiting for the refresh', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await page.goto('about:blank');
  await page.route('**/config.json', (route) => route.fulfill({ json: { auth_base_url: 42 } }));
  await numberHeadStartSteps(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'The console cannot start' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__at.refresh), { message: 'the early refresh went out after the lock' }).toBeGreaterThan(0);
  const at = await headStartSteps(page);
  expect(at.started, 'the wasm started before the refresh went out').toBeLessThan(at.refresh);
});

// A tenant id goes into the keys route only when it has the platform's form, in index.html's
// script as in the app (platform_types::ids): `..` would make the path name another route.
for (const [what, spoil] of [
  ['whose tenant id is no tenant id', (data) => { data.tenant_id = '..'; }],
  ['without an access token', (data) => { data.token = ''; }],
]) {
  test(`a session ${what} asks for no key list`, async ({ page }) => {
    await signIn(page, ACCOUNTS.owner.email);
    await page.goto('about:blank');
    const asked = [];
    page.on('request', (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith('/api/')) asked.push(p);
    });
    await page.route((url) => url.pathname === '/auth/refresh', async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      spoil(json.data);
      await route.fulfill({ response, json });
    });
    await page.goto('/');
    await expect(page.getByText('The platform sent an answer this console does not understand.')).toBeVisible();
    expect(asked, 'no API route was asked').toEqual([]);
  });
}

// index.html sends the session refresh beside config.json, at the contract's default base, a
// round trip sooner than after it. config.json still decides where the auth routes are.
test('index.html sends the refresh beside config.json, and only keeps it at the configured base', async ({ page, problems }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await page.goto('about:blank');
  const log = [];
  const note = (what) => log.push(what);
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.endsWith('/auth/refresh')) note(`ask ${p}`);
  });
  page.on('response', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.endsWith('/auth/refresh')) note(`answered ${p}`);
  });
  // config.json answers late: the refresh must not wait for it.
  let configure = { api_base_url: '/api', auth_base_url: '' };
  await page.route('**/config.json', async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    note('config answered');
    await route.fulfill({ json: configure });
  });
  await page.goto('/');
  await expect(keyRows(page).first()).toBeVisible();
  const refreshes = () => log.filter((e) => e !== 'config answered');
  expect(refreshes(), 'one refresh').toEqual(['ask /auth/refresh', 'answered /auth/refresh']);
  expect(log.indexOf('ask /auth/refresh'), 'sent before config.json answered').toBeLessThan(log.indexOf('config answered'));

  // A config.json naming another base: the early answer is dropped, and the configured base is
  // asked only once it has settled (never two refreshes in flight with one cookie).
  log.length = 0;
  configure = { api_base_url: '/api', auth_base_url: '/elsewhere/' };
  // The early answer comes after config.json's, so the configured base is asked while it is
  // still in flight unless the script waits for it.
  await page.route((url) => url.pathname === '/auth/refresh', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await page.route('**/elsewhere/auth/refresh', async (route) => {
    const answer = await route.fetch({ url: new URL('/auth/refresh', route.request().url()).href });
    await route.fulfill({ response: answer });
  });
  await page.goto('about:blank');
  await page.goto('/');
  await expect(keyRows(page).first()).toBeVisible();
  expect(refreshes()).toEqual(['ask /auth/refresh', 'answered /auth/refresh', 'ask /elsewhere/auth/refresh', 'answered /elsewhere/auth/refresh']);
  expect(log.indexOf('config answered')).toBeLessThan(log.indexOf('ask /elsewhere/auth/refresh'));
  expect(await page.evaluate(() => window.__consoleBoot && Object.keys(window.__consoleBoot)), 'all taken').toEqual([]);
});

// The browser's URL parser reads `\` as `/` and drops tabs: `/\evil.example` is another site.
// Neither index.html nor the app takes such a base for a path of this origin, so no request
// with the token leaves for it (the CSP would block it, and the fixture fail on the violation).
for (const base of ['/\\evil.example', '/\t/evil.example']) {
  test(`a base of ${JSON.stringify(base)} is refused, and nothing is sent there`, async ({ page, baseURL, problems }) => {
    await signIn(page, ACCOUNTS.owner.email);
    const elsewhere = [];
    page.on('request', (r) => {
      if (new URL(r.url()).host !== new URL(baseURL).host) elsewhere.push(r.url());
    });
    await page.route('**/config.json', (route) => route.fulfill({ json: { api_base_url: base } }));
    await page.goto('/');
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading')).toHaveText('The console cannot start');
    await expect(alert).toContainText('api_base_url must not contain a backslash, a tab or a line break');
    expect(elsewhere).toEqual([]);
  });
}

// Only a config.json that is not there (404) means the defaults, for index.html as for the app:
// one the host refuses (403, as a bucket answers for a file it will not show) stops the console,
// and index.html asks for no key list on a base it has not read.
test('a config.json the host refuses stops the console, and nothing is asked on a guess', async ({ page, problems }) => {
  problems.allowed.push(/status of 403/);
  await signIn(page, ACCOUNTS.owner.email);
  const lists = [];
  page.on('request', (r) => { if (/\/keys$/.test(new URL(r.url()).pathname)) lists.push(r.url()); });
  await page.route('**/config.json', (route) => route.fulfill({ status: 403, body: 'Forbidden' }));
  await page.goto('/');
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading')).toHaveText('The console cannot start');
  await expect(alert).toContainText('config.json could not be loaded');
  expect(lists).toEqual([]);
});

test('a console whose code cannot be fetched says so instead of loading forever', async ({ page, problems }) => {
  problems.allowed.push(/ERR_CONNECTION_FAILED|Failed to fetch|WebAssembly/);
  await page.route(/_bg\.wasm$/, (route) => route.abort('connectionfailed'));
  await page.goto('/');
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading')).toHaveText('The console could not load');
  await expect(alert).toContainText('Check the connection and reload');
  await expect(page.locator('#boot')).not.toHaveAttribute('aria-busy');
  await page.unroute(/_bg\.wasm$/);
  await alert.getByRole('link', { name: 'Reload the page' }).click();
  await waitForApp(page);
});

// A download that neither finishes nor fails: after 10 s the skeleton says so and offers a
// reload, and the console still starts when its code arrives.
test('a console whose code is slow to arrive says so, and starts when it comes', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await page.goto('about:blank');
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await page.goto('/');
  const status = page.locator('#boot [role="status"]');
  await expect(status).toHaveText('Loading the console…');
  await expect(status).toHaveText(/taking longer than usual to load/, { timeout: 15_000 });
  await expect(status).toBeVisible();
  await expect(page.locator('#boot')).not.toHaveAttribute('aria-busy');
  await expect(page.locator('#boot').getByRole('link', { name: 'Reload the page' })).toHaveAttribute('href', /\/$/);
  release();
  await waitForApp(page);
  await expect(keyRows(page).first()).toBeVisible();
  await expect(page.getByText('taking longer than usual')).toHaveCount(0);
});

// index.html fetches the main wasm with its digest (Subresource Integrity): code altered on the
// way or on the CDN is refused, and the page says the console could not load.
test('a console whose code was altered does not run it', async ({ page, problems }) => {
  problems.allowed.push(/integrity|digest|WebAssembly|Failed to fetch/i);
  let served = 0;
  await page.route(/_bg\.wasm$/, async (route) => {
    const response = await route.fetch();
    // A custom section appended ("evil", empty): still a valid module, so only the digest can
    // refuse it.
    const body = Buffer.concat([await response.body(), Buffer.from([0, 5, 4, ...Buffer.from('evil')])]);
    served += 1;
    await route.fulfill({ response, body });
  });
  await page.goto('/');
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading')).toHaveText('The console could not load');
  expect(served).toBe(1);
  await expect(page.locator('main#main')).toHaveCount(0);
});

// The loader hands the wasm to the streaming compiler, which takes exactly `application/wasm`
// and nothing else, not even with a charset. A host that serves it otherwise costs the stream,
// not the console: the bytes are read and compiled whole.
for (const type of ['application/octet-stream', 'application/wasm; charset=utf-8']) {
  test(`a wasm served as ${type} still starts the console`, async ({ page, problems }) => {
    const types = [];
    await page.route(/_bg\.wasm$/, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers(), 'content-type': type };
      types.push(headers['content-type']);
      await route.fulfill({ response, headers });
    });
    await page.goto('/');
    await waitForApp(page);
    expect(types).toEqual([type]);
  });
}

test('the release bundle has no benchmark hooks', async ({ page, request, problems }) => {
  await page.goto('/');
  await waitForApp(page);
  const hooks = await page.evaluate(() => ({
    bindings: 'wasmBindings' in window,
  }));
  expect(hooks.bindings).toBe(false);
  // Nor anything a script could reach them by: the first-load bindings export no instrument.
  const html = await (await request.get('/')).text();
  const script = html.match(/href="\/(apikeys-console-[0-9a-f]{16}\.js)"/)[1];
  const js = await (await request.get(`/${script}`)).text();
  for (const name of ['heapLiveBytes', 'panicForTest', 'console-started']) {
    expect(js.includes(name) || html.includes(name), name).toBe(false);
  }
});

test('the release bundle names no path of the machine that built it', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = path.join(root, 'dist-release');
  // The checkout, the crate registry and the toolchain (std's own sources among them).
  const places = [
    root,
    process.env.CARGO_HOME || path.join(os.homedir(), '.cargo'),
    process.env.RUSTUP_HOME || path.join(os.homedir(), '.rustup'),
    execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim(),
  ];
  const files = fs.readdirSync(dir).filter((name) => /\.(wasm|js|html)$/.test(name));
  expect(files.filter((name) => name.endsWith('.wasm')).length).toBeGreaterThan(1);
  for (const name of files) {
    const text = fs.readFileSync(path.join(dir, name)).toString('latin1');
    for (const place of places) expect(text.includes(place), `${name} names ${place}`).toBe(false);
  }
});

test('a content-security-policy violation fails the test that caused it', async ({ page, problems }) => {
  await page.goto('/nowhere');
  await waitForApp(page);
  // The fixture's listener is what every other test relies on: an inline script is refused by
  // the policy, and the refusal is recorded (then allowed here, so this test itself passes).
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__ran = true';
    document.body.append(s);
  });
  await expect.poll(() => problems.filter((p) => p.startsWith('csp: ')).length).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.__ran)).toBeUndefined();
  problems.allowed.push(/^csp: script-src/, /Content Security Policy/);
});
