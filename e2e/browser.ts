import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

/** Debian's Chromium, headless, with the network chatter of a desktop browser switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Runs axe (WCAG 2.0/2.1 A and AA rules) on the page and fails with the violations listed. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ')}`,
  );
  expect(summary).toEqual([]);
}

/** Signs in through the sign-in page, as a user would. */
export async function signIn(
  page: Page,
  baseUrl: string,
  identifier: string,
  password = 'mosaique-demo-2026',
): Promise<void> {
  await page.goto(`${baseUrl}/connexion`, { waitUntil: 'load' });
  await page.getByLabel('Identifiant').fill(identifier);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

/**
 * One browser for the test file and a fresh context (cookies, storage) for each test. Call it at the
 * top of a test file: the handle it returns always acts on the current test's page.
 */
export function usePage(options: { viewport?: { width: number; height: number } } = {}): Page {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    const context = await browser.newContext({
      locale: 'fr-FR',
      ...(options.viewport ? { viewport: options.viewport } : {}),
    });
    page = await context.newPage();
  });
  afterEach(async () => {
    await page.context().close();
  });
  return new Proxy({} as Page, {
    get(_, property) {
      const value = Reflect.get(page, property);
      return typeof value === 'function' ? value.bind(page) : value;
    },
  });
}
