import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
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
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  page = await context.newPage();
});

const reading = () => page.getByTestId('reading');
const statM = () => page.getByTestId('stat-m');

async function openObservatory(query = '') {
  await page.goto(`${baseUrl}/observatoire${query}`, { waitUntil: 'load' });
  // The first answer may load the snapshot of 216,000 households.
  await reading().waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByTestId('obs-result').getAttribute('aria-busy')).toBe('false');
}

/** Waits until the figure shown is no longer `before` (the answer to a new choice has arrived). */
async function changedFrom(before: string | null) {
  await expect.poll(() => reading().textContent(), { timeout: 20_000 }).not.toBe(before);
  await expect.poll(() => page.getByTestId('obs-result').getAttribute('aria-busy')).toBe('false');
}

describe('Observatoire page', () => {
  it('shows the headline indices with intervals and a reading, which change with variable, population and scale', async () => {
    await openObservatory();
    expect(await reading().textContent()).toContain(
      'Le revenu sépare davantage les ménages entre IRIS d’une même commune',
    );
    await expect
      .poll(() => statM().textContent(), { timeout: 20_000 })
      .toMatch(/Corrigé du biais : 0,\d+ \(IC à 95 % : 0,\d+ à 0,\d+\)/);
    expect(await statM().textContent()).toMatch(/Attendu sans ségrégation : 0,\d+/);

    let before = await reading().textContent();
    await page.getByRole('radio', { name: 'Type de ménage' }).check();
    await changedFrom(before);
    expect(await reading().textContent()).toMatch(/^Lecture\s*Le type de ménage sépare/);

    // Households outside the social stock have no residence: the choice is disabled and says why.
    const residence = page.getByRole('radio', { name: /Résidences du parc social/ });
    expect(await residence.isDisabled()).toBe(true);
    expect(await page.locator('#obs-scale-hint-residence').textContent()).toContain(
      'occupants du parc social et attributions seulement',
    );

    before = await reading().textContent();
    await page.getByRole('radio', { name: 'Occupants du parc social', exact: true }).check();
    await changedFrom(before);
    before = await reading().textContent();
    await residence.check();
    await changedFrom(before);
    expect(await reading().textContent()).toContain('entre résidences d’un même IRIS');
    expect(await page.getByTestId('decomposition').textContent()).toContain(
      'Entre résidences d’un même IRIS',
    );

    before = await reading().textContent();
    await page.getByLabel('Ménages logés par une attribution (bail signé dans l’année)').check();
    await changedFrom(before);
    const year = page.getByLabel('Année des baux');
    expect(await year.inputValue()).toMatch(/^20\d\d$/);
    expect(await reading().textContent()).toContain(`les ménages logés en ${await year.inputValue()}`);
    expect(page.url()).toContain('population=lettings');
  });

  it('sorts the units table from its column headers', async () => {
    await openObservatory('?variable=income-quartile&population=households&scale=iris');
    const table = page.getByTestId('units-table');
    const header = table.locator('th', { has: page.getByRole('button', { name: /^Ménages/ }) });
    expect(await table.locator('th[aria-sort=descending]').textContent()).toContain('Score local');
    const totals = async () =>
      (await table.locator('tbody tr td:nth-child(3)').allTextContents()).map((t) =>
        Number(t.replace(/\s/g, '')),
      );
    await page.getByRole('button', { name: /^Ménages/ }).click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const descending = await totals();
    expect(descending).toEqual(descending.toSorted((a, b) => b - a));
    await page.getByRole('button', { name: /^Ménages/ }).click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await totals();
    expect(ascending).toEqual(ascending.toSorted((a, b) => a - b));
    expect(ascending.every((n) => n >= 11)).toBe(true);
  });

  it('downloads every figure as CSV', async () => {
    await openObservatory('?variable=age-band&population=households&scale=commune');
    for (const [testId, header] of [
      ['csv-indices', 'epci,variable,population,echelle,annee,version_donnees,indice,valeur'],
      [
        'csv-decomposition',
        'epci,variable,population,echelle,annee,version_donnees,niveau,libelle,M,H,part_de_M',
      ],
      ['csv-units', 'epci,variable,population,echelle,annee,version_donnees,code,nom'],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
      expect(download.suggestedFilename()).toMatch(
        /^mosaique-200040715-.*-age-band-households-commune\.csv$/,
      );
      const content = readFileSync((await download.path())!, 'utf8');
      expect(content.startsWith(header)).toBe(true);
    }
  });

  it('draws the map of local scores by IRIS when its tab is shown', async () => {
    await openObservatory('?variable=income-quartile&population=households&scale=iris');
    expect(await page.getByTestId('obs-map').count()).toBe(0);
    await page.getByRole('tab', { name: 'Carte' }).click();
    await page.locator('[data-testid=obs-map][data-state=ready]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('obs-legend').textContent()).toContain(
      'secret statistique (valeur non diffusée)',
    );
    await page.getByLabel('Quotient de localisation du groupe choisi').check();
    await expect.poll(() => page.getByTestId('obs-legend').textContent()).toContain('de 0,90 à 1,10');
  });

  it('shows the schools tab: IPS by school on a chart, η² per commune, écoles without η²', async () => {
    await openObservatory();
    await page.getByRole('tab', { name: 'Écoles et collèges' }).click();
    const chart = page.getByTestId('ips-chart').getByRole('img');
    await chart.waitFor();
    expect(await chart.getAttribute('aria-labelledby')).toBeTruthy();
    const eta2 = page.getByTestId('eta2-table');
    expect(await eta2.locator('tbody tr').first().textContent()).toContain('Ensemble de l’EPCI');
    expect(await eta2.locator('tbody tr', { hasText: 'Grenoble' }).textContent()).toMatch(/\d,\d\s%$/);
    await page.getByRole('radio', { name: 'Écoles', exact: true }).check();
    await expect
      .poll(() => page.getByTestId('schools-note').textContent())
      .toContain('η² ne peut pas être calculé');
    expect(await eta2.textContent()).toContain('non calculable');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-eta2').click(),
    ]);
    expect(readFileSync((await download.path())!, 'utf8').split('\r\n')[0]).toContain('eta2');
  });

  it('can be used with the keyboard alone', async () => {
    await openObservatory('?variable=income-quartile&population=households&scale=iris');
    const focused = () =>
      page.evaluate(() => {
        const e = document.activeElement as HTMLInputElement | null;
        return `${e?.tagName} ${e?.name ?? ''} ${e?.textContent ?? ''}`;
      });
    for (let i = 0; i < 40 && !(await focused()).includes('obs-variable'); i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toContain('INPUT obs-variable');
    const before = await reading().textContent();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'Type de ménage' }).isChecked()).toBe(true);
    await changedFrom(before);
    for (let i = 0; i < 60 && !/^BUTTON\s+Ménages/.test(await focused()); i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^BUTTON\s+Ménages/);
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('units-table').locator('th[aria-sort]').textContent()).toContain('Ménages');
  });
});

describe('Observatoire under statistical secrecy', () => {
  it('says « secret » in words where a share, a quotient or a local score would reveal 1 to 10 households, and stays accessible', async () => {
    // A full year's lettings by IRIS (the year with most leases): small counts, many of them secret.
    const options = await (
      await page.request.get(`${baseUrl}/api/v1/territories/200040715/observatory`)
    ).json();
    const { year } = (options.lettings as { year: number; count: number | null }[]).reduce((a, b) =>
      (b.count ?? 0) > (a.count ?? 0) ? b : a,
    );
    await openObservatory(`?variable=household-type&population=lettings&scale=iris&year=${year}`);
    const table = page.getByTestId('units-table');
    expect(await table.locator('caption').textContent()).toMatch(
      /« secret » : valeur non diffusée, car elle révélerait un effectif de 1 à 10 ménages/,
    );
    const secret = table.locator('tbody td', { hasText: /^secret$/ });
    expect(await secret.count()).toBeGreaterThan(0);
    // Secret values sort last, whichever the direction.
    await page.getByRole('button', { name: /^Part « Personne seule »/ }).click();
    const shares = await table.locator('tbody tr td:nth-child(6)').allTextContents();
    const firstSecret = shares.indexOf('secret');
    expect(firstSecret).toBeGreaterThan(0);
    expect(shares.slice(firstSecret).every((t) => t === 'secret')).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole('tab', { name: 'Carte' }).click();
    await page.locator('[data-testid=obs-map][data-state=ready]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('obs-legend').textContent()).toContain('secret statistique');
    await expectNoAxeViolations(page);
  });
});

describe('Observatoire accessibility (axe, WCAG 2.1 AA)', () => {
  it('finds no violation on the default view, the residence scale, the map and the schools tab', async () => {
    await openObservatory();
    await expect.poll(() => statM().textContent(), { timeout: 20_000 }).toContain('IC à 95 %');
    await expectNoAxeViolations(page);
    const before = await reading().textContent();
    await page.getByRole('radio', { name: 'Occupants du parc social', exact: true }).check();
    await changedFrom(before);
    const again = await reading().textContent();
    await page.getByRole('radio', { name: /Résidences du parc social/ }).check();
    await changedFrom(again);
    await page.getByText('Comment lire ces indices').click();
    await expectNoAxeViolations(page);
    await page.getByRole('tab', { name: 'Carte' }).click();
    await page.locator('[data-testid=obs-map][data-state=ready]').waitFor({ timeout: 30_000 });
    await expectNoAxeViolations(page);
    await page.getByRole('tab', { name: 'Écoles et collèges' }).click();
    await page.getByTestId('ips-chart').waitFor();
    await page.getByText(/Données du graphique/).click();
    await expectNoAxeViolations(page);
  });

  it('disables a variable that cannot be measured for the population chosen, and stays accessible', async () => {
    await page.goto(`${baseUrl}/observatoire?variable=tenure&population=households&scale=commune`, {
      waitUntil: 'load',
    });
    await reading().waitFor({ timeout: 30_000 });
    // Tenure is disabled for social occupants: the page falls back to the income quartile.
    await page.getByRole('radio', { name: 'Occupants du parc social', exact: true }).check();
    expect(await page.getByRole('radio', { name: /^Statut d’occupation/ }).isDisabled()).toBe(true);
    expect(
      await page.getByRole('radio', { name: 'Quartile de revenu par unité de consommation' }).isChecked(),
    ).toBe(true);
    await expectNoAxeViolations(page);
  });
});
