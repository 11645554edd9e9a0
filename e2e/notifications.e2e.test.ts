import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';
import { RESERVATION_HOLDER_MESSAGES } from './fixtures.ts';

const baseUrl = inject('baseUrl');
const applicant = inject('demoApplicant');
const page = usePage();
const EPCI = '200040715';
/** Homes the letting journey (letting.e2e.test.ts) advertises: left alone here. */
const LETTING_JOURNEY_HOMES = new Set([
  'home-007242',
  'home-008826',
  'home-011520',
  'home-009881',
  'home-004914',
  'home-005497',
]);

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

describe('notifications and published results', () => {
  it('publishes the results of past lets, anonymised, from the adverts page', async () => {
    await page.goto(`${baseUrl}/annonces`, { waitUntil: 'load' });
    await page.getByRole('link', { name: 'Résultats des attributions passées' }).click();
    await page.getByRole('heading', { level: 1, name: 'Résultats des attributions' }).waitFor();
    // The demo's past cycle: four homes let by the commission (demo-results.ts).
    await expect
      .poll(() => page.getByTestId('results-count').textContent())
      .toMatch(/^\d+ logements attribués/);
    const rows = page.getByTestId('results-table').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    const text = await page.getByTestId('results-table').textContent();
    // The demo's four lets had 12, 6, 7 and 9 applicants: one range for the four, and coarse bands
    // (the fewest, 6, is under 10) on each.
    expect(text).toContain('moins de 10 candidats : tranches élargies');
    expect(text).toMatch(/de \d+ à \d+ points/);
    expect(await page.getByTestId('results-rule').textContent()).toContain('en dessous de 3 candidats');
    // The demo's four lets share a commune and a typology: both are published (at least 3 comparable
    // lets in the cycle), and no decision date is.
    const demoRows = rows.filter({ hasText: 'Cycle passé de démonstration' });
    expect(await demoRows.count()).toBe(4);
    for (const cells of await demoRows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    )) {
      expect(cells[1]).not.toBe('non publiée');
      expect(cells[2]).toMatch(/^T[23]$/);
      // Not each home's count of applicants (public while its advert was open): the group's range.
      expect(cells[3]).toBe('de 6 à 12 candidats');
    }
    expect(await page.getByRole('columnheader', { name: /Décision/ }).count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('lets an applicant set an alert, then read the message of a matching new advert in « E-mails envoyés »', async () => {
    await signIn(page, baseUrl, applicant);
    await page.goto(`${baseUrl}/annonces?typologies=2`, { waitUntil: 'load' });
    const alert = page.getByTestId('advert-alert');
    // The demo applicant has an alert already (demo-results.ts): it is replaced by the filters in use.
    await alert.getByRole('button', { name: 'Remplacer mon alerte par ces filtres' }).click();
    await expect
      .poll(() => page.getByTestId('alert-notice').textContent())
      .toMatch(/^Alerte enregistrée : T2/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'alert-notice',
    );
    await expectNoAxeViolations(page);

    // The demo's messages (two adverts published after the demo alert) are there already.
    const newAdverts = async () => {
      const list = await api<{ notifications: { kind: string }[] }>(page, 'GET', '/notifications');
      return list.notifications.filter((n) => n.kind === 'advert-match').length;
    };
    const before = await newAdverts();
    expect(before).toBeGreaterThanOrEqual(2);

    // The landlord publishes a vacant T2 (PLUS) of theirs.
    const agent = await page.context().browser()!.newContext({ locale: 'fr-FR' });
    const landlordPage = await agent.newPage();
    try {
      await signIn(landlordPage, baseUrl, 'bailleur@demo.mosaique.fr');
      const { homes } = await api<{
        homes: { id: string; typology: number; financing: string; rentEur: number; chargesEur: number }[];
      }>(landlordPage, 'GET', `/vacant-homes?epci=${EPCI}`);
      const home = homes
        .filter((h) => h.typology === 2 && h.financing === 'PLUS' && !LETTING_JOURNEY_HOMES.has(h.id))
        .sort((a, b) => a.rentEur + a.chargesEur - (b.rentEur + b.chargesEur) || a.id.localeCompare(b.id))[0];
      expect(home, 'un T2 PLUS vacant du bailleur de démonstration').toBeDefined();
      const now = Date.now();
      const cycle = await api<{ id: string }>(landlordPage, 'POST', '/letting-cycles', {
        epci: EPCI,
        name: 'Cycle des alertes (e2e)',
        opensAt: new Date(now - 60_000).toISOString(),
        closesAt: new Date(now + 7 * 86_400_000).toISOString(),
        maxActiveApplications: 3,
      });
      await api(landlordPage, 'POST', '/adverts', {
        homeId: home!.id,
        cycleId: cycle.id,
        description: 'Appartement traversant, proche du tram, publié pour le parcours des alertes.',
        energyLabel: 'C',
        publish: true,
      });
    } finally {
      await agent.close();
    }

    expect(await newAdverts()).toBe(before + 1);
    await page.getByRole('link', { name: 'E-mails envoyés' }).click();
    await page.getByRole('heading', { level: 1, name: 'E-mails envoyés' }).waitFor();
    const mail = page.getByTestId('mail').filter({ hasText: /^Nouvelle annonce : T2 à / });
    await expect.poll(() => mail.count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('demo-delivery').textContent()).toContain('aucun serveur d’envoi');
    expect(await mail.first().textContent()).toContain('non envoyé : démonstration');
    // The message opens from the keyboard.
    await mail.first().locator('summary').focus();
    await page.keyboard.press('Enter');
    const body = mail.first().locator('details div');
    await expect.poll(() => body.isVisible()).toBe(true);
    expect(await body.textContent()).toMatch(/charges .* par mois/);
    expect(await body.textContent()).not.toContain(applicant);
    await expectNoAxeViolations(page);

    // The address: a wrong one is refused next to the field, a right one is saved.
    const field = page.getByLabel('Adresse électronique où recevoir vos messages');
    await field.fill('pas-une-adresse');
    await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
    await expect.poll(() => page.locator('.field-error').textContent()).toMatch(/nom@domaine\.fr/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('email');
    await expectNoAxeViolations(page);
    await field.fill('demandeur.demo@exemple.fr');
    await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
    await expect
      .poll(() => page.getByTestId('address-notice').textContent())
      .toContain('Vos messages seront envoyés à demandeur.demo@exemple.fr');

    // The cycle reminders turned off with the keyboard, then on again.
    const reminders = page.getByLabel('Me rappeler la clôture prochaine d’un cycle');
    expect(await reminders.isChecked()).toBe(true);
    await reminders.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('preferences-notice').textContent())
      .toContain('Vous ne recevrez plus de rappel');
    expect(await api<{ cycleReminders: boolean }>(page, 'GET', '/notifications/preferences')).toEqual({
      cycleReminders: false,
    });
    await expectNoAxeViolations(page);
    await page.reload({ waitUntil: 'load' });
    await expect.poll(() => reminders.isChecked()).toBe(false);
    await reminders.check();
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('preferences-notice').textContent())
      .toContain('Vous serez prévenu 48 heures avant');

    // The alert is deleted from the adverts page.
    await page.goto(`${baseUrl}/annonces`, { waitUntil: 'load' });
    await alert.getByRole('button', { name: 'Supprimer mon alerte' }).click();
    await expect.poll(() => page.getByTestId('alert-notice').textContent()).toMatch(/^Alerte supprimée/);
    expect(await alert.getByRole('button', { name: 'M’alerter des nouvelles annonces' }).count()).toBe(1);
    await expectNoAxeViolations(page);
  });

  it('shows 50 messages at a time; « plus anciens » loads the next ones and moves the focus to the first', async () => {
    // 55 messages written for this account by the global set-up (global-setup.ts).
    await signIn(page, baseUrl, 'reservataire@demo.mosaique.fr');
    await page.goto(`${baseUrl}/e-mails-envoyes`, { waitUntil: 'load' });
    await expect
      .poll(() => page.getByTestId('mail-count').textContent())
      .toBe(`${RESERVATION_HOLDER_MESSAGES} messages, les 50 plus récents affichés.`);
    expect(await page.getByTestId('mail').count()).toBe(50);
    const older = page.getByRole('button', { name: 'Afficher les messages plus anciens' });
    await older.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('mail').count()).toBe(RESERVATION_HOLDER_MESSAGES);
    // The focus is on the first message loaded: the 51st, i.e. the 5th written (newest first).
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe(`Message de test n° ${RESERVATION_HOLDER_MESSAGES - 50}`);
    expect(await older.count()).toBe(0);
    expect(await page.getByTestId('mail-count').textContent()).toBe(
      `${RESERVATION_HOLDER_MESSAGES} messages.`,
    );
    const subjects = await page.getByTestId('mail').locator('h3').allTextContents();
    expect(new Set(subjects).size).toBe(RESERVATION_HOLDER_MESSAGES);
    await expectNoAxeViolations(page);
    await page.context().clearCookies();
  });

  it('shows an administrator every message with its recipient; another applicant’s message stays hidden', async () => {
    await signIn(page, baseUrl, 'admin@demo.mosaique.fr');
    await page.goto(`${baseUrl}/e-mails-envoyes`, { waitUntil: 'load' });
    const mail = page.getByTestId('mail').filter({ hasText: `destinataire : ` });
    await expect.poll(() => mail.count()).toBeGreaterThanOrEqual(1);
    expect(await mail.first().textContent()).toContain(`(${applicant})`);
    await expectNoAxeViolations(page);
    const { notifications } = await api<{ notifications: { id: string }[] }>(page, 'GET', '/notifications');
    // The demo applicant's message, read by the analyst: as if it did not exist.
    await page.context().clearCookies();
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    const response = await page.request.get(`${baseUrl}/api/v1/notifications/${notifications[0]!.id}`);
    expect(response.status()).toBe(404);
  });
});
