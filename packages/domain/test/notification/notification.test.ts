import { describe, expect, it } from 'vitest';
import {
  type AlertCriteria,
  advertMatchMessage,
  afterFailure,
  cleanError,
  closingSoon,
  criteriaProblems,
  cycleClosingMessage,
  DEFAULT_NOTIFICATION_SETTINGS,
  decisionMessage,
  describeCriteria,
  formatParisDateTime,
  isEmailAddress,
  matchesCriteria,
  publicationRuleOn,
  publishLet,
  retryDelayMs,
  scoreBand,
  seniorityBand,
  wholeYearsBetween,
} from '../../src/notification/index.ts';

const ANY: AlertCriteria = {
  communes: [],
  typologies: [],
  maxTotalRentEur: null,
  accessible: null,
  lift: null,
  maxFloorWithoutLift: null,
};
const home = {
  commune: '38185',
  typology: 2,
  rentEur: 300,
  chargesEur: 50,
  accessible: false,
  lift: false,
  floor: 3,
};

describe('saved searches', () => {
  it('match a home as GET /adverts filters it', () => {
    expect(matchesCriteria(ANY, home)).toBe(true);
    expect(matchesCriteria({ ...ANY, communes: ['38151'] }, home)).toBe(false);
    expect(matchesCriteria({ ...ANY, communes: ['38151', '38185'] }, home)).toBe(true);
    expect(matchesCriteria({ ...ANY, typologies: [3, 4] }, home)).toBe(false);
    // Rent plus charges, bound included.
    expect(matchesCriteria({ ...ANY, maxTotalRentEur: 350 }, home)).toBe(true);
    expect(matchesCriteria({ ...ANY, maxTotalRentEur: 349.99 }, home)).toBe(false);
    expect(matchesCriteria({ ...ANY, accessible: true }, home)).toBe(false);
    expect(matchesCriteria({ ...ANY, lift: true }, home)).toBe(false);
    // Third floor without a lift: refused at « 2nd at most », accepted with a lift whatever the floor.
    expect(matchesCriteria({ ...ANY, maxFloorWithoutLift: 2 }, home)).toBe(false);
    expect(matchesCriteria({ ...ANY, maxFloorWithoutLift: 3 }, home)).toBe(true);
    expect(matchesCriteria({ ...ANY, maxFloorWithoutLift: 0 }, { ...home, lift: true })).toBe(true);
  });

  it('are validated with French messages naming the field', () => {
    expect(
      criteriaProblems({ ...ANY, communes: ['38185'], typologies: [2, 3], maxTotalRentEur: 600 }),
    ).toEqual([]);
    expect(
      criteriaProblems({
        ...ANY,
        communes: ['3818'],
        typologies: [0, 2, 2],
        maxTotalRentEur: -1,
        maxFloorWithoutLift: 1.5,
      }),
    ).toEqual([
      'communes : « 3818 » n’est pas un code INSEE de commune (5 caractères)',
      'typologies : 0 n’est pas une typologie de 1 (T1) à 6 (T6 et plus)',
      'typologies : une typologie est en double',
      'loyer charges comprises maximum : un montant en euros de 0 à 100 000 est attendu',
      'étage maximum sans ascenseur : un nombre entier de 0 à 50 est attendu',
    ]);
  });

  it('are described in one French sentence', () => {
    const names: Record<string, string> = { '38185': 'Grenoble', '38151': 'Échirolles' };
    expect(
      describeCriteria(
        {
          ...ANY,
          communes: ['38185', '38151'],
          typologies: [3, 2],
          maxTotalRentEur: 1250,
          maxFloorWithoutLift: 1,
        },
        (c) => names[c]!,
      ),
    ).toBe(
      'T2 ou T3, à Grenoble ou Échirolles, 1 250 € charges comprises au plus, au 1er étage au plus sans ascenseur',
    );
    expect(describeCriteria(ANY)).toBe('toutes typologies, dans toutes les communes');
  });
});

describe('delivery', () => {
  it('retries after 1, 2, 4… minutes, capped at 6 hours, and gives up after 6 attempts', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20)).toBe(6 * 3_600_000);
    const now = new Date('2026-11-22T10:00:00Z');
    expect(afterFailure(1, now)).toEqual({ giveUp: false, retryAt: new Date('2026-11-22T10:01:00Z') });
    expect(afterFailure(DEFAULT_NOTIFICATION_SETTINGS.maxAttempts, now)).toEqual({ giveUp: true });
  });

  it('knows a cycle closing within 48 hours, not one already closed or later', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    expect(closingSoon('2026-11-24T10:00:00Z', now)).toBe(true);
    expect(closingSoon('2026-11-24T10:00:01Z', now)).toBe(false);
    expect(closingSoon('2026-11-22T10:00:00Z', now)).toBe(false);
  });

  it('keeps no address in a stored error, and recognises addresses', () => {
    expect(cleanError('550 5.1.1 <jeanne.martin@exemple.fr>: Recipient address rejected\n  retry')).toBe(
      '550 5.1.1 <[adresse]>: Recipient address rejected retry',
    );
    expect(cleanError('x'.repeat(600))).toHaveLength(500);
    expect(isEmailAddress('jeanne.martin@exemple.fr')).toBe(true);
    expect(isEmailAddress('03812')).toBe(false);
    expect(isEmailAddress('a@b')).toBe(false);
    expect(isEmailAddress('a b@c.fr')).toBe(false);
  });
});

describe('messages', () => {
  it('dates in Paris time, in French', () => {
    // 17:00 UTC is 18:00 in Paris in winter (UTC+1).
    expect(formatParisDateTime('2026-11-24T17:00:00Z')).toBe('mardi 24 novembre 2026 à 18 h 00');
    // …and 19:00 in summer (UTC+2).
    expect(formatParisDateTime('2026-07-01T17:05:00Z')).toBe('mercredi 1 juillet 2026 à 19 h 05');
  });

  it('announce a matching advert without any personal data', () => {
    const m = advertMatchMessage({
      typology: 3,
      surfaceM2: 64.4,
      communeName: 'Échirolles',
      rentEur: 412.5,
      chargesEur: 95,
      floor: 2,
      lift: true,
      accessible: false,
      cycleName: 'Cycle de décembre',
      closesAt: '2026-12-15T17:00:00Z',
      link: 'https://mosaique.exemple/annonces',
    });
    expect(m.subject).toBe('Nouvelle annonce : T3 à Échirolles, 507,5 € charges comprises');
    expect(m.body).toContain('• T3 de 64 m² à Échirolles, 2e étage, avec ascenseur');
    expect(m.body).toContain('• loyer 412,5 € + charges 95 € = 507,5 € par mois');
    expect(m.body).toContain('candidatures jusqu’au mardi 15 décembre 2026 à 18 h 00');
  });

  it('remind of a cycle closing, with the applications left', () => {
    const m = cycleClosingMessage({
      cycleName: 'Cycle de décembre',
      closesAt: '2026-12-15T17:00:00Z',
      activeApplications: 3,
      maxActiveApplications: 3,
      matchingAdverts: 2,
      link: 'x',
    });
    expect(m.subject).toBe('Le cycle « Cycle de décembre » se clôt le mardi 15 décembre 2026 à 18 h 00');
    expect(m.body).toContain(
      'Vous y avez 3 candidatures en cours (3 au plus par cycle).\n2 annonces de ce cycle correspondent',
    );
  });

  it('give the decision with its legal label and the labels of its reasons', () => {
    const base = {
      rank: null,
      reasonCodes: [],
      reasonText: null,
      missingDocument: null,
      heldOn: '2026-11-20',
      typology: 2,
      communeName: 'Grenoble',
      landlordName: 'Habitat des Trois Massifs',
      link: 'x',
    };
    const refused = decisionMessage({
      ...base,
      kind: 'non-allocation',
      reasonCodes: ['inadequation-typologie'],
    });
    expect(refused.subject).toBe('Décision de la commission d’attribution : non-attribution (T2 à Grenoble)');
    expect(refused.body).toContain('s’est réunie le 20 novembre 2026');
    expect(refused.body).toContain(
      'pour le motif suivant :\n• inadéquation entre la typologie du logement et la composition du ménage',
    );
    expect(refused.body).toContain('Votre demande reste active');
    const ranked = decisionMessage({ ...base, kind: 'ranked-allocation', rank: 3 });
    expect(ranked.body).toContain(
      'Vous êtes classé(e) au rang 3 : le logement vous sera proposé si les 2 candidats classés avant vous le refusent.',
    );
    const condition = decisionMessage({
      ...base,
      kind: 'suspensive-condition',
      missingDocument: 'avis d’imposition 2025',
    });
    expect(condition.body).toContain('après réception de la pièce suivante : avis d’imposition 2025.');
    expect(decisionMessage({ ...base, kind: 'allocation' }).body).toContain('Le logement vous est attribué.');
  });
});

describe('published results of past lets', () => {
  it('bands scores and seniority', () => {
    expect(scoreBand(47.5, 10)).toEqual({ min: 40, max: 50, label: 'de 40 à 49 points' });
    expect(scoreBand(47.5, 25)).toEqual({ min: 25, max: 50, label: 'de 25 à 49 points' });
    expect(wholeYearsBetween('2023-03-02', '2026-03-01')).toBe(2);
    expect(wholeYearsBetween('2023-03-02', '2026-03-02')).toBe(3);
    expect(seniorityBand('2023-03-02', '2026-03-02', [0, 1, 2, 4, 6, 10]).label).toBe(
      'de 2 ans à moins de 4 ans',
    );
    expect(seniorityBand('2026-01-02', '2026-03-02', [0, 1, 2]).label).toBe('moins de 1 an');
    expect(seniorityBand('2010-01-02', '2026-03-02', [0, 2, 6]).label).toBe('6 ans ou plus');
  });

  it('withholds bands under 3 applicants, coarsens them under 10 (rule of 2024)', () => {
    const facts = {
      score: 47.5,
      registeredOn: '2023-03-02',
      closedOn: '2026-03-02',
      decidedOn: '2026-03-10',
    };
    expect(publicationRuleOn('2026-03-10').validFrom).toBe('2024-01-01');
    expect(publishLet({ ...facts, applicants: 2 })).toEqual({
      applicants: 2,
      precision: 'suppressed',
      scoreBand: null,
      seniorityBand: null,
      note: 'moins de 3 candidats : note et ancienneté non publiées',
    });
    const coarse = publishLet({ ...facts, applicants: 9 });
    expect(coarse.precision).toBe('coarse');
    expect(coarse.scoreBand?.label).toBe('de 25 à 49 points');
    expect(coarse.seniorityBand?.label).toBe('de 2 ans à moins de 6 ans');
    const fine = publishLet({ ...facts, applicants: 10 });
    expect(fine).toMatchObject({ precision: 'fine', note: null });
    expect(fine.scoreBand?.label).toBe('de 40 à 49 points');
    expect(fine.seniorityBand?.label).toBe('de 2 ans à moins de 4 ans');
    expect(publishLet({ ...facts, score: null, applicants: 12 }).scoreBand).toBeNull();
  });
});
