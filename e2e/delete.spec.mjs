// The delete dialog against the dev platform.
import { test, expect, signIn, keyRows, ACCOUNTS, expectNoAxeViolations, apiToken, holdChunk } from './fixtures.mjs';

async function openDialogForFirstActive(page) {
  const row = page.locator('tr[data-status="active"]').first();
  const id = await row.getAttribute('data-key-id');
  const access = await row.locator('td:first-child code').innerText();
  const link = row.getByTestId('delete-key');
  await link.focus();
  await link.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await expect(dialog).toBeVisible();
  return { id, access, dialog };
}

// A key of the owner's, created through the API and active, for a test that deletes: the demo
// tenant's few active keys are shared by the whole run.
async function freshActiveKey(request) {
  const { token, tenant } = await apiToken(request, ACCOUNTS.owner.email);
  const headers = { Authorization: `Bearer ${token}` };
  const base = (await (await request.get(`/api/tenants/${tenant}/keys/base`, { headers })).json()).data;
  const app = base.model.applications[0];
  const arx = base.model.clusters.find((c) => !/fail/i.test(`${c.name} ${c.label}`));
  const created = await request.post(`/api/tenants/${tenant}/keys`, {
    headers,
    data: { api_key: { application_id: app.id, cluster_id: arx.id, application_technology: app.application_technology.id } },
  });
  expect(created.status()).toBe(200);
  const key = (await created.json()).data;
  const status = async () => (await (await request.get(`/api/tenants/${tenant}/keys/${key.id}`, { headers })).json()).data.status;
  await expect.poll(status, { timeout: 15_000 }).toBe('active');
  return { id: key.id, access: key.access_key };
}

async function openDialogFor(page, id) {
  const link = page.locator(`tr[data-key-id="${id}"]`).getByTestId('delete-key');
  await link.focus();
  await link.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await expect(dialog).toBeVisible();
  return dialog;
}

for (const who of ['owner', 'developer']) {
  test(`${who} deletes a key after typing it exactly`, async ({ page, context }) => {
    await signIn(page, ACCOUNTS[who].email);
    const other = await context.newPage();
    await other.goto('/?deleted=1');
    await expect(keyRows(other).first()).toBeVisible();
    const { id, access, dialog } = await openDialogForFirstActive(page);
    await expect(page).toHaveURL(new RegExp(`/keys/${id}/delete`));
    const field = dialog.getByLabel(/Type the API key/);
    await expect(field).toBeFocused();
    const confirm = dialog.getByTestId('confirm-delete');
    await expect(confirm).toBeDisabled();
    await field.fill(access.toLowerCase());
    await expect(confirm).toBeDisabled();
    await expect(dialog).toContainText('upper and lower case');
    await field.fill(`${access} `);
    await expect(confirm).toBeDisabled();
    await field.fill(access);
    await expect(confirm).toBeEnabled();
    await confirm.dblclick();
    await expect(dialog).toHaveCount(0);
    // The Delete link that opened it went with the key's new status: the focus stays on the
    // key's line, not the page's heading or its start.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.dataset.keyId)).toBe(id);
    // The row changes at once, then disappears once deleted (hidden by default).
    await expect(page.locator(`tr[data-key-id="${id}"]`)).toHaveCount(0, { timeout: 15_000 });
    await expect(page).toHaveURL(/\/$/);
    // The other tab follows without a reload.
    await expect(other.locator(`tr[data-key-id="${id}"]`)).toHaveAttribute('data-status', /pending|deleted/);
    await expect(other.locator(`tr[data-key-id="${id}"]`)).toHaveAttribute('data-status', 'deleted', { timeout: 15_000 });
    await other.close();
  });
}

// The dialog's code is fetched on demand: a person who leaves before it arrives must get
// nothing built behind their back (the dialog would read a key id the address no longer has).
test('a dialog left before its code arrives is never built', async ({ page }) => {
  const release = await holdChunk(page, 'delete');
  await signIn(page, ACCOUNTS.owner.email);
  await page.locator('tr[data-status="active"]').first().getByTestId('delete-key').click();
  await expect(page).toHaveURL(/\/delete$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  const asked = [];
  page.on('request', (r) => asked.push(`${r.method()} ${new URL(r.url()).pathname}`));
  const arrived = page.waitForResponse((r) => /\/split_delete-/.test(r.url()));
  release();
  await arrived;
  await page.waitForTimeout(300);
  expect(asked.filter((a) => /^GET .*\/keys\/$/.test(a)), 'no read of a key without an id').toEqual([]);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // The code is here now: the dialog opens as usual.
  await openDialogForFirstActive(page);
});

// A "/" pressed while the dialog's code is still on its way belongs to the dialog coming, not to
// the search behind it.
test('"/" does not go to the search while the dialog\'s code is on its way', async ({ page, problems }) => {
  const release = await holdChunk(page, 'delete');
  await signIn(page, ACCOUNTS.owner.email);
  await page.locator('tr[data-status="active"]').first().getByTestId('delete-key').click();
  await expect(page).toHaveURL(/\/delete$/);
  await page.locator('h1').first().click();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).not.toBeFocused();
  release();
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox')).toBeFocused();
});

// While it deletes, the dialog stays (Escape would cancel nothing); left by Back, the delete
// goes on, and its answer must find the page alive.
test('leaving the dialog while it deletes keeps the console alive and the delete done', async ({ page, request, problems }) => {
  const { id, access } = await freshActiveKey(request);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/api\/tenants\/[^/]+\/keys\/[^/]+$/, async (route) => {
    if (route.request().method() === 'DELETE') await held;
    await route.continue();
  });
  await signIn(page, ACCOUNTS.owner.email);
  const dialog = await openDialogFor(page, id);
  await dialog.getByLabel(/Type the API key/).fill(access);
  await dialog.getByTestId('confirm-delete').click();
  await expect(dialog.getByTestId('confirm-delete')).toHaveText('Deleting…');
  await expect(dialog.getByTestId('confirm-delete')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.waitForTimeout(100);
  await expect(dialog).toBeVisible();
  await page.goBack();
  await expect(dialog).toHaveCount(0);
  const answered = page.waitForResponse((r) => r.request().method() === 'DELETE');
  release();
  expect((await answered).status()).toBe(200);
  await expect(page.locator(`tr[data-key-id="${id}"]`)).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator('#panic-panel')).toHaveCount(0);
  await expect(keyRows(page).first()).toBeVisible();
});

// A list the platform answered before the delete, handed to the page only after it, must not
// bring the key back as it was (active, with its Delete link, and no longer watched).
test('a list read before a delete and delivered after it does not undo the delete', async ({ page, context, request }) => {
  const { id, access } = await freshActiveKey(request);
  await signIn(page, ACCOUNTS.owner.email);
  const row = page.locator(`tr[data-key-id="${id}"]`);
  await expect(row).toHaveAttribute('data-status', 'active');
  // The live tools (which listen to the other tabs) are in once the status filter is.
  await expect(page.getByLabel('Status')).toBeVisible();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let answered;
  const read = new Promise((resolve) => { answered = resolve; });
  await page.route(/\/api\/tenants\/[^/]+\/keys$/, async (route) => {
    if (route.request().method() !== 'GET') { await route.continue(); return; }
    const response = await route.fetch();
    answered();
    await held;
    await route.fulfill({ response });
  });
  // Another tab's news makes this one read the list again; the platform answers at once.
  const other = await context.newPage();
  await other.goto('/config.json');
  await other.evaluate(() => {
    const channel = new BroadcastChannel('onqlave-console-keys');
    channel.postMessage(JSON.stringify({ event: 'created', id: 'apikey--elsewhere' }));
    channel.close();
  });
  await read;
  await other.close();
  const dialog = await openDialogFor(page, id);
  await dialog.getByLabel(/Type the API key/).fill(access);
  await dialog.getByTestId('confirm-delete').click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveAttribute('data-status', 'pending');
  const delivered = page.waitForResponse((r) => /\/keys$/.test(new URL(r.url()).pathname) && r.request().method() === 'GET');
  release();
  await delivered;
  await page.waitForTimeout(500);
  const statuses = await row.evaluateAll((rows) => rows.map((r) => r.dataset.status));
  expect(statuses.filter((s) => s === 'active'), 'the key is not active again').toEqual([]);
  await expect(row.getByTestId('delete-key')).toHaveCount(0);
  // Still watched: it ends deleted (and hidden, as deleted keys are by default).
  await expect(row).toHaveCount(0, { timeout: 15_000 });
});

// Opened before the list is in, the dialog reads the key itself; when that fails it says so,
// offers a retry, and the keyboard can still close it (nothing in it had the focus).
test('a dialog whose key cannot be read offers a retry, and Escape closes it', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  const id = await page.locator('tr[data-status="active"]').first().getAttribute('data-key-id');
  let failing = true;
  await page.route(/\/api\/tenants\/[^/]+\/keys(\/[^/]+)?$/, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (route.request().method() !== 'GET') return route.continue();
    // The list never comes, so the dialog has no copy of the key.
    if (pathname.endsWith('/keys')) return undefined;
    if (failing && pathname.endsWith(`/keys/${id}`)) {
      return route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ data: null, error: { code: 409, status: 'internal_lock_hold_by_another', message: 'Busy', correlation_id: 'corr-1', details: null } }),
      });
    }
    return route.continue();
  });
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await page.goto(`/keys/${id}/delete`);
  await expect(dialog.getByRole('button', { name: 'Try again' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.goto(`/keys/${id}/delete`);
  await expect(dialog.getByRole('button', { name: 'Try again' })).toBeVisible();
  // The panel held the focus while it had no control: Shift+Tab lands on one, inside.
  await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement) && document.activeElement !== d)).toBe(true);
  failing = false;
  await dialog.getByRole('button', { name: 'Try again' }).click();
  await expect(dialog.getByLabel(/Type the API key/)).toBeFocused();
});

test('after a delete from a deep link the focus goes to the page\'s heading', async ({ page, request }) => {
  const { id, access } = await freshActiveKey(request);
  await signIn(page, ACCOUNTS.owner.email);
  await page.goto(`/keys/${id}/delete`);
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await dialog.getByLabel(/Type the API key/).fill(access);
  await dialog.getByTestId('confirm-delete').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('h1:focus')).toHaveText('API keys');
});

// The first DELETE is applied but its answer is lost; the client's retry then finds the key
// being deleted (409). That is this delete done, not "already in progress".
test('a delete whose answer was lost is done when its retry finds it under way', async ({ page, request }) => {
  const { id, access } = await freshActiveKey(request);
  let first = true;
  await page.route(/\/api\/tenants\/[^/]+\/keys\/[^/]+$/, async (route) => {
    if (route.request().method() === 'DELETE' && first) {
      first = false;
      await route.fetch();
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await signIn(page, ACCOUNTS.owner.email);
  const dialog = await openDialogFor(page, id);
  await dialog.getByLabel(/Type the API key/).fill(access);
  await dialog.getByTestId('confirm-delete').click();
  await expect(dialog).toHaveCount(0);
  expect(first).toBe(false);
  await expect(page.locator(`tr[data-key-id="${id}"]`)).toHaveCount(0, { timeout: 15_000 });
});

test('Escape and Back close the dialog; focus returns to the opener', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  const { dialog } = await openDialogForFirstActive(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('tr[data-status="active"]').first().getByTestId('delete-key')).toBeFocused();
  await openDialogForFirstActive(page);
  await page.goBack();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('a deep link opens the dialog; Tab stays inside', async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  const id = await page.locator('tr[data-status="active"]').first().getAttribute('data-key-id');
  await page.goto(`/keys/${id}/delete`);
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await expect(dialog.getByLabel(/Type the API key/)).toBeFocused();
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await expectNoAxeViolations(page);
});

// On a phone, and on a page zoomed to 200 %, the dialog is taller than the screen: it scrolls,
// and its field and actions stay in sight, Cancel and Delete at its bottom edge, the field not
// under them.
const uncovered = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
});
for (const size of [{ width: 320, height: 568 }, { width: 360, height: 740 }, { width: 640, height: 400 }]) {
  test(`in a ${size.width}×${size.height} window the dialog's field and actions are in sight`, async ({ page }) => {
    await signIn(page, ACCOUNTS.owner.email);
    const row = page.locator('tr[data-status="active"]').first();
    const id = await row.getAttribute('data-key-id');
    const access = await row.locator('td:first-child code').innerText();
    await page.setViewportSize(size);
    await page.goto(`/keys/${id}/delete`);
    const dialog = page.getByRole('dialog', { name: 'Delete API key' });
    const field = dialog.getByLabel(/Type the API key/);
    await expect(field).toBeFocused();
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    const confirm = dialog.getByTestId('confirm-delete');
    for (const control of [field, cancel, confirm]) await expect(control).toBeInViewport({ ratio: 1 });
    expect(await uncovered(field)).toBe(true);
    await field.fill(access);
    await expect(confirm).toBeEnabled();
    await expect(confirm).toBeInViewport({ ratio: 1 });
    // Scrolled to its top, the title is there and the actions still are.
    await dialog.evaluate((d) => { d.scrollTop = 0; });
    await expect(dialog.getByRole('heading', { name: 'Delete API key' })).toBeInViewport({ ratio: 1 });
    await expect(cancel).toBeInViewport({ ratio: 1 });
    await expect(confirm).toBeInViewport({ ratio: 1 });
  });
}

test('the platform admin has no delete control and the route refuses', async ({ page }) => {
  await signIn(page, ACCOUNTS.admin.email);
  await expect(keyRows(page).first()).toBeVisible();
  await expect(page.getByTestId('delete-key')).toHaveCount(0);
  const id = await page.locator('tr[data-status="active"]').first().getAttribute('data-key-id');
  await page.goto(`/keys/${id}/delete`);
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await expect(dialog.getByTestId('not-permitted')).toContainText('Only Platform Owners and Developers');
  await expect(dialog.getByTestId('confirm-delete')).toHaveCount(0);
  await expect(dialog.locator('input')).toHaveCount(0);
});

// The dark scheme has its own colours: the key's page and the dialog, its delete button live,
// pass the same checks (contrast included) as in the light one.
test('in the dark scheme the key page and the armed dialog pass the accessibility checks', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await signIn(page, ACCOUNTS.owner.email);
  const row = page.locator('tr[data-status="active"]').first();
  const id = await row.getAttribute('data-key-id');
  const access = await row.locator('td:first-child code').innerText();
  await page.goto(`/keys/${id}`);
  await expect(page.getByRole('link', { name: 'Delete API key' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`/keys/${id}/delete`);
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await dialog.getByLabel(/Type the API key/).fill(access);
  await expect(dialog.getByTestId('confirm-delete')).toBeEnabled();
  await expectNoAxeViolations(page);
});
