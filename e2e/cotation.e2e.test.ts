import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const applicant = inject('demoApplicant');
const page = usePage();

describe('cotation', () => {
  it('publishes the grid in force to everyone, criterion by criterion', async () => {
    await page.goto(`${baseUrl}/cotation`, { waitUntil: 'load' });
    const rows = page.locator('[data-testid=grid-table] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(10);
    expect(await page.getByTestId('grid-table').textContent()).toContain('par mois d’ancienneté');
    expect(await page.getByTestId('versions-table').count()).toBe(0); // analysts only
    await expectNoAxeViolations(page);
  });

  it('shows applicants their score, its breakdown, their position and the waiting time', async () => {
    await signIn(page, baseUrl, applicant);
    await page.goto(`${baseUrl}/ma-demande`, { waitUntil: 'load' });
    await page.getByTestId('score-total').waitFor();
    const total = Number((await page.getByTestId('score-total').textContent())!.replace(/\s/g, ''));
    const points = await page.locator('[data-testid=breakdown-table] tbody td.num').allTextContents();
    const counted = points
      .filter((p) => !p.startsWith('('))
      .reduce((s, p) => s + Number(p.replace(/\s/g, '')), 0);
    expect(counted).toBe(total);
    expect(await page.getByTestId('similar-table').textContent()).toMatch(/\d+e sur \d+/);
    await expectNoAxeViolations(page);
  });

  it('lets the analyst refuse an invalid grid, save a draft, simulate it and activate it with progress', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/cotation`, { waitUntil: 'load' });
    const editor = page.getByLabel('Grille (JSON, voir docs/cotation.md pour le format)');
    const original = await editor.inputValue();
    await editor.fill(JSON.stringify({ ...JSON.parse(original), criteria: [] }));
    await page.getByRole('button', { name: 'Enregistrer comme brouillon' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('La grille n’est pas valide');
    const grid = JSON.parse(original);
    grid.label = `${grid.label} (essai)`;
    await editor.fill(JSON.stringify(grid, null, 2));
    await page.getByRole('button', { name: 'Enregistrer comme brouillon' }).click();
    const draftVersion = grid.version + 1;
    await page.getByRole('button', { name: `Simuler la version ${draftVersion}` }).click();
    await page.getByTestId('simulation-table').waitFor();
    expect(await page.getByTestId('simulation-table').textContent()).toContain('Toutes les demandes');
    await expectNoAxeViolations(page);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Activer la version ${draftVersion}` }).click();
    await expect
      .poll(() => page.locator('[aria-live]').first().textContent(), { timeout: 30_000 })
      .toMatch(/terminé/);
    await expect
      .poll(() => page.getByTestId('grid-table').locator('..').locator('..').textContent())
      .toContain(`version ${draftVersion}`);
  });
});
