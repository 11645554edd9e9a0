import { describe, expect, it } from 'vitest';
import {
  frGap,
  moveEntry,
  positionText,
  sessionFormProblems,
} from '../src/pages/commission/commission-lib.ts';

const members = [
  { name: 'Mme A', role: 'présidente' },
  { name: 'M. B', role: 'représentant du maire' },
];

describe('commission pages', () => {
  it('accept a complete session form and name each wrong field in French', () => {
    expect(sessionFormProblems({ landlordId: 'll-1', heldOn: '2026-11-22', members, quorum: '2' })).toEqual(
      {},
    );
    expect(
      sessionFormProblems({
        landlordId: '',
        heldOn: '',
        members: [
          { name: 'Mme A', role: '' },
          { name: '', role: '' },
        ],
        quorum: '3',
      }),
    ).toEqual({
      landlordId: 'choisissez le bailleur dont c’est la commission',
      heldOn: 'indiquez la date de la séance',
      members: 'chaque membre doit avoir un nom et une qualité',
      // Empty rows are ignored: one member, a quorum of 3 is too many.
      quorum: 'le quorum (3) dépasse le nombre de membres (1)',
    });
    expect(
      sessionFormProblems({ landlordId: 'll-1', heldOn: '2026-11-22', members: [], quorum: '0' }),
    ).toEqual({
      members: 'indiquez au moins un membre (nom et qualité)',
      quorum: 'le quorum est un nombre entier de membres, au moins 1',
    });
  });

  it('move an entry up or down, never out of the list', () => {
    expect(moveEntry(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveEntry(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
    expect(positionText('Le candidat 03812', 2, 3)).toBe(
      'Le candidat 03812 est maintenant en position 2 sur 3.',
    );
  });

  it('print the gap with enough digits to read 1e-4, and a zero gap as 0 %', () => {
    expect(frGap(0)).toBe('0 %');
    expect(frGap(1e-4)).toBe('0,01 %');
    expect(frGap(0.0123456)).toBe('1,23 %');
  });
});
