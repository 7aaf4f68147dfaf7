// Shared fixtures: every page records console errors and page errors, and a test fails on any.
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const test = base.extend({
  problems: async ({ page }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await use(problems);
    expect(problems, 'no console errors and no page errors').toEqual([]);
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
  await expect(page.locator('header.app-header nav')).toBeVisible();
}
