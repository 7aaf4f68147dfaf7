// Playwright starts Chromium with its back/forward cache off; the browsers people use have it on
// and keep a page left for another site, to show it again, as it was, on Back. This file runs in
// a browser of its own with the cache on.
import fs from 'node:fs';
import { test, expect, createAsOwner, inJsHeap } from './fixtures.mjs';
import config from './playwright.config.mjs';

test.use({
  launchOptions: { ...config.use.launchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] },
});

/** Remembers on the page whether its next `pageshow` came from the back/forward cache. */
async function watchRestore(page) {
  await page.evaluate(() => addEventListener('pageshow', (e) => { window.__fromCache = e.persisted; }));
}

/** Leaves for another site (agreeing if asked) and comes back by Back; gives what was asked. */
async function awayAndBack(page, baseURL, problems) {
  // The other site is this platform under another name; for its page (a JSON file) the browser
  // asks for a /favicon.ico it does not have.
  problems.allowed.push(/favicon\.ico/);
  const asked = [];
  const onDialog = (d) => { asked.push(d.type()); d.accept(); };
  page.on('dialog', onDialog);
  const elsewhere = new URL('/config.json', baseURL);
  elsewhere.hostname = 'localhost';
  await page.goto(elsewhere.href);
  await page.goBack({ waitUntil: 'commit' });
  // The page the browser kept, not a new load of it.
  await expect.poll(() => page.evaluate(() => window.__fromCache)).toBe(true);
  page.off('dialog', onDialog);
  return asked;
}

test('a page left with the secrets on screen comes back on Back without them', async ({ page, baseURL, problems }) => {
  await createAsOwner(page);
  // The secrets, learnt from the file so that the test itself adds no copy to the page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const secrets = [file.server_signing_key, file.server_secret_key];
  await watchRestore(page);
  // Leaving asks first; the person agrees.
  expect(await awayAndBack(page, baseURL, problems)).toEqual(['beforeunload']);
  await expect(page).toHaveURL(/\/keys\/new\/key\?key=apikey--/);
  await expect(page.getByTestId('cannot-show-again')).toBeVisible();
  await expect(page.getByTestId('server-signing-key')).toHaveCount(0);
  expect(await inJsHeap(page, secrets)).toEqual([]);
});

test('Back from the page the cache kept goes on to the page before the new key', async ({ page, baseURL, problems }) => {
  await createAsOwner(page);
  await watchRestore(page);
  await awayAndBack(page, baseURL, problems);
  await expect(page.getByTestId('cannot-show-again')).toBeVisible();
  // The entry that guarded Back while the secrets were on screen is no stop of its own.
  await page.goBack({ waitUntil: 'commit' });
  await expect(page).toHaveURL(/\/keys\/new\/summary\?/);
});
