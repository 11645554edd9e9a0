import { readFile } from 'node:fs/promises';
import { parseCsv } from '@mosaique/domain/shared/csv.ts';
import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const page = usePage();

/** Every count of a CSV download (the columns with a `_secret` companion), as text. */
function counts(text: string): { value: string; secret: string }[] {
  const [header, ...rows] = parseCsv(text).map((r) => r.fields);
  const counted = header!.filter((h) => header!.includes(`${h}_secret`));
  return rows.flatMap((r) =>
    counted.map((c) => ({ value: r[header!.indexOf(c)]!, secret: r[header!.indexOf(`${c}_secret`)]! })),
  );
}

async function openPage() {
  await page.goto(`${baseUrl}/donnees-ouvertes`, { waitUntil: 'load' });
  // The first answer may load the snapshot of the demo territory's households.
  await page.getByTestId('open-data-review').waitFor({ timeout: 30_000 });
}

describe('Données ouvertes page', () => {
  it('is in the main navigation and open to everyone signed out: indices, the review’s targets and breakdowns', async () => {
    await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Données ouvertes' })
      .click();
    await page.getByTestId('open-data-review').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Données ouvertes');
    expect(await page.getByTestId('open-data-summary').textContent()).toMatch(/Licence Ouverte/);
    expect(await page.locator('[data-testid=open-data-indices] tbody tr').count()).toBe(4);
    expect(await page.getByTestId('open-data-review').textContent()).toMatch(
      /Baux signés en 2025 : [\d\s ]+\./,
    );
    // The breakdowns arrive after the catalogue: « s » marks a secret count, read « secret statistique ».
    await page.getByRole('heading', { name: 'Bilan CIA 2025 par réservataire' }).waitFor();
    expect(
      await page.locator('main table').filter({ hasText: 'secret statistique' }).count(),
    ).toBeGreaterThan(0);
    await expectNoAxeViolations(page);
  });

  it('changes year with the keyboard alone', async () => {
    await openPage();
    await page.getByLabel('Année des attributions et du bilan').focus();
    await page.getByLabel('Année des attributions et du bilan').selectOption('2024');
    await expect
      .poll(() => page.getByTestId('open-data-review').textContent(), { timeout: 20_000 })
      .toMatch(/Baux signés en 2024/);
    await expectNoAxeViolations(page);
  });

  it('downloads CSV and GeoJSON files in which no count from 1 to 10 appears (the whole demo territory)', async () => {
    await openPage();
    const links = page.getByTestId('open-data-downloads').getByRole('link');
    const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.filter((h) => h.includes('format=csv')).length).toBe(8);
    expect(hrefs.filter((h) => h.includes('format=geojson')).length).toBe(6);

    // A click downloads the file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV : Ménages par quartile de revenu' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mosaique-200040715-menages-quartile.csv');
    const first = await readFile((await download.path())!, 'utf8');
    expect(first.split('\r\n')[0]).toBe(
      'niveau,code,libelle,parent,q1,q1_secret,q2,q2_secret,q3,q3_secret,q4,q4_secret,total,total_secret',
    );

    let secret = 0;
    let published = 0;
    for (const href of hrefs) {
      const res = await page.request.get(href);
      expect(res.status(), href).toBe(200);
      if (href.includes('format=csv')) {
        expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
        for (const c of counts(await res.text())) {
          if (c.secret === 'oui') {
            expect(c.value).toBe('');
            secret++;
          } else {
            const n = Number(c.value);
            expect(n === 0 || n >= 11, `${href}: ${c.value}`).toBe(true);
            published++;
          }
        }
      } else {
        expect(res.headers()['content-type']).toBe('application/geo+json; charset=utf-8');
        const geo = (await res.json()) as { features: { properties: Record<string, unknown> }[] };
        expect(geo.features.length).toBeGreaterThan(0);
        for (const f of geo.features) {
          for (const [key, value] of Object.entries(f.properties)) {
            if (!key.endsWith('_secret')) continue;
            const n = f.properties[key.replace(/_secret$/, '')] as number | null;
            if (value === true) expect(n).toBeNull();
            else expect(n === 0 || (n as number) >= 11, `${href}: ${key} ${n}`).toBe(true);
          }
        }
      }
    }
    expect(published).toBeGreaterThan(secret);
  });
});

describe('CIA review XLSX link', () => {
  it('downloads the review as a workbook from /bilan', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/bilan`, { waitUntil: 'load' });
    await page.getByTestId('review-summary').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'le bilan (XLSX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('bilan-cia-200040715-2025.xlsx');
    const file = await readFile((await download.path())!);
    expect(file.subarray(0, 2).toString()).toBe('PK');
  });
});
