import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningPlatform, startPlatform } from '@mosaique/server';
import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from '../apps/cli/src/web-build.ts';

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
