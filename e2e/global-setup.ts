import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertNotification } from '@mosaique/db';
import { type RunningPlatform, startPlatform } from '@mosaique/server';
import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from '../apps/cli/src/web-build.ts';
import { RESERVATION_HOLDER_MESSAGES } from './fixtures.ts';

let platform: RunningPlatform | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  await ensureWebBuild((line) => process.stderr.write(`[e2e] ${line}\n`));
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'mosaique-e2e-'));
  platform = await startPlatform({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      MOSAIQUE_DATA_DIR: path.join(dataDir, 'db'),
      LOG_LEVEL: 'warn',
      // Every browser test signs in on this one platform, from one address.
      MOSAIQUE_LOGIN_PER_MINUTE: '1000',
    },
  });
  project.provide('baseUrl', platform.url);
  const [applicant] = await platform.db.query<{ identifier: string }>(
    "SELECT identifier FROM app_user WHERE role = 'applicant' ORDER BY identifier LIMIT 1",
  );
  project.provide('demoApplicant', applicant!.identifier);
  await fillReservationHolderMailbox(platform);
}

/**
 * 55 reminders to the demo reservation-holder agent (who receives none otherwise), so that the
 * mailbox test (notifications.e2e.test.ts) has more than one page of 50 to show; written through
 * the outbox's own function, as the notifier does.
 */
async function fillReservationHolderMailbox(p: RunningPlatform): Promise<void> {
  const [agent] = await p.db.query<{ id: string }>(
    "SELECT id FROM app_user WHERE identifier = 'reservataire@demo.mosaique.fr'",
  );
  for (let i = 1; i <= RESERVATION_HOLDER_MESSAGES; i++)
    await insertNotification(p.db, {
      userId: agent!.id,
      epci: '200040715',
      kind: 'cycle-closing',
      subject: `Message de test n° ${i}`,
      body: 'Message écrit pour le test de la boîte de réception (plus d’une page de messages).',
      dedupeKey: `e2e-mailbox:${i}`,
    });
}

export async function teardown(): Promise<void> {
  await platform?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** Identifier (SNE number) of the demo applicant account. */
    demoApplicant: string;
  }
}
