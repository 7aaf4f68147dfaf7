// The create wizard end to end against the dev platform.
import fs from 'node:fs';
import {
  test, expect, signIn, ACCOUNTS, expectNoAxeViolations, apiToken, chooseAndReview, createAsOwner, inJsHeap,
  revealedValue, pageHolds,
} from './fixtures.mjs';

async function secretValues(page) {
  const v = async (id) => page.getByTestId(id).inputValue();
  return {
    access_key: await v('access-key'),
    arx_url: await v('arx-url'),
    server_signing_key: await revealedValue(page, 'Server signing key'),
    server_secret_key: await revealedValue(page, 'Server secret key'),
  };
}

for (const who of ['owner', 'developer']) {
  test(`${who} creates a key end to end; the secrets show once and never persist`, async ({ page, problems }) => {
    await signIn(page, ACCOUNTS[who].email);
    await chooseAndReview(page);
    const summaryUrl = page.url();
    // Back keeps every choice.
    await page.goBack();
    await expect(page.getByLabel('Development SG')).toBeChecked();
    await page.goForward();
    await expect(page).toHaveURL(summaryUrl);
    await page.getByTestId('create-submit').dblclick();
    await expect(page).toHaveURL(/\/keys\/new\/key\?key=apikey--[^&]+$/);
    await expect(page.getByTestId('server-signing-key')).toBeVisible({ timeout: 20_000 });
    const shown = await secretValues(page);
    expect(shown.access_key).toMatch(/^onq\./);
    expect(shown.server_signing_key.length).toBeGreaterThan(40);
    // Masked, the secrets are nowhere in the page: they come in with Reveal and leave with Hide.
    expect(await pageHolds(page, [shown.server_signing_key, shown.server_secret_key])).toBe(false);
    // Masked until revealed.
    await expect(page.getByTestId('server-signing-key')).toHaveAttribute('type', 'password');
    await page.getByRole('button', { name: /Reveal Server signing key/ }).click();
    await expect(page.getByTestId('server-signing-key')).toHaveAttribute('type', 'text');
    // Shown, the secrets are not in this step's address or history entry either.
    const secrets = [shown.server_signing_key, shown.server_secret_key];
    const here = await page.evaluate(() => JSON.stringify({ url: location.href, state: history.state }));
    for (const s of secrets) expect(here).not.toContain(s);
    for (const id of ['server-signing-key', 'server-secret-key', 'access-key']) {
      await expect(page.getByTestId(id)).toHaveAttribute('autocomplete', 'off');
      await expect(page.getByTestId(id)).toHaveAttribute('spellcheck', 'false');
    }
    await expectNoAxeViolations(page);
    // The downloaded file parses and equals what was shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    expect(file).toEqual(shown);
    // Done is enabled only once stored is ticked.
    await expect(page.getByTestId('done')).toBeDisabled();
    await page.getByTestId('stored').check();
    await page.getByTestId('done').click();
    await expect(page).toHaveURL(/\/$/);
    const row = page.locator('tr', { hasText: shown.access_key });
    await expect(row).toBeVisible();
    // Nothing secret anywhere a page can keep it: no database or cache made at all, and the
    // secrets in no storage, cookie, address, history entry or console message of any level.
    const made = await page.evaluate(async () => ({ idb: (await indexedDB.databases()).length, caches: (await caches.keys()).length }));
    expect(made).toEqual({ idb: 0, caches: 0 });
    const kept = await page.evaluate(() => JSON.stringify({
      local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie,
      url: location.href, state: history.state,
    }));
    for (const s of secrets) {
      expect(kept).not.toContain(s);
      expect(problems.logged.join('\n')).not.toContain(s);
      expect(problems.join('\n')).not.toContain(s);
    }
    // Step 4 again shows no secret.
    await page.goto('/keys/new/key');
    await expect(page.getByTestId('cannot-show-again')).toBeVisible();
    await expect(page.getByTestId('server-signing-key')).toHaveCount(0);
  });
}

test('reloading step 4 shows no secret and links to the key', async ({ page }) => {
  await createAsOwner(page);
  page.on('dialog', (d) => d.accept());
  await page.reload();
  await expect(page.getByTestId('cannot-show-again')).toBeVisible();
  await expect(page.getByTestId('server-signing-key')).toHaveCount(0);
  await page.getByRole('link', { name: /details/ }).click();
  await expect(page).toHaveURL(/\/keys\/apikey--/);
});

test('Back on step 4 asks first: staying keeps the secrets, leaving goes back', async ({ page }) => {
  await createAsOwner(page);
  const secret = await revealedValue(page, 'Server signing key');
  const asked = [];
  page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  await page.evaluate(() => history.back());
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain('They cannot be shown again');
  await expect(page).toHaveURL(/\/keys\/new\/key\?key=apikey--[^&]+$/);
  expect(await revealedValue(page, 'Server signing key')).toBe(secret);
  // Asked once, not again for the entry that put the person back.
  await page.waitForTimeout(300);
  expect(asked.length).toBe(1);
  // Back at the summary, Create says it would make a second key.
  page.once('dialog', (d) => { asked.push(d.message()); d.accept(); });
  await page.evaluate(() => history.back());
  await expect(page).toHaveURL(/\/keys\/new\/summary\?/);
  await expect(page.getByTestId('made-before')).toContainText('Creating again makes a second key');
  expect(asked.length).toBe(2);
  await expect(page.getByTestId('server-signing-key')).toHaveCount(0);
  // Forward again finds nothing to show, and says why.
  await page.evaluate(() => history.forward());
  await expect(page.getByTestId('shown-here')).toBeVisible();
  await expect(page.getByTestId('show-secrets')).toHaveCount(0);
});

// Back across more than one entry (an earlier page picked from the Back button's menu, or
// entries the browser skips because the page added them without a click) asks too.
test('going back several entries from step 4 asks first, and staying keeps the secrets', async ({ page }) => {
  await createAsOwner(page);
  const secret = await revealedValue(page, 'Server signing key');
  const asked = [];
  page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  await page.evaluate(() => history.go(-3));
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain('They cannot be shown again');
  await expect(page).toHaveURL(/\/keys\/new\/key\?key=apikey--[^&]+$/);
  expect(await revealedValue(page, 'Server signing key')).toBe(secret);
  await page.waitForTimeout(300);
  expect(asked.length, 'asked once').toBe(1);
  // Leaving, once agreed, goes where the person went.
  page.once('dialog', (d) => { asked.push(d.message()); d.accept(); });
  await page.evaluate(() => history.go(-2));
  await expect(page).not.toHaveURL(/\/keys\/new\/key/);
  expect(asked.length).toBe(2);
  await expect(page.getByTestId('server-signing-key')).toHaveCount(0);
});

test('leaving step 4 by a link leaves no extra history entry behind', async ({ page }) => {
  await createAsOwner(page);
  page.once('dialog', (d) => d.dismiss());
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page).toHaveURL(/\/keys\/new\/key\?key=apikey--[^&]+$/);
  await expect(page.getByTestId('server-signing-key')).toBeVisible();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('table.keys-table tbody tr').first()).toBeVisible();
  // One Back returns to step 4, which says the secrets were shown here, the next to the
  // summary, which says a key was made from these choices.
  await page.evaluate(() => history.back());
  await expect(page.getByTestId('shown-here')).toBeVisible();
  await expect(page.getByTestId('show-secrets')).toHaveCount(0);
  await page.evaluate(() => history.back());
  await expect(page).toHaveURL(/\/keys\/new\/summary\?/);
  await expect(page.getByTestId('made-before')).toBeVisible();
});

// The secrets are handed out once, to whoever asks first: a step 4 that is left while its key
// provisions must ask before, and ask the platform for nothing after.
test('leaving step 4 while the key provisions asks first and claims nothing', async ({ page, request, problems }) => {
  // The step's polls wait until the person has left, so the step cannot see the key active
  // (and claim its secrets, as it should) while the test is still on it, however slow the run.
  let release;
  const left = new Promise((resolve) => { release = resolve; });
  await page.route(/\/api\/tenants\/[^/]+\/keys\/apikey--[^/]+$/, async (route) => {
    if (route.request().method() === 'GET') await left;
    await route.continue();
  });
  await signIn(page, ACCOUNTS.owner.email);
  await chooseAndReview(page);
  await page.getByTestId('create-submit').click();
  await expect(page.getByText('Provisioning your key')).toBeVisible();
  const id = await page.evaluate(() => new URL(location.href).searchParams.get('key'));
  expect(id).toMatch(/^apikey--/);
  const asked = [];
  page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  const home = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' });
  await home.click();
  await expect.poll(() => asked.length).toBe(1);
  // Nothing is lost yet, and the warning says so.
  expect(asked[0]).toContain('Nobody will receive them until you ask for them');
  await expect(page).toHaveURL(/\/keys\/new\/key\?key=apikey--[^&]+$/);
  page.once('dialog', (d) => { asked.push(d.message()); d.accept(); });
  await home.click();
  await expect(page).toHaveURL(/\/$/);
  expect(asked.length).toBe(2);
  release();
  // Past the provisioning (1.5 s) and the step's next poll (2 s, then answered at once): a
  // step still running would have claimed the secrets by now.
  await page.waitForTimeout(4_500);
  // The key's page offers them to their creator, and they are still there to be shown, once.
  await page.goto(`/keys/${id}`);
  await page.getByTestId('unreceived-secrets').getByRole('link', { name: 'Show them, once' }).click();
  await page.getByTestId('show-secrets').click();
  await expect(page.getByTestId('server-signing-key')).toBeVisible({ timeout: 10_000 });
  const { token, tenant } = await apiToken(request, ACCOUNTS.owner.email);
  const r = await request.get(`/api/tenants/${tenant}/keys/${id}/sensitive`, { headers: { Authorization: `Bearer ${token}` } });
  expect(r.status(), 'handed out once, to the page').toBe(410);
});

// A step 4 reloaded (or reached again after a sign-in) while its key provisions has not lost
// the secrets: nobody has received them, and the person can ask for them, once.
test('step 4 reloaded while its key provisions can still show the secrets, once', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await chooseAndReview(page);
  await page.getByTestId('create-submit').click();
  await expect(page.getByText('Provisioning your key')).toBeVisible();
  page.on('dialog', (d) => d.accept());
  await page.reload();
  await expect(page.getByTestId('cannot-show-again')).toBeVisible();
  await expect(page.getByTestId('server-signing-key')).toHaveCount(0);
  await page.getByTestId('show-secrets').click();
  await expect(page.getByTestId('server-signing-key')).toHaveValue(/.{16,}/, { timeout: 20_000 });
  // Shown: the next ask finds them handed out.
  await page.reload();
  await page.getByTestId('show-secrets').click();
  await expect(page.getByText('The secrets were already handed out')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('server-signing-key')).toHaveCount(0);
});

test('the always-failing Arx shows the failure and offers another Arx for the same application', async ({ page }) => {
  await signIn(page, ACCOUNTS.developer.email);
  await chooseAndReview(page, 'Failing demo Arx (provisioning always fails)');
  const app = await page.evaluate(() => new URL(location.href).searchParams.get('app'));
  await page.getByTestId('create-submit').click();
  await expect(page.getByTestId('provisioning-failed')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('link', { name: 'Choose another Arx' }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/new/arx\\?app=${app}$`));
  await expect(page.getByRole('radio').first()).toBeVisible();
});

test('a dropped create response is retried into exactly one key', async ({ page, request }) => {
  const { token, tenant } = await apiToken(request, ACCOUNTS.owner.email);
  const count = async () => (await (await request.get(`/api/tenants/${tenant}/keys`, { headers: { Authorization: `Bearer ${token}` } })).json()).data.insights.total_keys;
  await signIn(page, ACCOUNTS.owner.email);
  await chooseAndReview(page);
  const before = await count();
  expect((await request.put('/__faults', { data: { drop_create_responses: 1 } })).status()).toBe(200);
  await page.getByTestId('create-submit').click();
  await expect(page.getByTestId('server-signing-key')).toBeVisible({ timeout: 20_000 });
  expect(await count()).toBe(before + 1);
  await request.delete('/__faults');
});

test('a view-only role gets the not-permitted view, never the form', async ({ page }) => {
  await signIn(page, ACCOUNTS.admin.email);
  await page.goto('/keys/new/summary?app=x&arx=y');
  await expect(page.getByTestId('not-permitted')).toContainText('Only Platform Owners and Developers');
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expect(page.getByTestId('create-submit')).toHaveCount(0);
});

test('a stale id in the URL is reported and asked again; axe on steps 1-3', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await page.goto('/keys/new/application?app=app--gone');
  await expect(page.getByRole('alert')).toContainText('no longer available');
  await expectNoAxeViolations(page);
  await page.getByLabel(/Customer Portal/).check();
  await page.getByRole('button', { name: /Next/ }).click();
  await expectNoAxeViolations(page);
  await page.getByLabel('Staging GB').check();
  await page.getByRole('button', { name: /Next/ }).click();
  await expect(page.getByTestId('create-submit')).toBeVisible();
  await expectNoAxeViolations(page);
  // Skipping ahead without a choice lands on the first open step.
  await page.goto('/keys/new/summary');
  await expect(page).toHaveURL(/\/keys\/new\/application$/);
});

// Every field of step 4 is wide enough to read its value: at least half the row it is in (a
// note beside the client key once squeezed it to an empty box).
async function expectReadableFields(page) {
  const fields = page.locator('.secret-list input');
  expect(await fields.count()).toBe(5);
  for (const { field, row } of await fields.evaluateAll((els) => els.map((el) => ({
    field: el.getBoundingClientRect().width, row: el.closest('dd').getBoundingClientRect().width,
  })))) {
    expect(field).toBeGreaterThanOrEqual(row / 2);
  }
}

test('every field of the new key is wide enough to read', async ({ page, problems }) => {
  await createAsOwner(page);
  await expectReadableFields(page);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the new key and its secrets fit the screen, every copy button in reach', async ({ page, problems }) => {
    await createAsOwner(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectReadableFields(page);
    const copies = page.locator('.secret-list .copy-button');
    expect(await copies.count()).toBeGreaterThanOrEqual(5);
    for (const box of await copies.evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().toJSON()))) {
      expect(box.right).toBeLessThanOrEqual(390);
    }
    // Once stored, the ways on (View key, Create another, Done) each keep their words on one line.
    await page.getByTestId('stored').check();
    const actions = page.locator('.wizard-actions').last().locator('a, button');
    expect(await actions.count()).toBeGreaterThanOrEqual(3);
    const measured = await actions.evaluateAll((els) => els.map((el) => {
      // One client rect per line the label's text takes.
      const text = document.createRange();
      text.selectNodeContents(el);
      const lines = new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size;
      return { label: el.textContent, lines, right: el.getBoundingClientRect().right };
    }));
    for (const { label, lines, right } of measured) {
      expect(lines, label).toBe(1);
      expect(right, label).toBeLessThanOrEqual(390);
    }
  });
});


test('after the key step no secret is left in the JS heap', async ({ page, problems }) => {
  await createAsOwner(page);
  // Learn the secrets from the downloaded file, so this test itself adds no copy to the page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const secrets = [file.server_signing_key, file.server_secret_key];
  await page.getByRole('button', { name: /Reveal Server signing key/ }).click();
  await page.getByRole('button', { name: /Hide Server signing key/ }).click();
  await page.getByTestId('stored').check();
  await page.getByTestId('done').click();
  await expect(page.locator('table.keys-table tbody tr').first()).toBeVisible();
  expect(await inJsHeap(page, secrets)).toEqual([]);
  // The check sees a secret the page does hold.
  await page.evaluate((s) => { window.__probe = `${s}`; }, secrets[0]);
  expect(await inJsHeap(page, secrets)).toEqual([secrets[0]]);
});

test('step 4 shows how to use the key: tabs by keyboard, public values only, axe-clean; then the next steps', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-write']);
  await createAsOwner(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const tablist = page.getByRole('tablist', { name: 'SDK language' });
  const go = tablist.getByRole('tab', { name: 'Go' });
  const python = tablist.getByRole('tab', { name: 'Python' });
  await expect(go).toHaveAttribute('aria-selected', 'true');
  // Keyboard only: focus the selected tab, arrow to the next, and the panel follows.
  await go.focus();
  await page.keyboard.press('ArrowRight');
  await expect(python).toBeFocused();
  await expect(python).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('tabpanel', { name: 'Python' });
  await expect(panel).toBeVisible();
  await expect(page.getByRole('tabpanel', { name: 'Go' })).toBeHidden();
  await expect(panel).toContainText('pip install onqlave-python');
  await expect(panel).toContainText(file.arx_url);
  await expect(panel).toContainText(file.access_key);
  // Tab leaves the tab list for the panel, then its controls.
  await page.keyboard.press('Tab');
  await expect(panel).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('button', { name: 'Copy the Python install command' })).toBeFocused();
  // Home on the tab list goes back to the first tab.
  await python.focus();
  await page.keyboard.press('Home');
  await expect(go).toBeFocused();
  await expect(page.getByRole('tabpanel', { name: 'Go' })).toBeVisible();
  for (const p of [page.getByTestId('usage-go'), page.getByTestId('usage-python')]) {
    const text = await p.evaluate((el) => el.textContent);
    expect(text).not.toContain(file.server_signing_key);
    expect(text).not.toContain(file.server_secret_key);
  }
  await expectNoAxeViolations(page);
  // The environment copy carries all four values (and is the one copy with the secrets).
  await page.evaluate(() => {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => { window.__written = text; return write(text); };
  });
  await page.getByRole('button', { name: 'Copy as environment variables' }).click();
  const written = await page.evaluate(() => { const t = window.__written; delete window.__written; return t; });
  expect(written).toBe([
    `export ONQLAVE_ARX_URL='${file.arx_url}'`, `export ONQLAVE_ACCESS_KEY='${file.access_key}'`,
    `export ONQLAVE_SIGNING_KEY='${file.server_signing_key}'`, `export ONQLAVE_SECRET_KEY='${file.server_secret_key}'`, '',
  ].join('\n'));
  // Once stored: view the key, or create another from step 1.
  await expect(page.getByTestId('view-key')).toHaveCount(0);
  await page.getByTestId('stored').check();
  await expect(page.getByTestId('view-key')).toBeVisible();
  await page.getByTestId('create-another').click();
  await expect(page).toHaveURL(/\/keys\/new\/application$/);
  await expect(page.getByLabel(/Payments API/)).not.toBeChecked();
});

test('the key detail shows the same usage, with no secret', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  const row = page.locator('table.keys-table tbody tr[data-status="active"]').first();
  const access = await row.locator('code').innerText();
  await row.getByRole('link', { name: /^Details of/ }).click();
  const panel = page.getByRole('tabpanel', { name: 'Go' });
  await expect(panel).toContainText(access);
  await expect(panel).toContainText('os.Getenv("ONQLAVE_SIGNING_KEY")');
  await expect(panel).toContainText('go get github.com/onqlavelabs/onqlave-go');
  await expectNoAxeViolations(page);
});

// The secrets' fields line up from row to row, a button's new word ("Hide", "Copied") moves
// nothing, and on a phone the API key is whole in its field.
test('the new key\'s fields line up and hold still; on a phone the API key is whole', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await createAsOwner(page);
  const fields = page.locator('.secret-row input');
  const boxes = async () => Promise.all((await fields.all()).map((f) => f.boundingBox()));
  const before = await boxes();
  expect(new Set(before.map((b) => Math.round(b.x + b.width))).size, 'one right edge').toBe(1);
  await page.getByRole('button', { name: /Reveal Server signing key/ }).click();
  await expect(page.getByRole('button', { name: /Hide Server signing key/ })).toBeVisible();
  expect(await boxes()).toEqual(before);
  await page.setViewportSize({ width: 390, height: 844 });
  const key = page.getByTestId('access-key');
  await expect.poll(() => key.evaluate((i) => i.scrollWidth <= i.clientWidth)).toBe(true);
});
