import { describe, expect, it } from 'vitest';
import {
  candidateCountProblem,
  candidateListProblems,
  currentOffer,
  decisionProblems,
  deviatesFromProposal,
  REASON_CODES,
  yearToDateOfLeases,
} from '../../src/commission/index.ts';

const home = { candidates: ['A', 'B', 'C'], available: 5, daloDesignated: false };

describe('commission decisions (R441-3)', () => {
  it('accepts an allocation with motivated non-allocations', () => {
    expect(
      decisionProblems(home, [
        { sneNumber: 'A', kind: 'allocation' },
        { sneNumber: 'B', kind: 'non-allocation', reasonCodes: ['autre-candidat-prioritaire'] },
        { sneNumber: 'C', kind: 'rejection', reasonCodes: ['plafonds-depasses'], reasonText: 'RFR 2024' },
      ]),
    ).toEqual([]);
  });

  it('requires known reason codes for a non-allocation and a rejection, and inadmissibility for a rejection', () => {
    const problems = decisionProblems(home, [
      { sneNumber: 'A', kind: 'allocation', reasonCodes: ['dossier-incomplet'] },
      { sneNumber: 'B', kind: 'non-allocation' },
      { sneNumber: 'C', kind: 'rejection', reasonCodes: ['ressources-insuffisantes', 'inconnu'] },
    ]);
    expect(problems).toEqual([
      'A : les motifs ne s’appliquent qu’à une non-attribution ou un rejet',
      'B : une non-attribution doit être motivée (au moins un motif)',
      'C : motif inconnu « inconnu »',
      'C : un rejet pour irrecevabilité ne peut reposer que sur un motif d’irrecevabilité',
    ]);
  });

  it('needs ranks 1…n for a ranked allocation and one household per home', () => {
    expect(
      decisionProblems(home, [
        { sneNumber: 'A', kind: 'ranked-allocation', rank: 1 },
        { sneNumber: 'B', kind: 'ranked-allocation', rank: 2 },
        { sneNumber: 'C', kind: 'ranked-allocation', rank: 3 },
      ]),
    ).toEqual([]);
    expect(
      decisionProblems(home, [
        { sneNumber: 'A', kind: 'ranked-allocation' },
        { sneNumber: 'B', kind: 'ranked-allocation', rank: 3 },
        { sneNumber: 'C', kind: 'allocation', rank: 1 },
      ]),
    ).toEqual([
      'A : une attribution par ordre de priorité exige un rang (1, 2, 3…)',
      'C : un rang ne s’applique qu’à une attribution par ordre de priorité',
      'une attribution simple et une attribution par ordre de priorité ne peuvent pas se combiner',
      'les rangs doivent être distincts et suivis, à partir de 1',
    ]);
    expect(
      decisionProblems(home, [
        { sneNumber: 'A', kind: 'allocation' },
        { sneNumber: 'B', kind: 'suspensive-condition' },
        { sneNumber: 'D', kind: 'non-allocation', reasonCodes: ['dossier-incomplet'] },
      ]),
    ).toEqual([
      'B : une condition suspensive doit nommer la pièce manquante',
      'D : ce demandeur n’est pas candidat sur ce logement',
      'C : ce candidat n’a pas de décision',
      'le logement ne peut être attribué qu’à un seul ménage (sinon, classer les candidats)',
    ]);
  });

  it('applies the 3-candidate rule with its two exceptions', () => {
    expect(candidateCountProblem({ candidates: ['A', 'B'], available: 5, daloDesignated: false })).toMatch(
      /au moins 3 candidats/,
    );
    expect(candidateCountProblem({ candidates: ['A', 'B'], available: 2, daloDesignated: false })).toBeNull();
    expect(candidateCountProblem({ candidates: ['A'], available: 5, daloDesignated: true })).toBeNull();
    expect(candidateCountProblem({ candidates: [], available: 0, daloDesignated: true })).toMatch(/aucun/);
  });

  it('asks for a written justification of any deviation from the proposal', () => {
    expect(deviatesFromProposal(['A', 'B', 'C'], ['A', 'C', 'B'])).toBe(true);
    expect(deviatesFromProposal(['A', 'B', 'C'], ['A', 'B', 'C'])).toBe(false);
    expect(deviatesFromProposal(null, ['A'])).toBe(false);
    expect(candidateListProblems(['A', 'B', 'C'], ['A', 'B', 'D'], 'court')).toHaveLength(1);
    expect(
      candidateListProblems(['A', 'B', 'C'], ['A', 'B', 'D'], 'C a retiré sa demande le 3 mars'),
    ).toEqual([]);
    expect(candidateListProblems(null, ['A', 'A'], null)).toEqual([
      'un candidat figure deux fois dans la liste',
    ]);
  });

  it('passes the offer down the ranking when a candidate refuses', () => {
    const d = (id: string, rank: number, response: 'accepted' | 'refused' | null = null) => ({
      id,
      sneNumber: id,
      kind: 'ranked-allocation' as const,
      rank,
      response,
    });
    expect(currentOffer([d('B', 2), d('A', 1)])?.id).toBe('A');
    expect(currentOffer([d('B', 2), d('A', 1, 'refused')])?.id).toBe('B');
    expect(currentOffer([d('B', 2, 'refused'), d('A', 1, 'refused')])).toBeNull();
    expect(
      currentOffer([{ id: 'X', sneNumber: 'X', kind: 'non-allocation', rank: null, response: null }]),
    ).toBeNull();
  });

  it('documents every reason code in French', () => {
    for (const label of Object.values(REASON_CODES)) expect(label).toMatch(/^[a-zéèà]/);
  });

  it('counts the year-to-date leases for the engine', () => {
    const lease = (qpv: boolean, firstQuartile: boolean, priorityPublic: boolean, holder = 'state') => ({
      qpv,
      firstQuartile,
      urbanRenewalRelocation: false,
      priorityPublic,
      reservationHolder: holder,
    });
    expect(
      yearToDateOfLeases('200040715', [
        lease(false, true, true),
        lease(false, false, false),
        lease(true, false, false, 'x'),
      ]),
    ).toEqual({
      yearToDate: [
        {
          epci: '200040715',
          outsideQpv: 2,
          outsideQpvFirstQuartile: 1,
          insideQpv: 1,
          insideQpvNonFirstQuartile: 1,
        },
      ],
      reservationYearToDate: [
        { reservationHolder: 'state', total: 2, priority: 1 },
        { reservationHolder: 'x', total: 1, priority: 0 },
      ],
    });
  });
});
