import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const page = usePage({ viewport: { width: 1280, height: 900 } });

async function openTerritory() {
  await page.goto(`${baseUrl}/territoire`, { waitUntil: 'load' });
  await page.getByTestId('svg-map').waitFor({ timeout: 30_000 });
}

async function openInteractiveMap() {
  await page.getByRole('button', { name: 'Explorer la carte (zoom et déplacement)' }).click();
  await page.locator('[data-testid=map][data-state=ready]').waitFor({ timeout: 30_000 });
}

describe('Territoire page', () => {
  it('is served as a production build, also when the browser tests built it (vitest sets NODE_ENV=test)', async () => {
    const html = await (await page.request.get(`${baseUrl}/`)).text();
    const main = html.match(/<script[^>]+src="([^"]+\.js)"/)?.[1];
    expect(main).toBeDefined();
    const script = await (await page.request.get(`${baseUrl}${main}`)).text();
    // React's development build (JSX dev runtime, owner stacks) is several times slower.
    expect(script).not.toContain('jsxDEV');
    expect(script).not.toContain('react-stack-top-frame');
  });

  it('draws the 49 communes and 201 IRIS on the map and lists the 49 communes with their QPV', async () => {
    await openTerritory();
    expect(await page.locator('[data-testid=svg-map] path[data-commune]').count()).toBe(49);
    expect(await page.locator('[data-testid=svg-map] path[data-iris]').count()).toBe(201);
    expect(await page.locator('[data-testid=commune-table] tbody tr').count()).toBe(49);
    const grenoble = page.locator('[data-testid=commune-table] tbody tr', { hasText: 'Grenoble' }).first();
    await expect.poll(() => grenoble.textContent()).toContain('Villeneuve - Village Olympique');
  });

  it('changes the legend when the user switches from poverty rate to median income', async () => {
    await openTerritory();
    const legend = page.getByTestId('legend');
    const before = await legend.textContent();
    expect(before).toContain('%');
    await page.getByLabel('Revenu disponible médian par unité de consommation').check();
    await expect.poll(() => legend.textContent()).toContain('€');
    expect(await legend.textContent()).not.toBe(before);
  });

  it('shows the IRIS in a table view, with « non diffusé » where INSEE withholds the value', async () => {
    await openTerritory();
    await page.getByRole('tab', { name: 'Tableau' }).click();
    const rows = page.locator('[data-testid=iris-table] tbody tr');
    expect(await rows.count()).toBe(201);
    expect(await page.getByTestId('iris-table').textContent()).toContain('non diffusé');
    expect(await page.getByTestId('iris-table').textContent()).toContain('Arlequin');
  });

  it('switches tabs with the keyboard alone', async () => {
    await openTerritory();
    await page.getByRole('tab', { name: 'Carte' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Tableau' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Tableau');
  });

  it('shows the details of an IRIS clicked on the map, and its value in a tooltip', async () => {
    await openTerritory();
    const arlequin = page.locator('path[data-iris="381850604"]');
    // filosofi-2018-disp-iris.csv, IRIS 381850604 (Arlequin): poverty rate 53.7 %.
    expect(await arlequin.locator('title').textContent()).toBe('Arlequin (Grenoble) : 53,7 %');
    await arlequin.click();
    const panel = page.getByLabel('IRIS sélectionné');
    await expect.poll(() => panel.textContent()).toContain('Arlequin (381850604)');
    expect(await panel.textContent()).toContain('Villeneuve - Village Olympique');
  });

  it('loads the interactive MapLibre map on demand, with the 49 communes and 201 IRIS', async () => {
    await openTerritory();
    const scripts = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .join(' '),
      );
    expect(await scripts()).not.toMatch(/MapView/); // not loaded with the page
    await openInteractiveMap();
    const map = page.getByTestId('map');
    expect(await map.getAttribute('data-communes')).toBe('49');
    expect(await map.getAttribute('data-iris')).toBe('201');
    // The map is fitted to the territory: its centre lies inside an IRIS. Click until the first
    // frame is drawn (a click before it finds no feature).
    const box = (await map.boundingBox())!;
    const panel = page.getByLabel('IRIS sélectionné');
    await expect
      .poll(async () => {
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        return panel.textContent();
      })
      .toMatch(/IRIS.*\(\d{9}\)/);
  });
});

describe('accessibility (axe, WCAG 2.1 AA)', () => {
  for (const [name, path] of [
    ['accueil', '/'],
    ['page introuvable', '/nulle-part'],
  ] as const) {
    it(`finds no violation on the ${name} page`, async () => {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
      await page.locator('h1').waitFor();
      await expectNoAxeViolations(page);
    });
  }

  it('finds no violation on the territoire page: map preview, interactive map and table views', async () => {
    await openTerritory();
    await expectNoAxeViolations(page);
    await openInteractiveMap();
    await expectNoAxeViolations(page);
    await page.getByRole('tab', { name: 'Tableau' }).click();
    await expectNoAxeViolations(page);
  });
});
