// The dashboard and key detail against the dev platform.
import { test, expect, signIn, keyRows, ACCOUNTS, apiToken, expectNoAxeViolations, holdChunk } from './fixtures.mjs';

test.beforeEach(async ({ page }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await expect(keyRows(page).first()).toBeVisible();
});

test('seeded keys appear with every column and the counts', async ({ page, problems }) => {
  const headers = await page.locator('table.keys-table thead th').allInnerTexts();
  for (const h of ['API key', 'Application', 'Arx', 'Status', 'Created', 'Created by', 'Last used']) {
    expect(headers.join('|')).toContain(h);
  }
  const total = Number(await page.getByTestId('count-total').innerText());
  const deleted = Number(await page.getByTestId('count-deleted').innerText());
  expect(total).toBeGreaterThanOrEqual(8);
  expect(deleted).toBeGreaterThanOrEqual(1);
  // Deleted keys are hidden by default.
  await expect(page.locator('tr[data-status="deleted"]')).toHaveCount(0);
  await expect(keyRows(page)).toHaveCount(total - deleted);
  const first = keyRows(page).first();
  await expect(first.locator('code')).toHaveText(/^onq\.[0-9A-F]{24}$/);
  await expect(first.locator('.badge')).toBeVisible();
  // A row's links say which key they act on.
  const deletable = keyRows(page).filter({ has: page.getByTestId('delete-key') }).first();
  const key = await deletable.locator('code').innerText();
  await expect(deletable.getByTestId('delete-key')).toHaveAccessibleName(`Delete ${key}`);
  await expect(deletable.getByRole('link', { name: /^Details/ })).toHaveAccessibleName(`Details of ${key}`);
  // The pager's count on the left, its controls together on the right.
  const pager = await page.locator('nav.pager').boundingBox();
  const lastControl = await page.locator('nav.pager > :last-child').boundingBox();
  expect(pager.x + pager.width - (lastControl.x + lastControl.width)).toBeLessThan(2);
  // However narrow the window, Previous, the page and Next wrap as one: never Next alone.
  const size = page.viewportSize();
  const middle = async (name) => {
    const box = await page.locator('nav.pager').getByRole('button', { name }).boundingBox();
    return box.y + box.height / 2;
  };
  for (let width = 320; width <= 1280; width += 8) {
    await page.setViewportSize({ width, height: 740 });
    expect(Math.abs((await middle('Previous')) - (await middle('Next'))), `at ${width} px`).toBeLessThan(2);
  }
  await page.setViewportSize(size);
  await page.getByLabel('Show deleted').check();
  await expect(page.locator('tr[data-status="deleted"]')).not.toHaveCount(0);
  await expect(page).toHaveURL(/deleted=1/);
});

test('the application and Arx filters offer the list\'s own names and narrow it', async ({ page, problems }) => {
  const app = page.getByLabel('Application', { exact: true });
  await expect(app.locator('option', { hasText: 'Payments API' })).toHaveCount(1);
  await app.selectOption({ label: 'Payments API' });
  await expect(page).toHaveURL(/app=/);
  await expect(keyRows(page).first()).toBeVisible();
  for (const name of await keyRows(page).locator('td:nth-child(2)').allInnerTexts()) expect(name).toBe('Payments API');
  const appId = await app.inputValue();
  // An Arx one of those keys is on: the two filters together still show it.
  const arxName = await keyRows(page).first().locator('td:nth-child(3) .name').innerText();
  const arx = page.getByLabel('Arx', { exact: true });
  await arx.selectOption({ label: arxName });
  await expect(page).toHaveURL(/arx=/);
  await expect(keyRows(page).first()).toBeVisible();
  for (const row of await keyRows(page).all()) {
    await expect(row.locator('td:nth-child(2)')).toHaveText('Payments API');
    await expect(row.locator('td:nth-child(3) .name')).toHaveText(arxName);
  }
  // Both come back from the URL.
  await page.reload();
  await expect(keyRows(page).first()).toBeVisible();
  await expect(app).toHaveValue(appId);
  await expect(arx.locator('option:checked')).toHaveText(arxName);
});

test('search, filter and sort through the UI land in the URL and come back from it', async ({ page, problems }) => {
  await page.getByLabel('Search').fill('payments');
  await expect(page).toHaveURL(/q=payments/);
  for (const app of await keyRows(page).locator('td:nth-child(2)').allInnerTexts()) {
    expect(app).toBe('Payments API');
  }
  await page.getByLabel('Status').selectOption('active');
  await expect(page).toHaveURL(/status=active/);
  await expect(page.locator('table.keys-table tbody tr:not([data-status="active"])')).toHaveCount(0);
  await expect(keyRows(page).first()).toBeVisible();
  await page.getByRole('button', { name: /^API key/ }).click();
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText('API key');
  const keys = await keyRows(page).locator('td:first-child code').allInnerTexts();
  expect(keys).toEqual([...keys].sort());
  // A pasted URL restores the same view.
  const url = page.url();
  await page.goto('/');
  await page.goto(url);
  await expect(page.getByLabel('Search')).toHaveValue('payments');
  await expect(page.getByLabel('Status')).toHaveValue('active');
  expect(await keyRows(page).locator('td:first-child code').allInnerTexts()).toEqual(keys);
  // Back restores the previous view.
  await page.goto('/?status=failed');
  await expect(keyRows(page).first()).toHaveAttribute('data-status', 'failed');
  await expect(page.locator('table.keys-table tbody tr:not([data-status="failed"])')).toHaveCount(0);
  await page.goBack();
  await expect(page.getByLabel('Search')).toHaveValue('payments');
  // No results, and a way out.
  await page.getByLabel('Search').fill('zzzz-nothing');
  await expect(page.getByTestId('no-results')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(keyRows(page).first()).toBeVisible();
  await expect(page.getByLabel('Search')).toHaveValue('');
  // The sort survives clearing; the whole list turns over when the direction does.
  const codes = () => keyRows(page).locator('td:first-child code').allInnerTexts();
  await expect.poll(codes).toEqual([...(await codes())].sort());
  const ascending = await codes();
  expect(ascending.length).toBeGreaterThan(3);
  await page.getByRole('button', { name: /^API key/ }).click();
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('API key');
  await expect.poll(codes).toEqual([...ascending].reverse());
});

test('a pending key turns active without a reload', async ({ page, request, problems }) => {
  const { token, tenant } = await apiToken(request, ACCOUNTS.developer.email);
  const auth = { Authorization: `Bearer ${token}` };
  const base = await (await request.get(`/api/tenants/${tenant}/keys/base`, { headers: auth })).json();
  const app = base.data.model.applications[0];
  const arx = base.data.model.clusters.find((c) => c.name === 'dev-sg');
  const created = await request.post(`/api/tenants/${tenant}/keys`, {
    headers: { ...auth, 'Idempotency-Key': `e2e-${Date.now()}` },
    data: { api_key: { application_id: app.id, cluster_id: arx.id, application_technology: app.application_technology.id } },
  });
  const key = (await created.json()).data;
  expect(key.status).toBe('pending');
  await page.reload();
  const row = page.locator(`tr[data-key-id="${key.id}"]`);
  await expect(row).toHaveAttribute('data-status', 'pending');
  await expect(row.locator('.spinner')).toBeVisible();
  await expect(page.locator(`tr[data-key-id="${key.id}"]`)).toHaveAttribute('data-status', 'active', { timeout: 15_000 });
});

test('hostile names from the API render as text', async ({ page, problems }) => {
  const hostile = '<img src=x onerror=alert(1)>';
  await page.route('**/api/tenants/*/keys', async (route) => {
    const resp = await route.fetch();
    const body = await resp.json();
    body.data.api_keys[0].application = { id: 'app--x', name: hostile, label: hostile };
    await route.fulfill({ response: resp, json: body });
  });
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.reload();
  await expect(page.getByText(hostile, { exact: true })).toBeVisible();
  await expect(page.locator('table img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('copy gives honest feedback', async ({ page, context }) => {
  // The page may write the clipboard, never read it (Permissions-Policy): the test records what
  // reaches the real writeText instead of reading it back.
  await context.grantPermissions(['clipboard-write']);
  await page.evaluate(() => {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => { window.__written = text; return write(text); };
  });
  const row = keyRows(page).first();
  const key = await row.locator('code').innerText();
  await row.getByRole('button', { name: /Copy API key/ }).click();
  await expect(row.getByRole('button', { name: /Copy API key/ })).toHaveText('Copied');
  expect(await page.evaluate(() => window.__written)).toBe(key);
  expect(await page.evaluate(() => navigator.clipboard.readText().then(() => 'read', (e) => e.name))).toBe('NotAllowedError');
});

test('key detail shows every field and the Arx; a foreign key is not found', async ({ page, problems }) => {
  const row = keyRows(page).first();
  const access = await row.locator('code').innerText();
  await row.getByRole('link', { name: /Details/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(access);
  for (const label of ['Application', 'Arx URL', 'Created by', 'Purpose', 'Encryption', 'Rotation cycle']) {
    await expect(page.locator('dt', { hasText: label }).first()).toBeVisible();
  }
  // The key's panel and its Arx's panel stand apart, not border to border.
  const [keyPanel, arxPanel] = await page.locator('.key-detail .panel').evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect()));
  expect(arxPanel.top - keyPanel.bottom).toBeGreaterThanOrEqual(8);
  await expectNoAxeViolations(page);
  problems.allowed.push(/status of 404/);
  await page.goto('/keys/apikey--does-not-exist');
  await expect(page.getByRole('heading', { name: 'API key not found' })).toBeVisible();
});

test.describe('in a 1280-pixel window', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the table fits without sideways scrolling and its columns hold still while searching', async ({ page, problems }) => {
    const wrap = page.locator('.table-wrap');
    const widths = () => page.locator('table.keys-table thead th').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().width));
    expect(await wrap.evaluate((w) => w.scrollWidth - w.clientWidth)).toBeLessThanOrEqual(0);
    // Every row's actions are inside the visible box, the last column included.
    const box = await wrap.boundingBox();
    const last = await keyRows(page).first().locator('td').last().locator('a').last().boundingBox();
    expect(last.x + last.width).toBeLessThanOrEqual(box.x + box.width);
    const before = await widths();
    const firstKey = await keyRows(page).first().locator('code').innerText();
    await page.getByLabel('Search').fill('payments');
    await expect(keyRows(page).first().locator('code')).not.toHaveText(firstKey);
    expect(await widths()).toEqual(before);
    // The line now shows another key; its link names follow it.
    const shown = await keyRows(page).first().locator('code').innerText();
    await expect(keyRows(page).first().getByRole('link', { name: /^Details/ })).toHaveAccessibleName(`Details of ${shown}`);
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the header wraps with sign-out on screen, and each key is a card within it', async ({ page, problems }) => {
    // Measured once the live toolbar, which arrives after the rows and moves them down, is in.
    await expect(page.locator('.toolbar:not([aria-busy])')).toBeVisible();
    const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
    expect(signOut.x).toBeGreaterThanOrEqual(0);
    expect(signOut.x + signOut.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Nothing to scroll sideways: a key's actions are on screen, inside its own card.
    expect(await page.locator('.table-wrap').evaluate((w) => w.scrollWidth <= w.clientWidth)).toBe(true);
    const row = keyRows(page).first();
    const card = await row.boundingBox();
    for (const name of [/^Details/, /^Delete/]) {
      const link = await row.getByRole('link', { name }).boundingBox();
      expect(link.x + link.width).toBeLessThanOrEqual(390);
      expect(link.y).toBeGreaterThanOrEqual(card.y);
      expect(link.y + link.height).toBeLessThanOrEqual(card.y + card.height);
    }
    const createdBy = row.locator('td[data-label="Created by"]');
    await expect(createdBy).toBeVisible();
    // The card's label is for the eye: a screen reader has the column's header, and hears the
    // cell's value alone (innerText leaves generated content out).
    await expect(createdBy).toHaveAccessibleName((await createdBy.innerText()).trim());
    await expectNoAxeViolations(page, '.table-wrap');
    // The key's page too: its heading names the whole key, which wraps instead of widening the page.
    await keyRows(page).first().getByRole('link', { name: /^Details/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('onq.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

// The tools' code is fetched after the frame that first draws the rows; once it is here, a
// dashboard built anew draws its tools in the same frame as its rows, with no frame of the
// stand-in field in between.
test('back on the dashboard, the toolbar is drawn with the rows', async ({ page, problems }) => {
  await expect(page.locator('.toolbar:not([aria-busy])')).toBeVisible();
  await keyRows(page).first().getByRole('link', { name: /^Details/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('onq.');
  // When the rows are in again: whether the live toolbar is in the page by this frame's own
  // animation-frame callbacks (the page's run first, then the frame is drawn).
  await page.evaluate(() => {
    window.__toolbarWithRows = null;
    new MutationObserver((_, obs) => {
      if (!document.querySelector('table.keys-table tbody tr')) return;
      obs.disconnect();
      requestAnimationFrame(() => {
        window.__toolbarWithRows = document.querySelector('.toolbar:not([aria-busy])') !== null;
      });
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goBack();
  await expect.poll(() => page.evaluate(() => window.__toolbarWithRows)).not.toBeNull();
  expect(await page.evaluate(() => window.__toolbarWithRows)).toBe(true);
});

// The browser restores a page's scroll as the address changes, before the list is built again;
// the dashboard puts the person back itself: scrolled as they were, on the link they left by.
test('Back from a key\'s page returns to the place in the list', async ({ page, problems }) => {
  await page.setViewportSize({ width: 1280, height: 600 });
  await expect(page.locator('.toolbar:not([aria-busy])')).toBeVisible();
  const row = keyRows(page).last();
  const details = row.getByRole('link', { name: /^Details/ });
  await details.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(200);
  await details.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('onq.');
  await page.goBack();
  await expect(details).toBeFocused();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
  // And it stays there.
  await page.waitForTimeout(300);
  await expect(details).toBeFocused();
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
});

test('"/" moves to the search, and types a slash in a field', async ({ page, problems }) => {
  // On the live toolbar; before it, the stand-in field takes the shortcut (a test below).
  await expect(page.locator('.toolbar:not([aria-busy])')).toBeVisible();
  await page.locator('h1').first().click();
  await page.keyboard.press('/');
  const search = page.getByLabel('Search');
  await expect(search).toBeFocused();
  await page.keyboard.type('payments');
  await expect(search).toHaveValue('payments');
  await expect(page).toHaveURL(/q=payments/);
  for (const app of await keyRows(page).locator('td:nth-child(2)').allInnerTexts()) {
    expect(app).toBe('Payments API');
  }
  await page.keyboard.press('/');
  await expect(search).toHaveValue('payments/');
});

test('axe-core finds no violations on the dashboard', async ({ page }) => {
  await expectNoAxeViolations(page);
});

test.describe('in a browser set to India time', () => {
  test.use({ timezoneId: 'Asia/Kolkata' });

  // The exact time is the browser's tooltip and screen-reader text in the table, so the lines
  // have no tab stops for their times, and it is shown on the key's page.
  test('created shows relative time, and the exact time with its UTC offset to all', async ({ page, problems }) => {
    const exact = '\\d{1,2} [A-Z][a-z]{2} \\d{4}, \\d\\d:\\d\\d:\\d\\d \\(UTC\\+05:30\\)$';
    const created = keyRows(page).first().locator('td').nth(4).locator('.time-text');
    await expect(created.locator('[title]')).toHaveAttribute('title', new RegExp(`^${exact}`));
    // What a screen reader gets: the relative and the exact time, once (the tooltip's text is
    // hidden from it).
    await expect(created).toMatchAriaSnapshot(`- text: /^(just now|\\d+ \\w+ ago), ${exact}/`);
    const focusable = await page.locator('tbody .time-text').evaluateAll((all) => all.filter((e) => e.tabIndex >= 0).length);
    expect(focusable, 'no time is a tab stop').toBe(0);
    await keyRows(page).first().getByRole('link', { name: /^Details of / }).click();
    const shown = page.locator('.detail-grid dt:has-text("Created") + dd .time-exact');
    await expect(shown).toBeVisible();
    await expect(shown).toHaveText(new RegExp(`^, ${exact}`));
  });
});

test('the search and filters come a moment after the rows, and take over what was typed', async ({ page }) => {
  const release = await holdChunk(page, 'dashboard_tools');
  await page.goto('/');
  await expect(keyRows(page).first()).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveCount(0);
  const total = await keyRows(page).count();
  const search = page.getByLabel('Search');
  await search.click();
  await page.keyboard.type('pay');
  release();
  await expect(page.getByLabel('Status')).toBeVisible();
  await expect(page.getByLabel('Search')).toHaveValue('pay');
  await expect(page.getByLabel('Search')).toBeFocused();
  await expect.poll(() => keyRows(page).count()).toBeLessThan(total);
  await page.keyboard.type('ments');
  await expect(page.getByLabel('Search')).toHaveValue('payments');
  await expect(page).toHaveURL(/q=payments/);
});

test('"/" goes to the search before the toolbar is live, and what follows is kept', async ({ page, problems }) => {
  const release = await holdChunk(page, 'dashboard_tools');
  await page.goto('/');
  await expect(keyRows(page).first()).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveCount(0);
  await page.locator('h1').first().click();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).toBeFocused();
  await page.keyboard.type('pay');
  release();
  await expect(page.getByLabel('Status')).toBeVisible();
  await expect(page.getByLabel('Search')).toHaveValue('pay');
  await expect(page.getByLabel('Search')).toBeFocused();
  await page.keyboard.type('ments');
  await expect(page.getByLabel('Search')).toHaveValue('payments');
  await expect(page).toHaveURL(/q=payments/);
});

test('the search field has the focus as soon as the toolbar takes over', async ({ page }) => {
  const release = await holdChunk(page, 'dashboard_tools');
  await page.goto('/');
  await expect(keyRows(page).first()).toBeVisible();
  await page.getByLabel('Search').click();
  await page.keyboard.type('pay');
  // Once the toolbar's field is in the page, the focus must be in it before any other task can
  // run, such as the next keystroke (which would be lost, finding no field focused): checked in a
  // microtask queued when the field arrives, which runs before any task.
  await page.evaluate(() => {
    window.__focusedOnArrival = undefined;
    new MutationObserver((_, observer) => {
      const field = document.querySelector('.toolbar:not([aria-busy]) #key-search');
      if (!field) return;
      observer.disconnect();
      queueMicrotask(() => { window.__focusedOnArrival = document.activeElement === field; });
    }).observe(document.body, { childList: true, subtree: true });
  });
  release();
  await expect.poll(() => page.evaluate(() => window.__focusedOnArrival)).toBe(true);
  await page.keyboard.type('ments');
  await expect(page.getByLabel('Search')).toHaveValue('payments');
});

test('a search cleared by hand before the toolbar is live stays cleared', async ({ page }) => {
  const release = await holdChunk(page, 'dashboard_tools');
  await page.goto('/?q=pay');
  await expect(keyRows(page).first()).toBeVisible();
  const matching = await keyRows(page).count();
  await expect(page.getByLabel('Status')).toHaveCount(0);
  const search = page.getByLabel('Search');
  await expect(search).toHaveValue('pay');
  await search.fill('');
  release();
  await expect(page.getByLabel('Status')).toBeVisible();
  await expect(page.getByLabel('Search')).toHaveValue('');
  await expect.poll(() => keyRows(page).count()).toBeGreaterThan(matching);
  await expect(page).not.toHaveURL(/q=/);
});

test('a keyboard user lands on each page\'s heading, and the tab names the page', async ({ page, problems }) => {
  await expect(page).toHaveTitle('API Keys · Onqlave');
  const row = keyRows(page).filter({ has: page.getByTestId('delete-key') }).first();
  const key = await row.locator('code').innerText();
  await row.getByRole('link', { name: `Details of ${key}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/keys\/[^/]+$/);
  await expect(page.locator('h1:focus')).toHaveText(`API key ${key}`);
  await expect(page).toHaveTitle(`API key ${key} · Onqlave`);
  // Tab goes on from the heading, into the page, not from the top of the document.
  await page.keyboard.press('Tab');
  await expect(page.locator('.key-detail :focus')).toHaveAccessibleName('Copy API key');
  // The delete dialog takes the focus itself; Escape brings the person back to the key, on
  // the link that opened it, scrolled to (below the fold in a short window).
  const size = page.viewportSize();
  await page.setViewportSize({ width: size.width, height: 360 });
  await page.getByRole('link', { name: 'Delete API key' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveTitle('Delete API key · Onqlave');
  await expect(page.getByLabel(/Type the API key/)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/\/keys\/[^/]+$/);
  await expect(page.getByRole('link', { name: 'Delete API key' })).toBeFocused();
  await expect(page.getByRole('link', { name: 'Delete API key' })).toBeInViewport();
  await page.setViewportSize(size);
  // The way back is kept in the history entry: a reload of the dialog still returns to the key.
  await page.getByRole('link', { name: 'Delete API key' }).click();
  await expect(page.getByLabel(/Type the API key/)).toBeFocused();
  await page.reload();
  await expect(page.getByLabel(/Type the API key/)).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/keys\/[^/]+$/);
  await expect(page.locator('h1')).toHaveText(`API key ${key}`);
  // Closing went back in history: Back now leaves the key, it does not bring the dialog again.
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle('API Keys · Onqlave');
  await expect(page.locator('h1:focus')).toHaveText('API keys');
});
