// Sign-in, session and role-aware controls against the dev platform.
import { test, expect, signIn, keyRows, ACCOUNTS, PASSWORD, waitForApp } from './fixtures.mjs';

for (const [name, account] of Object.entries(ACCOUNTS)) {
  test(`${name} signs in and sees exactly the controls the role allows`, async ({ page, problems }) => {
    await signIn(page, account.email);
    await expect(page.getByTestId('user-role')).toHaveText(account.role);
    await expect(keyRows(page).first()).toBeVisible();
    const create = page.getByTestId('create-key');
    const deletes = page.getByTestId('delete-key');
    if (account.manages) {
      await expect(create).toBeVisible();
      expect(await deletes.count()).toBeGreaterThan(0);
    } else {
      // Absent from the DOM, not hidden.
      await expect(create).toHaveCount(0);
      await expect(deletes).toHaveCount(0);
    }
  });
}

test('a reload keeps the session, sign-out ends it everywhere', async ({ page, context, problems }) => {
  await signIn(page, ACCOUNTS.owner.email);
  const other = await context.newPage();
  await other.goto('/');
  await expect(other.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.reload();
  await waitForApp(page);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The other tab follows, and its key data is gone from the page.
  await expect(other.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(keyRows(other)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await other.close();
});

// Tabs restored together (a browser restart) each refresh the session with the one cookie they
// share; the platform takes a cookie presented again only once, so the refreshes go one at a time.
test('tabs reloaded together all keep the sign-in', async ({ page, context, request, problems }) => {
  await signIn(page, ACCOUNTS.owner.email);
  const tabs = [page, await context.newPage(), await context.newPage()];
  for (const tab of tabs.slice(1)) {
    await tab.goto('/');
    await expect(tab.getByRole('button', { name: 'Sign out' })).toBeVisible();
  }
  // Each refresh answers after 300 ms: sent together, they would reach the platform together.
  const set = await request.put('/__faults', { data: { rules: [{ route: 'refresh', times: 0, respond: { hang_ms: 300 } }] } });
  expect(set.status(), await set.text()).toBe(200);
  try {
    await Promise.all(tabs.map((tab) => tab.reload()));
    for (const tab of tabs) {
      await expect(tab.getByRole('button', { name: 'Sign out' })).toBeVisible();
      await expect(keyRows(tab).first()).toBeVisible();
    }
  } finally {
    expect((await request.delete('/__faults', { data: {} })).status()).toBe(200);
  }
  for (const tab of tabs.slice(1)) await tab.close();
});

test('a wrong password shows the error and keeps the form', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('E-mail address').fill(ACCOUNTS.developer.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('e-mail address or password is incorrect');
  await expect(page.getByLabel('E-mail address')).toHaveValue(ACCOUNTS.developer.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('a deep link survives signing in, with its query', async ({ page, problems }) => {
  await page.goto('/?status=active&q=pay');
  await expect(page).toHaveURL(/\/sign-in\?return_to=/);
  await page.getByLabel('E-mail address').fill(ACCOUNTS.owner.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/\?status=active&q=pay$/);
  await expect(page.getByLabel('Search')).toHaveValue('pay');
});

test('an outside return path is ignored', async ({ page, baseURL }) => {
  await page.goto('/sign-in?return_to=%2F%2Fevil.example%2Fx');
  await page.getByLabel('E-mail address').fill(ACCOUNTS.owner.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', exact: true })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL).origin);
  expect(new URL(page.url()).pathname).toBe('/');
  expect(page.url()).not.toContain('evil');
});

test('no token or key data is kept in browser storage or readable cookies', async ({ page, problems }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await expect(keyRows(page).first()).toBeVisible();
  const refresh = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/refresh');
  await page.reload();
  const { token } = (await (await refresh).json()).data;
  expect(token.length).toBeGreaterThan(20);
  await expect(keyRows(page).first()).toBeVisible();
  // Nor in the address, the history entry or any console message.
  const here = await page.evaluate(() => JSON.stringify({ url: location.href, state: history.state }));
  expect(here).not.toContain(token);
  expect(problems.logged.join('\n')).not.toContain(token);
  const stored = await page.evaluate(async () => ({
    local: Object.keys(localStorage).length,
    session: Object.keys(sessionStorage).length,
    cookies: document.cookie,
    idb: (await indexedDB.databases()).length,
  }));
  expect(stored).toEqual({ local: 0, session: 0, cookies: '', idb: 0 });
  const cookies = await page.context().cookies();
  for (const c of cookies) {
    expect(c.httpOnly, `${c.name} is HttpOnly`).toBe(true);
    expect(c.sameSite).toBe('Strict');
  }
});

test('a signed-out visit is quiet: the session check is a 200, and nothing is logged', async ({ page, problems }) => {
  const refresh = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/refresh');
  await page.goto('/');
  const answer = await refresh;
  expect(answer.status()).toBe(200);
  expect((await answer.json()).data).toBeNull();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The fixture fails the test on any console error: a red 401 here would.
  expect([...problems]).toEqual([]);
});
