import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const page = usePage();

describe('equal-treatment audit page', () => {
  it('shows the analyst the adjusted odds ratios, the poorest flagged on the demo data, and what it proves', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/audit`, { waitUntil: 'load' });
    await page.getByTestId('audit-summary').waitFor({ timeout: 30_000 });
    expect(await page.locator('h1').textContent()).toBe('Audit d’égalité de traitement');
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toMatch(
      /Période du 01\/01\/2025 au 31\/12\/2025/,
    );
    // The demo reproduces the OFCE finding for the Défenseur des droits (docs/audit.md): applicants under
    // 800 € per consumption unit are housed less often within 12 months, score and typology equal.
    const row = page
      .getByTestId('audit-table-housed-within')
      .getByRole('row')
      .filter({ hasText: 'moins de 800 € par mois et par unité de consommation' });
    expect(await row.locator('td').last().textContent()).toBe('oui');
    expect(await page.locator('#methode ~ p').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/Ce qu’il ne prouve pas : une discrimination/)]),
    );
    await expectNoAxeViolations(page);
  });

  it('audits another period with the keyboard alone', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/audit`, { waitUntil: 'load' });
    await page.getByTestId('audit-summary').waitFor({ timeout: 30_000 });
    await page.getByLabel('Début de la période').fill('2024-01-01');
    await page.getByLabel('Fin de la période').fill('2024-12-31');
    // From the last field, Tab (through the date's day, month and year) reaches the button; Enter submits.
    await page.getByLabel('Fin de la période').focus();
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    for (let i = 0; i < 4 && (await focused()) !== 'Auditer'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Auditer');
    await page.keyboard.press('Enter');
    await expect
      // The audit reads and scores every demand of the period: slow on a loaded 2-core CI machine.
      .poll(() => page.getByRole('heading', { level: 2 }).first().textContent(), { timeout: 60_000 })
      .toMatch(/Période du 01\/01\/2024 au 31\/12\/2024/);
    await expectNoAxeViolations(page);
  }, 120_000);

  it('keeps the audit from the other roles', async () => {
    await signIn(page, baseUrl, 'bailleur@demo.mosaique.fr');
    await page.goto(`${baseUrl}/audit`, { waitUntil: 'load' });
    await expect
      .poll(() => page.locator('main').textContent())
      .toMatch(/réservé aux analystes de l’intercommunalité et aux administrateurs/);
    expect(await page.getByRole('link', { name: 'Audit d’égalité de traitement' }).count()).toBe(0);
    await expectNoAxeViolations(page);
  });
});
