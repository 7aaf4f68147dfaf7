// The console on one origin and the platform on another of the same site (the refresh cookie is
// SameSite=Strict), as a console on a CDN at console.example.com with the platform at
// api.example.com:
// a plain static server (no platform routes) serves a copy of the release bundle whose
// config.json names the dev platform's origin, with the headers `dev-platform headers` writes
// for it (its CSP must let the console reach that origin); the dev platform allows the console's
// origin (CORS, the refresh cookie). Every request then crosses origins, the ones that need a
// preflight (Authorization, Idempotency-Key) included.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, keyRows, signIn, chooseAndReview, ACCOUNTS } from './fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const platformBin = path.join(root, 'target', 'debug', 'dev-platform');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

let dir, server, platform, consoleURL, platformURL, headers;

/** The `/*` block of a `_headers` file: the headers every answer carries. */
function everyAnswer(text) {
  const out = {};
  let inBlock = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(' ')) { inBlock = line.trim() === '/*'; continue; }
    const at = line.indexOf(':');
    if (inBlock && at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** A CDN: files as they are, deep links to index.html, nothing else (a POST gets 405). */
function serve(req, res) {
  let pathname;
  try { pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400); res.end(); return; }
  let file = path.join(dir, path.normalize(pathname));
  if (!file.startsWith(dir) || req.method !== 'GET') { res.writeHead(req.method === 'GET' ? 404 : 405); res.end(); return; }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    if (path.extname(pathname)) { res.writeHead(404); res.end(); return; }
    file = path.join(dir, 'index.html');
  }
  res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
  fs.createReadStream(file).pipe(res);
}

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-cdn-'));
  fs.cpSync(path.join(root, 'dist-release'), dir, { recursive: true });
  server = http.createServer(serve);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  consoleURL = `http://127.0.0.1:${server.address().port}`;
  platform = spawn(platformBin, ['--port', '0', '--db', ':memory:', '--faults', '--provisioning-delay-ms', '500', '--allow-origin', consoleURL], { stdio: ['ignore', 'pipe', 'ignore'] });
  platformURL = await new Promise((resolve, reject) => {
    let seen = '';
    platform.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    platform.on('exit', (code) => reject(new Error(`dev-platform exited: ${code}`)));
  });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ api_base_url: `${platformURL}/api`, auth_base_url: platformURL }));
  headers = everyAnswer(execFileSync(platformBin, ['headers', '--static', dir], { encoding: 'utf8' }));
  expect(headers['Content-Security-Policy']).toContain(`connect-src 'self' ${platformURL};`);
});

test.afterAll(async () => {
  if (platform && platform.exitCode === null) {
    const exited = new Promise((resolve) => platform.once('exit', resolve));
    platform.kill();
    await exited;
  }
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a console on another origin signs in, keeps its session, creates a key and signs out', async ({ page, problems }) => {
  // index.html's early refresh goes to the console's own origin before config.json is read; the
  // CDN refuses the POST, and the console asks the platform instead.
  problems.allowed.push(new RegExp(`Failed to load resource: the server responded with a status of 405 .*\\(${consoleURL}/auth/refresh\\)`));
  await signIn(page, ACCOUNTS.owner.email, `${consoleURL}/`);
  await expect(keyRows(page).first()).toBeVisible();
  // The refresh cookie crosses origins: a reload is still signed in.
  await page.reload();
  await expect(keyRows(page).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // A create (Idempotency-Key) and the secrets, once.
  await chooseAndReview(page);
  await page.getByTestId('create-submit').click();
  await expect(page.getByTestId('server-signing-key')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('checkbox', { name: /stored/i }).check();
  await page.getByRole('link', { name: 'API keys' }).first().click();
  await expect(keyRows(page).first()).toBeVisible();
  // Signing out revokes the cookie at the platform: a reload stays signed out.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('the wait the platform asks for is read across origins', async ({ page, problems }) => {
  problems.allowed.push(new RegExp(`Failed to load resource: the server responded with a status of 405 .*\\(${consoleURL}/auth/refresh\\)`));
  problems.allowed.push(new RegExp(`Failed to load resource: the server responded with a status of 429 .*\\(${platformURL}/api/`));
  await signIn(page, ACCOUNTS.owner.email, `${consoleURL}/`);
  await expect(keyRows(page).first()).toBeVisible();
  const faults = (method, body) => fetch(`${platformURL}/__faults`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  expect((await faults('PUT', { rules: [{ route: 'list', times: 0, respond: { status: 429, retry_after_secs: 42 } }] })).ok).toBe(true);
  try {
    await page.reload();
    // Retry-After is exposed to the console's origin; unread, the console could not say how long.
    await expect(page.locator('.error-panel')).toContainText('Try again in 42 seconds');
  } finally {
    await faults('DELETE');
  }
});
