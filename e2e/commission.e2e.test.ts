import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const page = usePage();
const CONFLICT = /Un autre membre a modifié ou décidé ce logement entre-temps/;

/** Calls the API from the signed-in page, with the session's anti-forgery token; returns status and body. */
async function call<T>(p: Page, method: 'GET' | 'POST', path: string, body?: unknown) {
  const session = await (await p.request.get(`${baseUrl}/api/v1/auth/session`)).json();
  const response = await p.request.fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  return { status: response.status(), body: (await response.json().catch(() => null)) as T };
}

/** Presses Tab until the focused element has this accessible text (keyboard only). */
async function tabTo(p: Page, text: string | RegExp, max = 400) {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    const label = await p.evaluate(
      () =>
        document.activeElement?.getAttribute('aria-label') ??
        (document.activeElement?.textContent ?? '').trim(),
    );
    if (typeof text === 'string' ? label === text : text.test(label)) return;
  }
  throw new Error(`« ${text} » jamais atteint au clavier`);
}

/** Fills the decisions of an agenda item: allocation, then a rejection with its reason, then non-allocations. */
async function decide(item: Locator) {
  const rows = item.getByTestId('decision-row');
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const select = row.getByLabel(/^Décision pour/);
    if (i === 0) await select.selectOption({ label: 'attribution' });
    else if (i === 1) {
      await select.selectOption({ label: 'rejet pour irrecevabilité' });
      await row.getByLabel('plafonds de ressources dépassés').check();
    } else {
      await select.selectOption({ label: 'non-attribution' });
      await row.getByLabel('logement attribué à un candidat mieux classé').check();
    }
  }
  return n;
}

describe('commission d’attribution', () => {
  it('takes a landlord agent from a new session to decisions, the race message and the minutes', async () => {
    await signIn(page, baseUrl, 'bailleur@demo.mosaique.fr');
    await page.goto(`${baseUrl}/commission`, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Commission d’attribution (CALEOL)' }).waitFor();
    await expectNoAxeViolations(page);

    // A new session: date, three members, quorum 2 — the keyboard alone.
    const form = page.getByTestId('new-session');
    await form.getByLabel('Nom du membre 1').fill('Mme Andrée Martin');
    await form.getByLabel('Nom du membre 2').fill('M. Bernard Petit');
    await form.getByLabel('Nom du membre 3').fill('Mme Claire Roux');
    // A quorum above the members is refused in French, on the field.
    await form.getByLabel(/^Quorum/).fill('4');
    await form.getByLabel(/^Quorum/).press('Enter');
    await expect
      .poll(() => form.locator('.field-error').textContent())
      .toBe('le quorum (4) dépasse le nombre de membres (3)');
    expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/quorum$/);
    await expectNoAxeViolations(page);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /^Séance du/ }).waitFor();
    expect(new URL(page.url()).search).toMatch(/^\?seance=/);
    expect(await page.getByTestId('members-table').textContent()).toContain('Mme Andrée Martin');
    await expectNoAxeViolations(page);

    // The agenda from the closed demo cycle: the engine runs as a job, its progress is announced.
    // Other browser tests may have closed cycles of this landlord too: pick the demo one.
    const select = page.getByLabel('Cycle de location clos');
    const demoCycle = select.locator('option', { hasText: 'Cycle clos de démonstration' });
    await select.selectOption((await demoCycle.getAttribute('value'))!);
    expect(await select.locator('option:checked').textContent()).toContain('Cycle clos de démonstration');
    await page.getByRole('button', { name: 'Calculer la proposition du moteur' }).focus();
    await page.keyboard.press('Enter');
    const progress = page.getByTestId('engine-progress');
    expect(await progress.getAttribute('role')).toBe('status');
    await expect
      .poll(() => progress.textContent())
      .toMatch(/Terminé : proposition enregistrée pour \d+ logement/);
    expect(await progress.locator('progress').getAttribute('value')).toBe('3');
    await expect
      .poll(() => page.getByTestId('commission-notice').textContent())
      .toMatch(/Ordre du jour construit/);
    const items = page.getByTestId('agenda-item');
    expect(await items.count()).toBeGreaterThanOrEqual(3);
    await expectNoAxeViolations(page);

    // The engine's figures: objective, bound, gap, price of mix, each CIA target with its shortfall.
    const figures = page.getByTestId('engine-figures');
    const text = await figures.textContent();
    for (const label of [
      'Objectif atteint',
      'Borne supérieure',
      'Écart relatif à la borne',
      'Prix de la mixité',
    ])
      expect(text).toContain(label);
    const constraintRows = figures.getByTestId('constraints-table').locator('tbody tr');
    expect(await constraintRows.count()).toBeGreaterThanOrEqual(2);
    expect(await constraintRows.first().locator('th').textContent()).toMatch(/QPV|prioritaires/);

    // Homes with the most candidates first: up to three ranked, with score and the French explanation.
    const counts = await items.evaluateAll((els) =>
      els.map((el) => el.querySelectorAll('[data-testid="proposal-table"] tbody tr').length),
    );
    const order = counts
      .map((c, i) => [c, i] as const)
      .sort((a, b) => b[0] - a[0])
      .map(([, i]) => i);
    const first = items.nth(order[0]!);
    const second = items.nth(order[1]!);
    expect(counts[order[0]!]).toBeGreaterThanOrEqual(2);
    expect(counts.every((c) => c <= 3)).toBe(true);
    expect(await first.getByTestId('explanation').textContent()).toMatch(/^Explication : Proposé à « /);
    expect(await first.getByTestId('proposal-table').locator('tbody tr td').nth(1).textContent()).toMatch(
      /\d/,
    );

    // Editing the order needs a written justification, kept and shown.
    await first.getByText('Modifier l’ordre ou les candidats examinés').click();
    const [, secondCandidate] = await first
      .getByTestId('proposal-table')
      .locator('tbody th')
      .allTextContents();
    await first.getByRole('button', { name: `Monter ${secondCandidate}` }).click();
    await expect
      .poll(() => first.locator('[role="status"].sr-only').textContent())
      .toBe(`Le candidat ${secondCandidate} est maintenant en position 1 sur ${counts[order[0]!]}.`);
    await first.getByRole('button', { name: 'Enregistrer la liste des candidats' }).click();
    await expect
      .poll(() => first.locator('.field-error').textContent())
      .toMatch(/doit être justifié par écrit/);
    await expectNoAxeViolations(page);
    const justification = 'Le ménage classé second a signalé une naissance : logement adapté.';
    await first.getByLabel(/^Justification de l’écart/).fill(justification);
    await first.getByRole('button', { name: 'Enregistrer la liste des candidats' }).click();
    await expect.poll(() => first.getByTestId('deviation').textContent()).toContain(justification);

    // Decisions: nothing chosen is caught on the field, in French, before sending.
    await first.getByRole('button', { name: 'Enregistrer les décisions pour ce logement' }).click();
    await expect
      .poll(() => first.locator('.field-error').first().textContent())
      .toBe('choisissez une décision');
    await expectNoAxeViolations(page);
    // An allocation, a rejection with its inadmissibility reason, non-allocations.
    const decided = await decide(first);
    await first.getByRole('button', { name: 'Enregistrer les décisions pour ce logement' }).click();
    await expect.poll(() => first.getByTestId('item-status').textContent()).toBe('décidé');
    const table = first.getByTestId('decisions-table');
    expect(await table.locator('tbody tr').count()).toBe(decided);
    if (decided >= 2) {
      expect(await table.textContent()).toContain('rejet pour irrecevabilité');
      expect(await table.textContent()).toContain('plafonds de ressources dépassés');
    }
    await expectNoAxeViolations(page);

    // Two members on the same home: the analyst's page was read before the landlord decided.
    const browser = page.context().browser()!;
    const context = await browser.newContext({ locale: 'fr-FR' });
    const other = await context.newPage();
    try {
      await signIn(other, baseUrl, 'analyste@demo.mosaique.fr');
      await other.goto(page.url(), { waitUntil: 'load' });
      const homeId = await second.getAttribute('data-home');
      const stale = other.locator(`[data-testid="agenda-item"][data-home="${homeId}"]`);
      await stale.getByTestId('decision-row').first().waitFor();
      await decide(stale);
      await decide(second);
      await second.getByRole('button', { name: 'Enregistrer les décisions pour ce logement' }).click();
      await expect.poll(() => second.getByTestId('item-status').textContent()).toBe('décidé');
      await stale.getByRole('button', { name: 'Enregistrer les décisions pour ce logement' }).click();
      const alert = other.getByTestId('commission-notice');
      await expect.poll(() => alert.textContent()).toMatch(CONFLICT);
      expect(await alert.getAttribute('role')).toBe('alert');
      // The page reloaded the current state: the home is decided, by the other member.
      await expect.poll(() => stale.getByTestId('item-status').textContent()).toBe('décidé');
      expect(await stale.getByTestId('decision-row').count()).toBe(0);
      await expectNoAxeViolations(other);
    } finally {
      await context.close();
    }

    // The applicant's answer for them, then the minutes as a PDF.
    await first.getByLabel('Acceptée').check();
    await first.getByRole('button', { name: 'Enregistrer la réponse' }).click();
    await expect
      .poll(() => page.getByTestId('commission-notice').textContent())
      .toMatch(/proposition acceptée/);
    await first.getByRole('button', { name: 'Enregistrer la signature du bail' }).waitFor();
    await expectNoAxeViolations(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('minutes-link').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^proces-verbal-caleol-ll-1-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(3000);
  }, 240_000);

  it('shows the sessions to an administrator, read only, and the page to nobody else', async () => {
    await signIn(page, baseUrl, 'admin@demo.mosaique.fr');
    await page.goto(`${baseUrl}/commission`, { waitUntil: 'load' });
    await page.getByTestId('sessions-table').waitFor();
    expect(await page.getByTestId('new-session').count()).toBe(0);
    await page.getByTestId('sessions-table').getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Séance du/ }).waitFor();
    await page.getByTestId('agenda-item').first().waitFor();
    expect(await page.getByRole('button', { name: 'Calculer la proposition du moteur' }).count()).toBe(0);
    expect(
      await page.getByRole('button', { name: 'Enregistrer les décisions pour ce logement' }).count(),
    ).toBe(0);
    await expectNoAxeViolations(page);
    await page.context().clearCookies();
    await signIn(page, baseUrl, 'reservataire@demo.mosaique.fr');
    await page.goto(`${baseUrl}/commission`, { waitUntil: 'load' });
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Cette page est celle des agents de bailleur');
    expect(await page.getByRole('link', { name: 'Commission' }).count()).toBe(0);
  });

  it('lets an applicant order their applications with the keyboard, announced and saved', async () => {
    // An applicant with two applications in the demo landlord's open cycle (assisted by the agent).
    await signIn(page, baseUrl, 'bailleur@demo.mosaique.fr');
    const closed = await call<{ adverts: { id: string; description: string }[] }>(
      page,
      'GET',
      '/adverts?status=closed',
    );
    const eligible = new Set<string>();
    for (const a of closed.body.adverts.filter((x) => x.description.includes('à examiner en commission'))) {
      const list = await call<{ entries: { sneNumber: string; eligible: boolean | null }[] }>(
        page,
        'GET',
        `/adverts/${a.id}/shortlist`,
      );
      for (const e of list.body.entries) if (e.eligible) eligible.add(e.sneNumber);
    }
    const open = await call<{ adverts: { id: string; landlordId: string; cycle: { name: string } }[] }>(
      page,
      'GET',
      '/adverts?status=published',
    );
    const demo = open.body.adverts.filter(
      (a) => a.landlordId === 'll-1' && a.cycle.name.startsWith('Cycle de démonstration'),
    );
    let chosen: string | null = null;
    for (const sne of eligible) {
      let applied = 0;
      for (const a of demo) {
        if ((await call(page, 'POST', `/adverts/${a.id}/applications`, { sneNumber: sne })).status === 201)
          applied++;
        if (applied === 2) break;
      }
      if (applied === 2) {
        chosen = sne;
        break;
      }
    }
    expect(chosen, 'un demandeur éligible à deux annonces du cycle ouvert').not.toBeNull();
    const code = await call<{ code: string }>(page, 'POST', '/activation-codes', { sneNumber: chosen });
    expect(code.status).toBe(201);
    await page.context().clearCookies();
    await page.goto(`${baseUrl}/activation`, { waitUntil: 'load' });
    const activated = await page.evaluate(
      async ([sneNumber, activationCode]) =>
        (
          await fetch('/api/v1/auth/activate', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ sneNumber, code: activationCode, password: 'mosaique-demo-2026' }),
          })
        ).status,
      [chosen!, code.body.code],
    );
    expect(activated).toBe(200);

    await page.goto(`${baseUrl}/mes-candidatures`, { waitUntil: 'load' });
    const section = page.getByTestId('preference-order');
    await section.locator('li').nth(1).waitFor();
    const before = await section.locator('li > span:first-child').allTextContents();
    expect(before).toHaveLength(2);
    expect(await section.textContent()).toContain('toutes vos candidatures comptent à égalité');
    await expectNoAxeViolations(page);
    await tabTo(page, `Descendre : ${before[0]}`);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('preference-status').textContent())
      .toBe(`${before[0]} est maintenant en position 2 sur 2. Ordre enregistré.`);
    expect(await section.locator('li > span:first-child').allTextContents()).toEqual([before[1], before[0]]);
    // Focus stays on the moved entry (its other button, the one it moved to having none).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Monter : ${before[0]}`,
    );
    const stored = await call<{ applications: { preference: number | null }[] }>(
      page,
      'GET',
      '/applications/preference-order',
    );
    expect(stored.body.applications.map((a) => a.preference)).toEqual([1, 2]);
    await expectNoAxeViolations(page);
  });
});
