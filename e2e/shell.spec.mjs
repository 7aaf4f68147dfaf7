// The shell: the release bundle boots, deep links are served, the page is accessible.
import { test, expect, expectNoAxeViolations, waitForApp } from './fixtures.mjs';

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
