import { describe, expect, it } from 'vitest';
import {
  emptyOperationForm,
  landlordsOfQpv,
  type OperationForm,
  operationBody,
  operationFormProblems,
  type RelocationStock,
} from '../src/pages/relocation/operation-form.ts';

const residence = (
  id: string,
  landlordId: string,
  households: number,
  operationName: string | null = null,
) => ({
  id,
  name: `Bâtiment ${id}`,
  communeName: 'Grenoble',
  landlordId,
  landlordName: landlordId === 'L1' ? 'Actis' : 'SDH',
  homes: households + 1,
  households,
  operationName,
});

const stock: RelocationStock = {
  qpvs: [
    {
      code: 'QN03807M',
      name: 'Villeneuve',
      residences: [
        residence('R1', 'L1', 12),
        residence('R2', 'L1', 8, 'Démolition Arlequin'),
        residence('R3', 'L2', 5),
      ],
    },
    { code: 'QN03806M', name: 'Mistral', residences: [] },
  ],
  officers: [
    { id: 'u1', identifier: 'a@example.fr', displayName: 'Chargée A' },
    { id: 'u2', identifier: 'b@example.fr', displayName: 'Chargé B' },
  ],
};

const complete: OperationForm = {
  name: '  Démolition du 50 Arlequin ',
  kind: 'demolition',
  qpv: 'QN03807M',
  landlordId: 'L1',
  residenceIds: ['R1'],
  milestones: [
    { label: 'Démolition', date: '2027-03-01' },
    { label: '', date: '' },
  ],
  officers: ['u2'],
};

describe('relocation operation form', () => {
  it('offers the landlords of the chosen QPV only, each once', () => {
    expect(landlordsOfQpv(stock, 'QN03807M')).toEqual([
      { id: 'L1', name: 'Actis' },
      { id: 'L2', name: 'SDH' },
    ]);
    expect(landlordsOfQpv(stock, 'QN03806M')).toEqual([]);
  });

  it('accepts a complete form and sends what the API expects, blank calendar rows left out', () => {
    expect(operationFormProblems(complete, stock)).toEqual({});
    expect(operationBody(complete, stock, '200040715')).toEqual({
      epci: '200040715',
      name: 'Démolition du 50 Arlequin',
      kind: 'demolition',
      qpv: 'QN03807M',
      landlordId: 'L1',
      residenceIds: ['R1'],
      milestones: [{ label: 'Démolition', date: '2027-03-01' }],
      officers: ['b@example.fr'],
    });
  });

  it('names each wrong field and its rule in French', () => {
    expect(operationFormProblems(emptyOperationForm(), stock)).toEqual({
      name: 'Nom de l’opération : 3 caractères au moins',
      qpv: 'Quartier prioritaire : choisissez un QPV du territoire',
    });
    expect(operationFormProblems({ ...complete, landlordId: 'L9' }, stock)).toEqual({
      landlordId: 'Bailleur : choisissez un bailleur possédant des bâtiments dans ce quartier',
    });
    // A building of another landlord does not count; one already in an operation is refused by name.
    expect(operationFormProblems({ ...complete, residenceIds: ['R3'] }, stock).residenceIds).toBe(
      'Bâtiments concernés : cochez au moins un bâtiment du quartier et du bailleur',
    );
    expect(operationFormProblems({ ...complete, residenceIds: ['R1', 'R2'] }, stock).residenceIds).toBe(
      'Bâtiments concernés : Bâtiment R2 déjà concerné(s) par une autre opération',
    );
    expect(
      operationFormProblems(
        {
          ...complete,
          milestones: [
            { label: 'Démolition', date: '2027-03-01' },
            { label: 'Rendu', date: '' },
          ],
        },
        stock,
      ).milestones,
    ).toBe('Calendrier, étape 2 : date à indiquer (jour, mois, année)');
    expect(
      operationFormProblems({ ...complete, milestones: [{ label: 'ok', date: '2027-02-30' }] }, stock)
        .milestones,
    ).toBe('Calendrier, étape 1 : libellé de 3 caractères au moins');
    expect(
      operationFormProblems({ ...complete, milestones: [{ label: 'Relogement', date: '2027-02-30' }] }, stock)
        .milestones,
    ).toBe('Calendrier, étape 1 : date à indiquer (jour, mois, année)');
  });
});
