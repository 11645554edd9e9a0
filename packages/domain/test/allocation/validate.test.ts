import { describe, expect, it } from 'vitest';
import { AllocationInstanceError, allocate, validateAllocationInstance } from '../../src/allocation/index.ts';

function valid() {
  return {
    targets: { firstQuartileOutsideQpv: 0.25 },
    homes: [{ id: 'h1', epci: '200040715', qpv: false, reservationHolder: 'state' }],
    applicants: [
      { id: 'a1', score: 57, firstQuartile: true, urbanRenewalRelocation: false, priorityPublic: false },
    ],
    applications: [{ applicant: 'a1', home: 'h1', rank: 1 }],
    yearToDate: [
      {
        epci: '200040715',
        outsideQpv: 120,
        outsideQpvFirstQuartile: 25,
        insideQpv: 40,
        insideQpvNonFirstQuartile: 22,
      },
    ],
    reservationYearToDate: [{ reservationHolder: 'state', total: 50, priority: 10 }],
  };
}

function issues(input: unknown): readonly string[] {
  try {
    validateAllocationInstance(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AllocationInstanceError);
    return (error as AllocationInstanceError).issues;
  }
  return [];
}

describe('validateAllocationInstance', () => {
  it('accepts the documented example', () => {
    expect(issues(valid())).toEqual([]);
  });

  it('refuses unknown ids, naming the entry', () => {
    const input = valid();
    input.applications.push(
      { applicant: 'a99', home: 'h1', rank: 2 },
      { applicant: 'a1', home: 'h7', rank: 2 },
    );
    expect(issues(input)).toEqual([
      'applications[1] : candidat « a99 » inconnu',
      'applications[2] : logement « h7 » inconnu',
    ]);
  });

  it('refuses duplicate applications and duplicate ids', () => {
    const input = valid();
    input.applications.push({ applicant: 'a1', home: 'h1', rank: 2 });
    input.homes.push({ id: 'h1', epci: '200040715', qpv: true, reservationHolder: 'commune' });
    expect(issues(input)).toEqual([
      'homes[1] : logement « h1 » en double (déjà homes[0])',
      'applications[1] : candidature en double de « a1 » sur « h1 » (déjà applications[0])',
    ]);
  });

  it('refuses ranks below 1 or not integers', () => {
    const input = valid();
    input.applications[0]!.rank = 0;
    input.applications.push({ applicant: 'a1', home: 'h1', rank: 1.5 });
    expect(issues(input)).toContain('applications[0] : rang « 0 » invalide : entier ≥ 1 attendu');
    expect(issues(input)).toContain('applications[1] : rang « 1.5 » invalide : entier ≥ 1 attendu');
  });

  it('refuses targets outside [0, 1] and unknown target names', () => {
    const input = {
      ...valid(),
      targets: { firstQuartileOutsideQpv: 1.2, nonFirstQuartileInsideQpv: -0.1, quota: 0.3 },
    };
    expect(issues(input)).toEqual([
      'targets.firstQuartileOutsideQpv : doit être une part entre 0 et 1, reçu « 1.2 »',
      'targets.nonFirstQuartileInsideQpv : doit être une part entre 0 et 1, reçu « -0.1 »',
      'targets : objectif inconnu « quota »',
    ]);
  });

  it('refuses missing fields, wrong types and inconsistent year-to-date counts', () => {
    const input = {
      homes: [{ id: '', epci: '200040715', qpv: 'non', reservationHolder: 'state' }],
      applicants: [{ id: 'a1', score: 'high', firstQuartile: true, urbanRenewalRelocation: false }],
      applications: [],
      yearToDate: [{ epci: '200040715', outsideQpv: 3, outsideQpvFirstQuartile: 5, insideQpv: -1 }],
      settings: { unletHomes: 'never', timeLimitSeconds: 0 },
    };
    expect(issues(input)).toEqual([
      'settings.unletHomes : « nonQualifying » ou « excluded » attendu, reçu « never »',
      'settings.timeLimitSeconds : doit être > 0, reçu 0',
      'homes[0] : champ « id » manquant ou vide',
      'homes[0] : champ « qpv » : booléen attendu (true/false)',
      'applicants[0] : champ « score » : nombre attendu, reçu « high »',
      'applicants[0] : champ « priorityPublic » : booléen attendu (true/false)',
      'yearToDate[0] : champ « insideQpv » : entier ≥ 0 attendu, reçu « -1 »',
      'yearToDate[0] : outsideQpvFirstQuartile dépasse outsideQpv',
    ]);
  });

  it('makes allocate throw with every issue in one message', () => {
    const input = valid();
    input.applications.push({ applicant: 'a99', home: 'h7', rank: 0 });
    expect(() => allocate(input)).toThrowError(
      /Instance refusée, 3 erreur\(s\)[\s\S]*applications\[1\] : candidat « a99 » inconnu/,
    );
  });
});
