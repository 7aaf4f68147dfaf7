// Shared fixtures: every page records console errors and page errors, and a test fails on any;
// `problems.logged` keeps every console message.
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const test = base.extend({
  problems: async ({ page }, use) => {
    const problems = [];
    // Every message of every level, for the tests that check nothing secret is logged.
    problems.logged = [];
    page.on('console', (msg) => {
      problems.logged.push(`${msg.type()}: ${msg.text()}`);
      if (msg.type() !== 'error') return;
      problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message} ${process.env.E2E_STACKS ? err.stack : ''}`));
    // The Content-Security-Policy holds in every flow: any violation fails the test.
    await page.exposeBinding('__reportCspViolation', (_, v) => problems.push(`csp: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
      });
    });
    // A test that provokes an error status on purpose lists it here.
    problems.allowed = [];
    await use(problems);
    const unexpected = problems.filter((p) => !problems.allowed.some((re) => re.test(p)));
    expect(unexpected, 'no console errors and no page errors').toEqual([]);
  },
});

export { expect };

/** Runs axe-core on the page (WCAG 2.1 A/AA) and asserts no violations. */
export async function expectNoAxeViolations(page, include) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

/** Waits until the wasm app has replaced the static skeleton. */
export async function waitForApp(page) {
  await expect(page.locator('#boot')).toHaveCount(0);
  // The app's own main region (the skeleton's has no id); the header's navigation is there
  // only for someone signed in.
  await expect(page.locator('main#main')).toBeVisible();
}

export const PASSWORD = 'demo-password';
export const ACCOUNTS = {
  owner: { email: 'owner@demo.test', role: 'Platform Owner', manages: true },
  developer: { email: 'developer@demo.test', role: 'Developer', manages: true },
  admin: { email: 'admin@demo.test', role: 'Platform Admin', manages: false },
};

/** Signs in through the form, starting from `path` (default: the dashboard). */
export async function signIn(page, email, path = '/') {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/**
 * Holds back the release build's wasm chunk `name` (`dashboard_tools`, `delete`, …), as a slow
 * network would; the function returned lets it through.
 */
export async function holdChunk(page, name) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(new RegExp(`/split_${name}-[0-9a-f]{16}\\.wasm$`), async (route) => { await held; await route.continue(); });
  return release;
}

/** Rows of the keys table. */
export function keyRows(page) {
  return page.locator('table.keys-table tbody tr');
}

/** A bearer token for API calls made by the test itself (not through the page). */
export async function apiToken(request, email) {
  const r = await request.post('/auth/login', { data: { email, password: PASSWORD } });
  expect(r.status()).toBe(200);
  const body = await r.json();
  return { token: body.data.token, tenant: body.data.tenant_id };
}

/** From the dashboard through steps 1–3 of the wizard, to the summary. */
export async function chooseAndReview(page, arxName = 'Development SG') {
  await page.getByTestId('create-key').click();
  await expect(page).toHaveURL(/\/keys\/new\/application$/);
  await expect(page.locator('.stepper [aria-current="step"]')).toContainText('Application');
  const next = page.getByRole('button', { name: /Next: choose the Arx/ });
  await expect(next).toBeDisabled();
  await page.getByLabel(/Payments API/).check();
  await expect(page).toHaveURL(/app=app--/);
  await next.click();
  await expect(page).toHaveURL(/\/keys\/new\/arx\?app=/);
  await page.getByLabel(arxName).check();
  await page.getByRole('button', { name: /Next: review/ }).click();
  await expect(page).toHaveURL(/\/keys\/new\/summary\?app=.*&arx=/);
  await expect(page.getByText('can take up to 10 minutes')).toBeVisible();
}

/**
 * A secret field's value, read while revealed and hidden again after: masked, the field holds a
 * filler, not the secret. `label` is the field's label ("Server signing key").
 */
export async function revealedValue(page, label) {
  await page.getByRole('button', { name: `Reveal ${label}` }).click();
  const field = page.getByLabel(label, { exact: true });
  await expect(field).toHaveAttribute('type', 'text');
  const value = await field.inputValue();
  await page.getByRole('button', { name: `Hide ${label}` }).click();
  await expect(field).toHaveAttribute('type', 'password');
  return value;
}

/** Whether one of `secrets` is in the page's markup or a field's value. */
export async function pageHolds(page, secrets) {
  return page.evaluate((ss) => {
    const values = [...document.querySelectorAll('input, textarea')].map((i) => i.value);
    const html = document.documentElement.outerHTML;
    return ss.some((s) => html.includes(s) || values.some((v) => v.includes(s)));
  }, secrets);
}

/** Signs in as the owner and creates a key, up to its secrets on step 4. */
export async function createAsOwner(page) {
  await signIn(page, ACCOUNTS.owner.email);
  await chooseAndReview(page);
  await page.getByTestId('create-submit').click();
  await expect(page.getByTestId('server-signing-key')).toBeVisible({ timeout: 20_000 });
}

// The page's JS heap after a forced collection, as DevTools sees it: which of `needles` it holds.
export async function inJsHeap(page, needles) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  for (let i = 0; i < 2; i += 1) await cdp.send('HeapProfiler.collectGarbage');
  const chunks = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  await cdp.detach();
  const snapshot = chunks.join('');
  return needles.filter((n) => snapshot.includes(n));
}
