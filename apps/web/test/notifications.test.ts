import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../src/pages/letting/letting-lib.ts';
import {
  criteriaFromFilters,
  type Notification,
  statusText,
} from '../src/pages/notifications/notification-lib.ts';

describe('notification pages', () => {
  it('save the adverts page’s filters as an alert with the meaning of GET /adverts', () => {
    expect(criteriaFromFilters(EMPTY_FILTERS)).toEqual({
      communes: [],
      typologies: [],
      maxTotalRentEur: null,
      accessible: null,
      lift: null,
      maxFloorWithoutLift: null,
    });
    expect(
      criteriaFromFilters({
        ...EMPTY_FILTERS,
        communes: ['38185'],
        typologies: [3, 2],
        maxTotalRentEur: ' 612,5 ',
        accessible: true,
        floor: '2',
      }),
    ).toEqual({
      communes: ['38185'],
      typologies: [2, 3],
      maxTotalRentEur: 612.5,
      accessible: true,
      lift: null,
      maxFloorWithoutLift: 2,
    });
    expect(
      criteriaFromFilters({ ...EMPTY_FILTERS, floor: 'lift', maxTotalRentEur: 'beaucoup' }),
    ).toMatchObject({
      lift: true,
      maxFloorWithoutLift: null,
      maxTotalRentEur: null,
    });
  });

  it('say plainly whether a message left', () => {
    const n: Notification = {
      id: 'x',
      kind: 'decision',
      kindLabel: 'décision',
      subject: 's',
      body: 'b',
      createdAt: '2026-11-22T10:00:00Z',
      status: 'pending',
      attempts: 0,
      sentAt: null,
      failedAt: null,
    };
    expect(statusText(n, 'demo')).toBe('non envoyé : démonstration, aucun serveur d’envoi configuré');
    expect(statusText(n, 'smtp')).toBe('en attente d’envoi');
    expect(statusText({ ...n, attempts: 2 }, 'smtp')).toBe('en attente d’un nouvel essai (2 tentatives)');
    expect(statusText({ ...n, status: 'failed', attempts: 6 }, 'smtp')).toBe(
      'échec de l’envoi après 6 tentatives',
    );
    expect(statusText({ ...n, status: 'sent', sentAt: '2026-11-22T10:00:00Z' }, 'smtp')).toMatch(
      /^envoyé le 22 novembre 2026 à 11:00$/,
    );
  });
});
