// The fault matrix: every request the console makes, answered with every failure the platform or
// the network can produce (the dev platform's fault rules, docs/dev-platform.md). Each ends in a
// defined screen state with a way on; the way on is taken once the fault is gone. The fixture
// fails a test on any page error, console error or CSP violation, and axe-core checks each state.
import { test, expect, expectNoAxeViolations, signIn, ACCOUNTS, keyRows, apiToken, PASSWORD } from './fixtures.mjs';

// Short deadlines and polls, so a timeout and its retries take seconds, not a minute.
const CONFIG = { api_base_url: '/api', auth_base_url: '', poll_interval_ms: 200, request_timeout_ms: 1200 };

const FAULTS = [
  { name: '400', respond: { status: 400 } },
  { name: '401 with a working refresh', respond: { status: 401 }, times: 1, transparent: true },
  { name: '401 without a working refresh', respond: { status: 401 }, signedOut: true },
  { name: '403', respond: { status: 403 } },
  { name: '404', respond: { status: 404 } },
  { name: '409', respond: { status: 409 } },
  { name: '410', respond: { status: 410 } },
  { name: '422', respond: { status: 422 } },
  { name: '429 with Retry-After', respond: { status: 429, retry_after_secs: 1 }, says: 'Too many requests' },
  { name: '500', respond: { status: 500 } },
  { name: '503', respond: { status: 503, retry_after_secs: 1 }, says: 'temporarily unavailable' },
  { name: 'timeout', respond: { hang_ms: 4000 }, says: 'took too long' },
  { name: 'dropped connection', respond: { drop: true }, says: 'could not be reached' },
  { name: 'non-JSON body', respond: { non_json: true }, says: 'could not be reached' },
  // A web server that is not the platform (config.json naming the wrong address): reaching it
  // again would not help, its configuration might.
  { name: 'a page with 200', respond: { non_json: true, status: 200 }, says: 'Something other than the platform answered' },
  { name: 'truncated body', respond: { truncated: true }, says: 'could not be reached' },
];

const alertWith = (page, heading) => page.locator('.error-panel').filter({ has: page.getByRole('heading', { name: heading }) });

async function chooseAndReview(page) {
  await page.getByTestId('create-key').click();
  await page.getByLabel(/Payments API/).check();
  await page.getByRole('button', { name: /Next: choose the Arx/ }).click();
  await page.getByLabel('Development SG').check();
  await page.getByRole('button', { name: /Next: review/ }).click();
  await expect(page.getByTestId('create-submit')).toBeEnabled();
}

// What each request is, how to get to the moment it is sent, what success looks like, and the
// state each failure ends in with its way on.
const ROUTES = {
  list: {
    // A key's page opened afresh: the app has no list to show while it reads one.
    async arrange(page) {
      const link = keyRows(page).first().getByRole('link', { name: /^Details of/ });
      await page.goto(await link.getAttribute('href'));
      await expect(page.getByRole('heading', { name: /^API key/ })).toBeVisible();
    },
    trigger: (page) => page.getByRole('link', { name: '← API keys' }).click(),
    recovered: (page) => expect(keyRows(page).first()).toBeVisible(),
    async failed(page, fault) {
      const panel = alertWith(page, 'The API keys could not be loaded');
      await expect(panel).toBeVisible({ timeout: 20_000 });
      if (fault.says) await expect(panel).toContainText(fault.says);
      return () => panel.getByRole('button', { name: 'Try again' }).click();
    },
  },
  // The same request on coming back from a key's page reached from the list, which the app
  // kept: it stays on screen, said to be stale.
  'list, kept': {
    rule: 'list',
    async arrange(page) {
      await keyRows(page).first().getByRole('link', { name: /^Details of/ }).click();
      await expect(page.getByRole('heading', { name: /^API key/ })).toBeVisible();
    },
    trigger: (page) => page.getByRole('link', { name: '← API keys' }).click(),
    recovered: async (page) => {
      await expect(page.getByTestId('stale-list')).toHaveCount(0);
      await expect(keyRows(page).first()).toBeVisible();
    },
    async failed(page, fault) {
      const notice = page.getByTestId('stale-list');
      await expect(notice).toBeVisible({ timeout: 20_000 });
      await expect(notice).toContainText('The list could not be refreshed');
      if (fault.says) await expect(notice).toContainText(fault.says);
      await expect(keyRows(page).first()).toBeVisible();
      await expect(alertWith(page, 'The API keys could not be loaded')).toHaveCount(0);
      return () => notice.getByRole('button', { name: 'Try again' }).click();
    },
  },
  detail: {
    async arrange() {},
    trigger: (page) => keyRows(page).first().getByRole('link', { name: /^Details of/ }).click(),
    recovered: (page) => expect(page.getByRole('heading', { name: /^API key/ })).toBeVisible(),
    async failed(page, fault) {
      if ([403, 404].includes(fault.respond.status)) {
        await expect(page.getByRole('heading', { name: 'API key not found' })).toBeVisible();
        return async () => {
          await page.getByRole('link', { name: 'Back to API keys' }).click();
          await keyRows(page).first().getByRole('link', { name: /^Details of/ }).click();
        };
      }
      const panel = alertWith(page, 'The API key could not be loaded');
      await expect(panel).toBeVisible({ timeout: 20_000 });
      if (fault.says) await expect(panel).toContainText(fault.says);
      return () => panel.getByRole('button', { name: 'Try again' }).click();
    },
  },
  base: {
    async arrange() {},
    trigger: (page) => page.getByTestId('create-key').click(),
    recovered: (page) => expect(page.getByLabel(/Payments API/)).toBeVisible(),
    async failed(page, fault) {
      const panel = alertWith(page, 'The wizard could not load its choices');
      await expect(panel).toBeVisible({ timeout: 20_000 });
      if (fault.says) await expect(panel).toContainText(fault.says);
      return () => panel.getByRole('button', { name: 'Try again' }).click();
    },
  },
  create: {
    arrange: chooseAndReview,
    trigger: (page) => page.getByTestId('create-submit').click(),
    recovered: (page) => expect(page).toHaveURL(/\/keys\/new\/key\?key=apikey--[^&]+$/),
    async failed(page, fault) {
      const error = page.locator('.form-error[role=alert]');
      await expect(error).toBeVisible({ timeout: 20_000 });
      if (fault.says) await expect(error).toContainText(fault.says);
      // The same intent still in flight after the client asked again: said in the person's terms.
      if (fault.respond.status === 409) await expect(error).toContainText('still working on this request');
      // A refusal of the choices offers another Arx; sending them again is no "retry", nor is it
      // after a refusal of the role (which made nothing).
      const refused = [400, 422].includes(fault.respond.status);
      const settled = refused || fault.respond.status === 403;
      await expect(page.getByTestId('create-submit')).toHaveText(settled ? 'Create API key' : 'Try again');
      if (refused) await expect(error.getByRole('link', { name: 'Choose another Arx' })).toBeVisible();
      return () => page.getByTestId('create-submit').click();
    },
  },
  secrets: {
    arrange: chooseAndReview,
    trigger: (page) => page.getByTestId('create-submit').click(),
    recovered: (page) => expect(page.getByTestId('server-signing-key')).toBeVisible({ timeout: 20_000 }),
    async failed(page, fault) {
      if (fault.respond.status === 409) {
        // Not ready after all: it keeps waiting, and the secrets come once the platform has them.
        await expect(page.getByRole('heading', { name: /Provisioning your key/ })).toBeVisible();
        await page.waitForTimeout(2500);
        await expect(page.getByRole('heading', { name: /Provisioning your key/ })).toBeVisible();
        return async () => {};
      }
      if (fault.respond.status === 404) {
        // The platform says 404 to all but the key's creator: said so, with no advice to
        // delete (which would wipe the creator's unclaimed secrets).
        const panel = page.getByTestId('not-yours');
        await expect(panel).toBeVisible({ timeout: 20_000 });
        await expect(panel).not.toContainText(/delete (this|the) key/);
        await expect(panel.getByRole('link', { name: 'Back to API keys' })).toBeVisible();
        return null;
      }
      if (fault.respond.status === 410) {
        const panel = alertWith(page, 'The secrets were already handed out');
        await expect(panel).toBeVisible({ timeout: 20_000 });
        await expect(panel.getByRole('link', { name: 'Back to API keys' })).toBeVisible();
        return null;
      }
      const panel = alertWith(page, 'The key could not be shown');
      await expect(panel).toBeVisible({ timeout: 20_000 });
      if (fault.says) await expect(panel).toContainText(fault.says);
      if (fault.respond.truncated) {
        // The platform sent the secrets (and forgot them); they were lost on the way. Asking
        // again is safe and says so.
        return async () => {
          await panel.getByRole('button', { name: 'Try again' }).click();
          await expect(alertWith(page, 'The secrets were already handed out')).toBeVisible();
          await page.getByRole('link', { name: 'Back to API keys' }).click();
          await expect(keyRows(page).first()).toBeVisible();
          page.recovered = true;
        };
      }
      return () => panel.getByRole('button', { name: 'Try again' }).click();
    },
  },
  delete: {
    async arrange(page, request) {
      // A fresh key of its own, active, so every case has one to delete.
      const { token, tenant } = await apiToken(request, ACCOUNTS.owner.email);
      const base = await (await request.get(`/api/tenants/${tenant}/keys/base`, { headers: { authorization: `Bearer ${token}` } })).json();
      const app = base.data.model.applications.find((a) => a.label === 'Payments API');
      const arx = base.data.model.clusters.find((c) => c.label === 'Development SG');
      const created = await request.post(`/api/tenants/${tenant}/keys`, {
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': `e2e-${Date.now()}-${Math.random()}` },
        data: { api_key: { application_id: app.id, cluster_id: arx.id, application_technology: app.application_technology.id } },
      });
      const { id, access_key: access } = (await created.json()).data;
      await expect.poll(async () => (await (await request.get(`/api/tenants/${tenant}/keys/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()).data.status, { timeout: 10_000 }).toBe('active');
      await page.goto(`/keys/${id}/delete`);
      const dialog = page.getByRole('dialog', { name: 'Delete API key' });
      await dialog.getByLabel(/Type the API key/).fill(access);
      page.deleting = { id, dialog };
    },
    trigger: (page) => page.deleting.dialog.getByTestId('confirm-delete').click(),
    recovered: async (page) => {
      await expect(page.deleting.dialog).toHaveCount(0);
      await expect(page).toHaveURL(/\/$/);
    },
    async failed(page, fault) {
      const { dialog } = page.deleting;
      if (fault.respond.status === 404) {
        // Gone already: nothing left to delete, and the list is read again.
        await expect(dialog).toHaveCount(0);
        await expect(keyRows(page).first()).toBeVisible();
        return null;
      }
      const error = dialog.locator('.form-error[role=alert]');
      await expect(error).toBeVisible({ timeout: 20_000 });
      if (fault.says) await expect(error).toContainText(fault.says);
      if (fault.respond.status === 409) await expect(error).toContainText('already in progress');
      await expect(dialog.getByTestId('confirm-delete')).toHaveText('Try again');
      return () => dialog.getByTestId('confirm-delete').click();
    },
  },
};

async function setFaults(request, rules) {
  const r = await request.put('/__faults', { data: { rules } });
  expect(r.status(), await r.text()).toBe(200);
}

async function clearFaults(request) {
  expect((await request.delete('/__faults', { data: {} })).status()).toBe(200);
}

test.describe('fault matrix', () => {
  test.afterEach(async ({ request }) => clearFaults(request));

  for (const [route, how] of Object.entries(ROUTES)) {
    for (const fault of FAULTS) {
      test(`${route}: ${fault.name}`, async ({ page, request, problems }) => {
        // What Chromium itself logs for a failed request is the fault at work, not the app's.
        problems.allowed.push(/Failed to load resource/, /net::ERR_/);
        await page.route('**/config.json', (r) => r.fulfill({ json: CONFIG }));
        await signIn(page, ACCOUNTS.owner.email);
        await expect(keyRows(page).first()).toBeVisible();
        await how.arrange(page, request);
        const rules = [{ route: how.rule ?? route, times: fault.times ?? 0, respond: fault.respond }];
        if (fault.signedOut) rules.push({ route: 'refresh', times: 0, respond: { status: 401 } });
        await setFaults(request, rules);
        await how.trigger(page);

        if (fault.transparent) {
          // The session renews its token and the request goes through: nothing to see.
          await how.recovered(page);
          await expectNoAxeViolations(page);
          return;
        }
        if (fault.signedOut) {
          await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 20_000 });
          await expect(page.getByTestId('sign-in-notice')).toContainText('Your session has ended');
          await expectNoAxeViolations(page);
          await clearFaults(request);
          // Signing in again returns to where the person was.
          await page.getByLabel('E-mail address').fill(ACCOUNTS.owner.email);
          await page.getByLabel('Password').fill(PASSWORD);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
          await expect(page).not.toHaveURL(/sign-in/);
          return;
        }
        const wayOn = await how.failed(page, fault);
        await expectNoAxeViolations(page);
        await clearFaults(request);
        if (wayOn) {
          await wayOn();
          if (!page.recovered) await how.recovered(page);
        }
      });
    }
  }
});

test('a request tried again after its deadline is said to be, over the page, until answered', async ({ page, request, problems }) => {
  problems.allowed.push(/Failed to load resource/, /net::ERR_/);
  await page.route('**/config.json', (r) => r.fulfill({ json: CONFIG }));
  await signIn(page, ACCOUNTS.owner.email);
  await expect(keyRows(page).first()).toBeVisible();
  await ROUTES.list.arrange(page);
  // Two attempts run out of time, so the notice stays for a retry's whole deadline (1.2 s)
  // rather than only for the wait before it.
  await setFaults(request, [{ route: 'list', times: 2, respond: { hang_ms: 4000 } }]);
  await ROUTES.list.trigger(page);
  const notice = page.getByTestId('still-trying');
  await expect(notice).toHaveText('Still trying to reach the platform…');
  await expect(notice).toBeVisible();
  await expectNoAxeViolations(page);
  await clearFaults(request);
  await ROUTES.list.recovered(page);
  await expect(notice).toBeHidden();
});
