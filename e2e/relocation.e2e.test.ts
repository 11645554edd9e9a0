import { describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations, signIn, usePage } from './browser.ts';

const baseUrl = inject('baseUrl');
const page = usePage();
const OFFICER = 'relogement@demo.mosaique.fr';

interface FileRow {
  id: string;
  householdId: string;
  sneNumber: string;
  stage: string;
}

/** The demo operation's files as the officer's API gives them (the page shows the same order). */
async function demoFiles(): Promise<FileRow[]> {
  const json = (r: Response) => r.json() as Promise<Record<string, unknown>>;
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: OFFICER, password: 'mosaique-demo-2026' }),
  });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
  const { operations } = (await json(
    await fetch(`${baseUrl}/api/v1/relocation/operations`, { headers: { cookie } }),
  )) as {
    operations: { id: string }[];
  };
  const op = (await json(
    await fetch(`${baseUrl}/api/v1/relocation/operations/${operations[0]!.id}`, { headers: { cookie } }),
  )) as {
    files: FileRow[];
  };
  return op.files;
}

describe('urban-renewal relocation pages', () => {
  it('gives the relocation officer the operation, its calendar, the indicators against the national results and the files', async () => {
    await signIn(page, baseUrl, OFFICER);
    await page.goto(`${baseUrl}/relogement`, { waitUntil: 'load' });
    await page.getByTestId('operations-table').waitFor();
    expect(await page.getByTestId('operations-table').textContent()).toMatch(
      /Villeneuve - Village Olympique \(QN03807M\)/,
    );
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: /Villeneuve \(opération fictive\)/ }).click();
    await page.getByTestId('files-table').waitFor();
    expect(await page.getByTestId('relocation-calendar').textContent()).toMatch(/Démolition prévue/);
    const indicators = await page.getByTestId('relocation-indicators').textContent();
    // First programme's national results (docs/RULES.md §7): 52 % off-site, 33 % new or recent.
    expect(indicators).toMatch(/52 %/);
    expect(indicators).toMatch(/33 %/);
    // Half-way: some rehoused, some with a proposal pending, some at diagnosis, some not met yet.
    const stages = await page.getByTestId('file-stage').allTextContents();
    for (const stage of ['relogé', 'proposition en attente de réponse', 'diagnostic fait', 'à rencontrer'])
      expect(stages).toContain(stage);
    await expectNoAxeViolations(page);

    // A file at diagnosis: the officer proposes the first home listed, keyboard only.
    const files = await demoFiles();
    // One after the household of the next test (the first with a proposal pending), which keeps its place.
    const firstPending = files.findIndex((f) => f.stage === 'proposal-pending');
    const diagnosed = files.slice(firstPending + 1).find((f) => f.stage === 'diagnosed')!;
    const open = page.getByRole('button', {
      name: `Ouvrir le dossier du ménage ${diagnosed.householdId} (diagnostic fait)`,
    });
    await open.focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^Autres logements ouverts \(\d+\)/).waitFor();
    expect(await page.getByTestId('relocation-stage').textContent()).toMatch(/^diagnostic fait/);
    await expectNoAxeViolations(page);
    // The homes that do not meet every wish are folded; the officer unfolds them with the keyboard.
    await page.getByText(/^Autres logements ouverts \(\d+\)/).focus();
    await page.keyboard.press('Enter');
    await expectNoAxeViolations(page);
    await page
      .getByRole('button', { name: /^Proposer : / })
      .first()
      .focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('relocation-notice').textContent())
      .toMatch(/Proposition enregistrée/);
    expect(await page.getByTestId('proposal-response').first().textContent()).toBe('en attente de réponse');
    expect(await page.getByTestId('relocation-steps').textContent()).toMatch(/proposition de logement n° 1/);
    await expectNoAxeViolations(page);
    // A dated follow-up note, sent with the keyboard: recorded, and its field emptied for the next one.
    const note = page.getByLabel('Note de suivi (jamais exportée)');
    await note.fill('Visite du logement proposé prévue.');
    await page.getByRole('button', { name: 'Ajouter la note' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('relocation-notice').textContent())
      .toMatch(/Note ajoutée au dossier/);
    expect(await note.inputValue()).toBe('');
  });

  it('gives the household its file, lets it refuse a proposal with its reason and see the homes matching its wishes', async () => {
    const household = (await demoFiles()).find((f) => f.stage === 'proposal-pending')!;
    await signIn(page, baseUrl, household.sneNumber);
    await page.goto(`${baseUrl}/mon-relogement`, { waitUntil: 'load' });
    await page.getByTestId('proposals-table').waitFor();
    expect(await page.getByTestId('relocation-stage').textContent()).toMatch(
      /proposition en attente de réponse/,
    );
    await page.getByText(/^Autres logements ouverts \(\d+\)/).waitFor();
    await expectNoAxeViolations(page);
    const pending = await page.getByRole('button', { name: /^Refuser la proposition n° \d$/ }).textContent();
    const rank = pending!.match(/\d$/)![0];
    // Refusing without a reason is refused, naming the field.
    await page.getByRole('button', { name: `Refuser la proposition n° ${rank}` }).click();
    await expect
      .poll(() => page.getByTestId('relocation-notice').textContent())
      .toMatch(/^Motif du refus \(refusalReason\) : obligatoire/);
    await page.getByLabel(`Motif du refus de la proposition n° ${rank}`).selectOption('location');
    await page.getByRole('button', { name: `Refuser la proposition n° ${rank}` }).click();
    await expect.poll(() => page.getByTestId('relocation-notice').textContent()).toMatch(/refusée/);
    expect(await page.getByTestId('proposal-response').last().textContent()).toMatch(
      /refusée le .* : localisation \(commune, quartier\)/,
    );
    expect(await page.getByTestId('relocation-stage').textContent()).toMatch(/recherche en cours/);
    await expectNoAxeViolations(page);
    // It applies to a published home like any applicant (letting API), and finds it among its applications.
    await page.getByText(/^Autres logements ouverts \(\d+\)/).click();
    const apply = page.getByRole('button', { name: /^Candidater : / });
    expect(await apply.count()).toBeGreaterThan(0);
    await apply.first().click();
    await expect
      .poll(() => page.getByTestId('relocation-notice').textContent())
      .toMatch(/Candidature envoyée/);
    await page.goto(`${baseUrl}/mes-candidatures`, { waitUntil: 'load' });
    await expect.poll(() => page.getByTestId('application-status').first().textContent()).toMatch(/en cours/);
  });

  it('gives the EPCI’s analyst the indicators of every operation', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/relogement`, { waitUntil: 'load' });
    await page.getByTestId('relocation-indicators').waitFor();
    expect(await page.getByTestId('relocation-indicators').textContent()).toMatch(/Relogés hors site/);
    await expectNoAxeViolations(page);
  });

  it('keeps another household and other roles out', async () => {
    await signIn(page, baseUrl, inject('demoApplicant'));
    await page.goto(`${baseUrl}/mon-relogement`, { waitUntil: 'load' });
    await expect.poll(() => page.locator('main').textContent()).toMatch(/aucun dossier de relogement/);
    await expectNoAxeViolations(page);
    await page.goto(`${baseUrl}/relogement`, { waitUntil: 'load' });
    await expect
      .poll(() => page.locator('main').textContent())
      .toMatch(/Cette page est celle des chargés de relogement/);
  });

  // Last: it adds an operation to the demo EPCI (the tests above read the demo operation's files).
  it('lets the EPCI’s analyst create an operation, checked in French and confirmed before the import, then attach an officer', async () => {
    await signIn(page, baseUrl, 'analyste@demo.mosaique.fr');
    await page.goto(`${baseUrl}/relogement`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Créer une opération' }).click();
    const form = page.getByTestId('new-operation');
    await form.waitFor();
    await expectNoAxeViolations(page);
    // Sent empty: each wrong field named with its rule, the first one focused.
    await page.getByRole('button', { name: 'Vérifier avant l’import des ménages' }).click();
    await expect.poll(() => form.textContent()).toMatch(/Nom de l’opération : 3 caractères au moins/);
    expect(await form.textContent()).toMatch(/Quartier prioritaire : choisissez un QPV du territoire/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await expectNoAxeViolations(page);

    await page.getByLabel('Nom de l’opération').fill('Restructuration Arlequin (essai)');
    await page.getByLabel('Restructuration lourde').check();
    await page.getByLabel('Quartier prioritaire (QPV)').selectOption('QN03807M');
    // The first landlord of the QPV with a building still free and lived in (the demo operation's
    // buildings are listed but cannot be ticked again).
    const landlord = page.getByLabel('Bailleur', { exact: true });
    const building = page
      .getByRole('checkbox', { name: /, [1-9]\d* ménages? occupants?$/ })
      .and(page.locator(':enabled'))
      .first();
    const landlords = await landlord.locator('option').count();
    for (let i = 1; i < landlords; i++) {
      await landlord.selectOption({ index: i });
      await expect.poll(() => form.textContent()).toMatch(/ménages? à reloger dans les bâtiments cochés/);
      if ((await building.count()) > 0) break;
    }
    await page.getByLabel('Étape 1 : libellé').fill('Fin des relogements');
    await page.getByLabel('Étape 1 : date').fill('2028-06-30');
    await page.getByRole('button', { name: 'Vérifier avant l’import des ménages' }).click();
    await expect
      .poll(() => form.textContent())
      .toMatch(/Bâtiments concernés : cochez au moins un bâtiment du quartier et du bailleur/);
    await expectNoAxeViolations(page);
    await building.check();
    const announced = Number(
      (await page.getByTestId('households-to-import').textContent())!.match(/^\d+/)![0],
    );
    expect(announced).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Vérifier avant l’import des ménages' }).press('Enter');

    // Nothing is imported before the confirmation.
    const confirm = page.getByTestId('confirm-operation');
    await confirm.waitFor();
    expect(await page.getByTestId('confirm-households').textContent()).toMatch(
      new RegExp(`^${announced} ménages? (sera inscrit|seront inscrits)`),
    );
    expect(await confirm.textContent()).toMatch(/Fin des relogements/);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: /^Confirmer : créer l’opération et inscrire/ }).click();
    await page.getByTestId('files-table').waitFor();
    expect(await page.getByTestId('operation-created').textContent()).toMatch(
      new RegExp(`^Opération créée : ${announced} ménages? inscrits?`),
    );
    expect(await page.getByTestId('file-stage').count()).toBe(announced);
    expect(await page.getByTestId('relocation-calendar').textContent()).toMatch(/Fin des relogements/);
    await expectNoAxeViolations(page);

    // Attaching an officer: none chosen is refused in French, then the demo officer is attached.
    const attach = page.getByTestId('attach-officer');
    await attach.getByRole('button', { name: 'Rattacher à l’opération' }).click();
    await expect
      .poll(() => attach.textContent())
      .toMatch(/Chargé·e de relogement : choisissez un compte du territoire/);
    await expectNoAxeViolations(page);
    await page.getByLabel('Chargé·e de relogement à rattacher').selectOption({ index: 1 });
    await attach.getByRole('button', { name: 'Rattacher à l’opération' }).click();
    await expect
      .poll(() => page.locator('main').textContent())
      .toMatch(/Chargé·es de relogement : Chargée de relogement de Villeneuve/);
    await expectNoAxeViolations(page);
  });
});
