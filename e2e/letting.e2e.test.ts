import type { Cookie, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const applicant = inject('demoApplicant');
const page = usePage();
const EPCI = '200040715';

/*
 * Vacant homes of landlord ll-1 (bailleur@) in the demo population (seed 2026). The demo applicant's
 * household has two persons (at most a T3: a T4 or T5 is under-occupied) and its income is under
 * the PLUS ceiling. The applicant's journey publishes through the API with these ids; the landlord's
 * picks its homes in the form's list of vacant homes (GET /vacant-homes).
 */
const HOMES = {
  eligibleT2: ['home-007242', 'home-008826', 'home-011520'],
  ineligibleT5: 'home-009881',
  landlordT3: 'home-004914',
  landlordToWithdraw: 'home-005497',
};
const DESCRIPTION = 'Appartement lumineux, proche du tram et des écoles, cuisine séparée, cave.';
/** Marks the adverts of the applicant's journey, so that other published adverts (demo) do not count. */
const MARK = 'Annonce du parcours demandeur.';

/** Calls the API from the signed-in page, with the session's anti-forgery token. */
async function api<T>(p: Page, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const session = await (await p.request.get(`${baseUrl}/api/v1/auth/session`)).json();
  const response = await p.request.fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** Presses Tab until the focused element matches, as a keyboard user would reach it. */
async function tabTo(
  p: Page,
  matches: (el: { tag: string; text: string; card: string }) => boolean,
  max = 600,
) {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    const el = await p.evaluate(() => ({
      tag: document.activeElement?.tagName ?? '',
      text: (document.activeElement?.textContent ?? '').trim(),
      card: document.activeElement?.closest('article')?.textContent ?? '',
    }));
    if (matches(el)) return;
  }
  throw new Error('élément jamais atteint au clavier');
}

/** Chooses the option whose text contains `text`. */
async function selectContaining(select: Locator, text: string) {
  const value = await select.evaluate(
    (el, t) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes(t))?.value ?? '',
    text,
  );
  expect(value, `option « ${text} »`).not.toBe('');
  await select.selectOption(value);
}

/**
 * Signs in through the sign-in page the first time, then reuses the session's cookies: the platform
 * allows 10 logins a minute per address for the whole browser suite.
 */
const sessions = new Map<string, Cookie[]>();
async function signInAs(p: Page, identifier: string) {
  const saved = sessions.get(identifier);
  if (saved) {
    await p.context().addCookies(saved);
    return;
  }
  await signIn(p, baseUrl, identifier);
  sessions.set(identifier, await p.context().cookies());
}

const focusedTestId = (p: Page) =>
  p.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');

describe('location choisie', () => {
  it('lists the published adverts to everyone, with the rent and the closing date', async () => {
    await signInAs(page, 'bailleur@demo.mosaique.fr');
    const now = Date.now();
    const cycle = await api<{ id: string }>(page, 'POST', '/letting-cycles', {
      epci: EPCI,
      name: 'Cycle demandeurs (e2e)',
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 7 * 86_400_000).toISOString(),
      maxActiveApplications: 2,
    });
    for (const homeId of [...HOMES.eligibleT2, HOMES.ineligibleT5])
      await api(page, 'POST', '/adverts', {
        homeId,
        cycleId: cycle.id,
        description: `${DESCRIPTION} ${MARK}`,
        energyLabel: 'D',
        publish: true,
      });
    await page.context().clearCookies();
    await page.goto(`${baseUrl}/annonces`, { waitUntil: 'load' });
    const mine = page.getByTestId('advert-card').filter({ hasText: MARK });
    await expect.poll(() => mine.count()).toBe(4);
    const text = await mine.first().textContent();
    expect(text).toMatch(/par mois/);
    expect(text).toMatch(/Candidatures jusqu’au/);
    expect(await page.getByRole('button', { name: 'Candidater' }).count()).toBe(0); // signed out
    await expectNoAxeViolations(page);
  });

  it('counts every advert by commune on the map when the list shows only the first ones, then narrows to a commune', async () => {
    // The demo's 48 adverts and the 4 just published: more than the list's first 50.
    await page.goto(`${baseUrl}/annonces?vue=carte`, { waitUntil: 'load' });
    await expect
      .poll(() => page.getByTestId('advert-count').textContent())
      .toMatch(/^Les 50 premières des \d+ annonces\.$/);
    const map = page.getByTestId('adverts-map');
    const communes = map.getByTestId('commune-marker');
    await expect.poll(() => communes.count()).toBeGreaterThan(1);
    expect(await map.getByTestId('advert-marker').count()).toBe(0);
    const labels = await communes.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const counts = labels.map((l) => Number(l.match(/ : (\d+) annonces? — les afficher$/)?.[1]));
    const total = counts.reduce((a, b) => a + b, 0);
    const api = await (await page.request.get(`${baseUrl}/api/v1/advert-places`)).json();
    expect([total, counts.every((n) => n > 0)]).toEqual([api.total, true]);
    expect(total).toBeGreaterThan(50);
    expect(await page.getByTestId('advert-count').textContent()).toBe(
      `Les 50 premières des ${total} annonces.`,
    );
    expect(await page.getByTestId('map-reading').textContent()).toContain(`${total} annonces correspondent`);
    expect(await page.locator('.letting-map-text li').count()).toBe(counts.length);
    await expectNoAxeViolations(page);

    // A commune chosen with the keyboard: the search narrows to it and the map shows each advert.
    const i = counts.indexOf(Math.min(...counts));
    const commune = labels[i]!.split(' : ')[0]!;
    await communes.nth(i).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => map.getByTestId('advert-marker').count()).toBe(counts[i]);
    expect(new URL(page.url()).searchParams.get('communes')).toMatch(/^\d[\dAB]\d{3}$/);
    expect(await page.getByRole('checkbox', { name: commune, exact: true }).isChecked()).toBe(true);
    expect(await page.getByTestId('advert-count').textContent()).toMatch(
      new RegExp(`^${counts[i]} annonces?\\.`),
    );
    await expectNoAxeViolations(page);
  });

  it('takes an applicant through filtering, ineligibility, applying, the limit and withdrawing', async () => {
    await signInAs(page, applicant);
    await page.goto(`${baseUrl}/annonces`, { waitUntil: 'load' });
    const mine = page.getByTestId('advert-card').filter({ hasText: MARK });
    // Only the homes they are eligible for, by default: the T5 is left out.
    await expect
      .poll(() => page.getByTestId('advert-count').textContent())
      .toMatch(/auxquelles vous êtes éligible/);
    await expect.poll(() => mine.count()).toBe(3);
    expect(await mine.locator('h3').allTextContents()).not.toContainEqual(expect.stringMatching(/^T5/));
    await expectNoAxeViolations(page);

    // Filter: T5 and the ineligible homes too; the reason is given in plain French.
    await page.getByRole('checkbox', { name: 'T5' }).check();
    await page.getByRole('checkbox', { name: /pas éligible/ }).check();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect.poll(() => mine.count()).toBe(1);
    const card = mine;
    expect(await card.textContent()).toContain('Vous n’êtes pas éligible à ce logement');
    expect(await card.getByTestId('ineligibility-reasons').textContent()).toContain('sous-occupation');
    expect(await card.getByRole('button', { name: 'Candidater' }).count()).toBe(0);
    expect(new URL(page.url()).search).toContain('typologies=5');
    await expectNoAxeViolations(page);

    // Back to the T2 they are eligible for; the rank they would have is shown before applying.
    await page.getByRole('checkbox', { name: 'T5' }).uncheck();
    await page.getByRole('checkbox', { name: 'T2' }).check();
    await page.getByRole('checkbox', { name: /pas éligible/ }).uncheck();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect.poll(() => mine.count()).toBe(3);
    await expect.poll(() => mine.getByTestId('chance').first().textContent()).toMatch(/si vous candidatez/);

    // The same adverts on the map: a marker per home, reached with the keyboard, opening the advert.
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Carte');
    await page.keyboard.press('Enter');
    const map = page.getByTestId('adverts-map');
    await map.waitFor();
    expect(new URL(page.url()).search).toContain('vue=carte');
    const count = Number((await page.getByTestId('advert-count').textContent())?.match(/\d+/)?.[0]);
    await expect.poll(() => map.getByTestId('advert-marker').count()).toBe(count);
    // Its text equivalent lists the same adverts by commune.
    expect(await page.locator('.letting-map-text li li').count()).toBe(count);
    await expectNoAxeViolations(page);
    // From the switch, Tab reaches the first marker (an SVG link: lower-case tag name).
    await tabTo(page, (el) => el.tag === 'a', 20);
    const markerName = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(markerName).toMatch(/^T2 de \d+ m² à .+ par mois$/);
    await page.keyboard.press('Enter');
    const opened = page.getByTestId('opened-advert');
    await opened.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('advert-card');
    expect(await opened.getByTestId('chance').textContent()).toMatch(/chance/);
    await expectNoAxeViolations(page);
    // Filters apply to the map too: no T6 among the listed homes.
    await page.getByRole('checkbox', { name: 'T2' }).uncheck();
    await page.getByRole('checkbox', { name: 'T6' }).check();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect.poll(() => page.getByTestId('advert-count').textContent()).toMatch(/Aucune annonce/);
    await expect.poll(() => map.getByTestId('advert-marker').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'T6' }).uncheck();
    await page.getByRole('checkbox', { name: 'T2' }).check();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('button', { name: 'Liste' }).click();
    await expect.poll(() => mine.count()).toBe(3);
    expect(new URL(page.url()).search).not.toContain('vue=carte');

    // Apply twice with the keyboard alone: Tab to the button, Enter; the focus lands on the message.
    for (let i = 0; i < 2; i++) {
      await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Candidater' && el.card.includes(MARK));
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedTestId(page)).toBe('letting-notice');
      expect(await page.getByRole('status').textContent()).toContain('Candidature enregistrée');
    }
    await expect
      .poll(() => mine.getByTestId('chance').allTextContents())
      .toContainEqual(expect.stringMatching(/chance forte\s*1er sur 1 candidat/));
    // The limit of the cycle (2) is reached: the third is refused with the message, focused.
    await mine.getByRole('button', { name: 'Candidater' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedTestId(page)).toBe('letting-notice');
    expect(await page.getByRole('alert').textContent()).toMatch(
      /limite atteinte : 2 candidatures actives au plus/i,
    );
    await expectNoAxeViolations(page);

    // Follow the applications and withdraw one.
    await page.getByRole('link', { name: 'Mes candidatures' }).first().click();
    await page.getByTestId('applications-table').waitFor();
    expect(await page.getByTestId('application-status').allTextContents()).toEqual(['en cours', 'en cours']);
    expect(await page.getByTestId('cycle-usage').textContent()).toContain(
      'Cycle demandeurs (e2e) : 2 candidatures en cours sur 2 permises.',
    );
    await expectNoAxeViolations(page);
    await page
      .getByRole('button', { name: /^Retirer la candidature/ })
      .first()
      .click();
    await expect.poll(() => focusedTestId(page)).toBe('letting-notice');
    await expect
      .poll(() => page.getByTestId('application-status').allTextContents())
      .toContainEqual(expect.stringMatching(/^retirée/));

    // The slot is back: the third advert can be applied to.
    await page.goto(`${baseUrl}/annonces?typologies=2`, { waitUntil: 'load' });
    await mine.getByRole('button', { name: 'Candidater' }).first().waitFor();
    await mine.getByRole('button', { name: 'Candidater' }).first().click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Candidature enregistrée');
    expect(await mine.getByRole('button', { name: 'Retirer ma candidature' }).count()).toBe(2);
  });

  it('lets a landlord agent open a cycle, publish, apply on behalf, withdraw, close and read the shortlist', async ({
    task,
  }) => {
    // A retried run (vitest.config.ts) opens its own cycle.
    const cycle = `Cycle bailleur (e2e${task.result?.retryCount ? ` ${task.result.retryCount + 1}` : ''})`;
    await signInAs(page, 'bailleur@demo.mosaique.fr');
    await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
    await page.getByRole('link', { name: 'Gestion des annonces' }).click();
    await page.getByRole('heading', { name: 'Cycles de location' }).waitFor();
    await expectNoAxeViolations(page);

    // Open a cycle (dates prefilled: now and in two weeks).
    await page.getByLabel('Nom du cycle').fill(cycle);
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Ouvrir le cycle');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`Cycle « ${cycle} » ouvert`);
    expect(await focusedTestId(page)).toBe('letting-notice');

    // An advert: every field checked before sending; a draft, then published.
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Créer l’annonce' }) });
    await selectContaining(form.getByLabel('Cycle de location'), cycle);
    await form.getByLabel('Description').fill('Trop court');
    await page.getByRole('button', { name: 'Créer l’annonce' }).click();
    // No home chosen yet: the first error, focused, is the home's.
    expect(await form.locator('.field-error').allTextContents()).toEqual([
      'Choisissez le logement vacant à proposer.',
      expect.stringContaining('au moins 20 caractères'),
    ]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'vacant-home',
    );
    await expectNoAxeViolations(page);
    // The home is picked among the landlord's vacant homes (not typed).
    await selectContaining(form.getByLabel('Logement vacant'), HOMES.landlordT3);
    await form.getByLabel('Description').fill(DESCRIPTION);
    await form.getByLabel('Étiquette énergie (DPE)').selectOption('C');
    // A photo needs its alternative text.
    const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#b07040' } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '45/1 11/1 30/1' } })
      .toBuffer();
    await form.getByLabel('Photo (facultative)').setInputFiles({
      name: 'sejour.jpg',
      mimeType: 'image/jpeg',
      buffer: photo,
    });
    await page.getByRole('button', { name: 'Créer l’annonce' }).click();
    expect(await form.locator('.field-error').textContent()).toContain('texte alternatif est obligatoire');
    expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/-alt$/);
    await expectNoAxeViolations(page);
    await page.keyboard.type('Séjour lumineux avec parquet');
    await page.getByRole('button', { name: 'Créer l’annonce' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('enregistrée comme brouillon : T3');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('avec sa photo');
    // Once advertised, the home leaves the list of vacant homes.
    await expect.poll(() => form.getByLabel('Logement vacant').textContent()).not.toContain(HOMES.landlordT3);

    await page.getByRole('button', { name: new RegExp(`Ouvrir l’annonce .*${HOMES.landlordT3}`) }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('advert-detail-title');
    const photos = page
      .getByTestId('advert-detail')
      .getByRole('img', { name: 'Séjour lumineux avec parquet' });
    await expect.poll(() => photos.count()).toBe(1);
    // Served resized, without its metadata.
    const src = await photos.first().getAttribute('src');
    const served = await page.request.get(`${baseUrl}${src}`);
    expect(served.headers()['content-type']).toBe('image/webp');
    const meta = await sharp(await served.body()).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([400, 250, undefined]);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Annonce publiée.');

    // Published: everyone sees the photo on the advert, with its alternative text.
    await page.context().clearCookies();
    await page.goto(`${baseUrl}/annonces?typologies=3`, { waitUntil: 'load' });
    const shown = page.getByTestId('advert-card').getByRole('img', { name: 'Séjour lumineux avec parquet' });
    await expect.poll(() => shown.count()).toBe(1);
    expect(await shown.getAttribute('width')).toBe('400');
    await expectNoAxeViolations(page);
    await signInAs(page, 'bailleur@demo.mosaique.fr');
    await page.goto(`${baseUrl}/gestion-annonces`, { waitUntil: 'load' });
    await page.getByRole('button', { name: new RegExp(`Ouvrir l’annonce .*${HOMES.landlordT3}`) }).waitFor();

    // Assisted applying for the demo applicant (recorded as such).
    await page.getByLabel('Numéro unique de la demande').fill(applicant);
    await selectContaining(page.getByLabel('Annonce', { exact: true }), HOMES.landlordT3);
    await page.getByRole('button', { name: 'Candidater pour ce demandeur' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Candidature assistée enregistrée');
    const followed = page.getByTestId('applications-table');
    expect(await followed.textContent()).toContain('candidature assistée');

    // Once applied to, the advert can no longer be edited, only withdrawn with a reason.
    await page.getByRole('button', { name: new RegExp(`Ouvrir l’annonce .*${HOMES.landlordT3}`) }).click();
    const detail = page.getByTestId('advert-detail');
    await expect.poll(() => detail.textContent()).toContain('ne peut plus être modifiée');
    expect(await detail.getByRole('button', { name: 'Enregistrer les modifications' }).count()).toBe(0);
    expect(await detail.getByTestId('advert-applications').textContent()).toContain(applicant);

    // Another advert, published at once, then withdrawn with a reason.
    await selectContaining(form.getByLabel('Logement vacant'), HOMES.landlordToWithdraw);
    await form.getByLabel('Description').fill(DESCRIPTION);
    await form.getByLabel('Publier tout de suite (sinon : brouillon)').check();
    await page.getByRole('button', { name: 'Créer l’annonce' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Annonce publiée');
    await page
      .getByRole('button', { name: new RegExp(`Ouvrir l’annonce .*${HOMES.landlordToWithdraw}`) })
      .click();
    await detail.getByRole('button', { name: 'Retirer l’annonce' }).click();
    expect(await detail.locator('.field-error').textContent()).toContain('motif');
    await detail.getByLabel('Motif du retrait').fill('Logement repris pour travaux de rénovation.');
    await detail.getByRole('button', { name: 'Retirer l’annonce' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Annonce retirée');
    await expect.poll(() => detail.textContent()).toContain('Logement repris pour travaux');

    // Close the cycle and read the shortlist.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Clôturer « ${cycle} »` }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/clos : 1 annonce\(s\), 1 candidat\(s\) retenu/);
    await page.getByRole('button', { name: new RegExp(`Ouvrir l’annonce .*${HOMES.landlordT3}`) }).click();
    const shortlist = page.getByTestId('shortlist-table');
    await shortlist.waitFor();
    const row = shortlist.locator('tbody tr').first();
    expect(await row.locator('td').first().textContent()).toBe('1');
    expect(await row.textContent()).toContain(applicant);
    expect(await row.textContent()).toMatch(/éligible|à vérifier/);
    await expectNoAxeViolations(page);
  });

  it('shows the navigation entries only to the roles that use them', async () => {
    await page.goto(`${baseUrl}/annonces`, { waitUntil: 'load' });
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Logements à louer' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Mes candidatures' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Gestion des annonces' }).count()).toBe(0);
    await signInAs(page, applicant);
    await page.reload({ waitUntil: 'load' });
    await nav.getByRole('link', { name: 'Mes candidatures' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Gestion des annonces' }).count()).toBe(0);
  });
});
