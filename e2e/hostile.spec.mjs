// Hostile names (the dev platform's --hostile-names tenant: right-to-left overrides, zero-width and
// combining characters, emoji, a 10,000-character name, HTML and script, SQL, format strings) flow
// from the platform to every view: shown as text, with the layout holding and the delete
// confirmation still exact. Characters that turn the direction of the text around them are shown as
// their code points, so that no name reads as something it is not.
import { test, expect, expectNoAxeViolations, signIn, keyRows, apiToken } from './fixtures.mjs';

const OWNER = 'owner@hostile.test';

/** The tenant's keys and models as the platform sends them. */
async function platformData(request) {
  const { token, tenant } = await apiToken(request, OWNER);
  const r = await request.get(`/api/tenants/${tenant}/keys`, { headers: { authorization: `Bearer ${token}` } });
  return (await r.json()).data;
}

const label = (x) => x.label || x.name || x.id;
/** A name as the console shows it: direction controls as their code points (src/shown.rs). */
const shown = (name) => name.replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g,
  (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
const DIRECTION_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Nothing the names could have smuggled in: no element, no script run, no sideways scroll. */
async function expectIntact(page) {
  expect(await page.locator('main img, main script, main svg:not([aria-hidden]), main iframe').count()).toBe(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

test.beforeEach(async ({ page }) => {
  // A name that managed to run as script would set this.
  await page.addInitScript(() => { window.alert = () => { window.__pwned = true; }; });
});

test('the dashboard shows every hostile name as text, and the table holds its shape', async ({ page, request }) => {
  const data = await platformData(request);
  await signIn(page, OWNER);
  await expect(keyRows(page).first()).toBeVisible();
  expect(await keyRows(page).count()).toBe(data.api_keys.filter((k) => k.status !== 'deleted').length);
  for (const key of data.api_keys.filter((k) => k.status !== 'deleted')) {
    const row = page.locator(`tr[data-key-id="${key.id}"]`);
    const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.textContent));
    expect(cells.some((c) => c.includes(shown(label(key.application))))).toBe(true);
    expect(cells.some((c) => c.includes(shown(label(key.cluster))))).toBe(true);
    expect(cells.some((c) => c.includes(shown(key.created_by.full_name)))).toBe(true);
    // However long the name, a row stays a row.
    expect((await row.boundingBox()).height).toBeLessThan(200);
  }
  await expectIntact(page);
  await expectNoAxeViolations(page);
  // The override is on the page as its code point, nowhere as itself.
  expect(await page.locator('main').evaluate((m) => m.textContent)).toContain('invoice[U+202E]fdp.exe');
  expect(await page.locator('main').evaluate((m) => m.textContent)).not.toMatch(DIRECTION_CONTROL);
  // Searching for a name finds its key.
  const target = data.api_keys.find((k) => label(k.application).startsWith("'; DROP"));
  await page.getByLabel('Search').fill("'; DROP TABLE");
  await expect(page.locator(`tr[data-key-id="${target.id}"]`)).toBeVisible();
});

test('the key detail, the wizard and the delete dialog show them as text too', async ({ page, request }) => {
  const data = await platformData(request);
  const long = data.api_keys.find((k) => label(k.application).length >= 10_000);
  await signIn(page, OWNER);
  await page.goto(`/keys/${long.id}`);
  await expect(page.getByRole('heading', { name: /^API key/ })).toBeVisible();
  expect(await page.locator('main').evaluate((m) => m.textContent)).toContain(shown(label(long.application)));
  // Here, where a person comes to read the key in full, the name is not cut to a few lines.
  const application = page.locator('.detail-grid dd.name').first();
  const { full, seen } = await application.evaluate((dd) => ({ full: dd.scrollHeight, seen: dd.clientHeight }));
  expect(seen).toBeGreaterThan(200);
  expect(full).toBeLessThanOrEqual(seen + 1);
  await expectIntact(page);
  await expectNoAxeViolations(page);

  await page.goto('/keys/new/application');
  const cards = page.locator('label.choice');
  await expect(cards.first()).toBeVisible();
  const shownText = await cards.evaluateAll((ls) => ls.map((l) => l.textContent).join('\n'));
  for (const app of data.model.applications) expect(shownText).toContain(shown(label(app)));
  expect(shownText).not.toMatch(DIRECTION_CONTROL);
  await expectIntact(page);
  for (const card of await cards.all()) expect((await card.boundingBox()).height).toBeLessThan(240);
  await expectNoAxeViolations(page);

  // The delete dialog: the summary shows the names; the typed confirmation is still exact.
  const rtl = data.api_keys.find((k) => k.status === 'active' && label(k.application).includes('\u202E'));
  await page.goto(`/keys/${rtl.id}/delete`);
  const dialog = page.getByRole('dialog', { name: 'Delete API key' });
  await expect(dialog).toContainText(shown(label(rtl.application)));
  await expectIntact(page);
  const field = dialog.getByLabel(/Type the API key/);
  const confirm = dialog.getByTestId('confirm-delete');
  await field.fill(`\u202E${rtl.access_key}`);
  await expect(confirm).toBeDisabled();
  await field.fill(label(rtl.application));
  await expect(confirm).toBeDisabled();
  await field.fill(rtl.access_key);
  await expect(confirm).toBeEnabled();
  await expectNoAxeViolations(page);
});
