// A panic never leaves a frozen page: the panel says so and offers a reload that works. Runs on
// the instrumented build (dist-bench), the only one with a way to provoke a panic.
import { benchURL } from './playwright.config.mjs';
import { test, expect, expectNoAxeViolations, signIn, ACCOUNTS, keyRows } from './fixtures.mjs';

test.use({ baseURL: benchURL });

test('a panic shows a panel with a reload that brings the console back', async ({ page, problems }) => {
  await signIn(page, ACCOUNTS.owner.email);
  await expect(keyRows(page).first()).toBeVisible();
  // The wasm traps; a build with panic messages logs the message first (how a bug gets reported).
  problems.allowed.push(/panic provoked by the end-to-end test/, /unreachable|RuntimeError/);
  await page.evaluate(() => window.wasmBindings.panicForTest());
  const panel = page.getByRole('alert').filter({ hasText: 'Something went wrong' });
  await expect(panel).toBeVisible();
  await expect(page.getByRole('link', { name: 'Reload' })).toBeFocused();
  // What no longer responds is out of reach.
  expect(await page.locator('header.app-header').evaluate((el) => el.closest('[inert]') !== null)).toBe(true);
  await expectNoAxeViolations(page, '#panic-panel');
  await page.getByRole('link', { name: 'Reload' }).click();
  await expect(keyRows(page).first()).toBeVisible();
  await expect(panel).toHaveCount(0);
});
