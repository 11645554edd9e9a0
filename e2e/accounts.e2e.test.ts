import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const page = usePage();

describe('sign-in', () => {
  it('signs a demo agent in with the keyboard alone, shows who is signed in, then signs out', async () => {
    await page.goto(`${baseUrl}/connexion`, { waitUntil: 'load' });
    await page.getByLabel('Identifiant').focus();
    await page.keyboard.type('analyste@demo.mosaique.fr');
    await page.keyboard.press('Tab');
    await page.keyboard.type('mosaique-demo-2026');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.session').textContent())
      .toContain('Analyste habitat de la Métropole');
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => page.locator('.session').textContent()).toContain('Se connecter');
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).json());
    expect(session).toEqual({ user: null, csrfToken: null });
  });

  it('says when the identifier or password is wrong, without telling which', async () => {
    await page.goto(`${baseUrl}/connexion`, { waitUntil: 'load' });
    await page.getByLabel('Identifiant').fill('analyste@demo.mosaique.fr');
    await page.getByLabel('Mot de passe').fill('pas le bon');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('identifiant ou mot de passe incorrect');
  });

  it('finds no accessibility violation on the sign-in and activation pages', async () => {
    for (const path of ['/connexion', '/activation']) {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
      await page.locator('h1').waitFor();
      await expectNoAxeViolations(page);
    }
  });
});
