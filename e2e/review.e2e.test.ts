import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const page = usePage();

describe('CIA review page', () => {
  it('shows the analyst the targets with the gap in households, the breakdowns and the trend', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/bilan`, { waitUntil: 'load' });
    await page.getByTestId('review-summary').waitFor();
    expect(await page.getByTestId('review-summary').textContent()).toMatch(
      /baux signés du 1er janvier au 31\/12\/2025/,
    );
    // The demo population misses target 1 (docs/demo-population.md): the gap is written in households.
    expect(await page.locator('.target-chart').first().textContent()).toMatch(/\d+ manquants/);
    expect(await page.locator('[data-testid=trend-table] tbody tr').count()).toBe(3);
    await expectNoAxeViolations(page);
  });

  it('changes year and date with the form, keyboard only', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/bilan`, { waitUntil: 'load' });
    await page.getByTestId('review-summary').waitFor();
    await page.getByLabel('Année').selectOption('2024');
    await page.getByLabel('À date (facultatif)').fill('2024-06-30');
    // The page says it is computing, and shows the period asked once its review is in.
    const answered = page.waitForResponse((r) => r.url().includes('cia-review?year=2024&until=2024-06-30'));
    await page.getByLabel('À date (facultatif)').press('Enter');
    expect((await answered).status()).toBe(200);
    await expect.poll(() => page.getByTestId('review-summary').textContent()).toMatch(/au 30\/06\/2024/);
    expect(await page.getByTestId('review-status').textContent()).toBe('');
    expect(await page.locator('main').textContent()).toMatch(/Au rythme actuel/);
  });

  it('keeps the detailed review from applicants', async () => {
    await signIn(page, baseUrl, inject('demoApplicant'));
    await page.goto(`${baseUrl}/bilan`, { waitUntil: 'load' });
    await expect.poll(() => page.locator('main').textContent()).toMatch(/réservé aux partenaires/);
    await expectNoAxeViolations(page);
  });
});
