import {
  activateGridVersion,
  activeGrid,
  countHouseholds,
  type Db,
  DEMO_TERRITORY_DIR,
  dbOptionsFromEnv,
  failInterruptedJobs,
  importTerritory,
  migrate,
  openDb,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveDraftGrid,
} from '@mosaique/db';
import { DEFAULT_COTATION_GRID } from '@mosaique/domain/cotation';
import { generateDemoPopulation } from '@mosaique/domain/demo';
import type { FastifyInstance } from 'fastify';
import { buildApp, loggerOptions, WEB_ROOT } from './app.ts';
import { ensureDemoCommission } from './commission/demo-commission.ts';
import { rescoreDemands } from './cotation/rescore.ts';
import { DEMO_PASSWORD, ensureDemoAccounts } from './demo-accounts.ts';
import { ensureDemoLetting } from './demo-letting.ts';
import { closeDueCycles } from './letting/close-cycles.ts';
import { ReadCache } from './letting/read-cache.ts';
import { ensureDemoMailbox, ensureDemoPastLets } from './notifications/demo-results.ts';
import { smtpMailerFromEnv, startNotifier } from './notifications/sender.ts';
import { observatoryServiceFor } from './observatory/observatory-service.ts';
import { ensureDemoRelocation } from './relocation/demo.ts';
import { warmOpenData } from './routes/open-data.ts';

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress lines for the terminal (French). */
  progress?: (line: string) => void;
  webRoot?: string;
}

export interface RunningPlatform {
  app: FastifyInstance;
  db: Db;
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the database (PGlite in MOSAIQUE_DATA_DIR, or the server of DATABASE_URL), applies the
 * migrations, loads the demo territory into an empty database, and listens on HOST:PORT.
 */
export async function startPlatform(options: StartOptions = {}): Promise<RunningPlatform> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => {});
  const dbOptions = dbOptionsFromEnv(env);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  progress(
    dbOptions.databaseUrl
      ? 'Base de données : serveur PostgreSQL (DATABASE_URL)'
      : `Base de données : PostgreSQL embarqué (PGlite) dans ${dbOptions.dataDir}`,
  );
  const db = await openDb(dbOptions);
  try {
    const applied = await migrate(db);
    progress(
      applied.length ? `Migrations appliquées : ${applied.join(', ')} (${elapsed()})` : 'Schéma à jour',
    );
    const interrupted = await failInterruptedJobs(db);
    if (interrupted)
      progress(`${interrupted} tâche(s) interrompue(s) par l’arrêt précédent, marquée(s) en échec`);
    await ensureDemoData(db, progress, elapsed);

    const port = Number(env.PORT ?? 3000);
    const host = env.HOST ?? '127.0.0.1';
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT invalide : ${env.PORT}`);
    const loginPerMinute = Number(env.MOSAIQUE_LOGIN_PER_MINUTE ?? 10);
    if (!Number.isInteger(loginPerMinute) || loginPerMinute < 1) {
      throw new Error(`MOSAIQUE_LOGIN_PER_MINUTE invalide : ${env.MOSAIQUE_LOGIN_PER_MINUTE}`);
    }
    const mailer = smtpMailerFromEnv(env);
    // Advert search reads kept 5 s at most, emptied by every write (docs/decisions/0008).
    const readCache = new ReadCache(5000);
    const app = await buildApp({
      readCache,
      mailDelivery: mailer ? 'smtp' : 'demo',
      db,
      webRoot: options.webRoot ?? WEB_ROOT,
      logger: loggerOptions(env.LOG_LEVEL),
      loginPerMinute,
    });
    const address = await app.listen({ port, host });
    progress(`Mosaïque est prêt : ${address} (${elapsed()})`);
    // Read the observatory's data in the background, so that its first visitor does not wait for it.
    const warming = warmObservatory(db, (error) =>
      app.log.warn({ err: error }, 'préchargement de l’observatoire'),
    );
    // Letting cycles close (and their shortlists are built) when their closing time passes.
    const closer = setInterval(() => {
      closeDueCycles(db)
        .then((closed) => {
          if (closed.length) readCache.clear();
          for (const c of closed) app.log.info({ cycle: c.cycleId }, 'cycle de location clos');
        })
        .catch((error: unknown) => app.log.error({ err: error }, 'clôture des cycles'));
    }, CYCLE_CHECK_MS);
    closer.unref();
    // Notifications: reminders of cycles closing soon; e-mails sent when SMTP is configured.
    const notifier = startNotifier(db, { mailer, log: app.log });
    return {
      app,
      db,
      url: address,
      async close() {
        clearInterval(closer);
        await notifier.stop();
        await warming;
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function warmObservatory(db: Db, log: (error: unknown) => void): Promise<void> {
  try {
    const epcis = await db.query<{ code: string }>('SELECT code FROM epci');
    for (const { code } of epcis) await observatoryServiceFor(db).snapshot(code);
    // Then the open data's default catalogue (publication under secrecy, indices): its first visitor
    // would otherwise wait for it (seconds on the demo territory).
    for (const { code } of epcis) await warmOpenData(db, code);
  } catch (error) {
    log(error);
  }
}

/** How often due letting cycles are looked for, ms. */
const CYCLE_CHECK_MS = 60_000;

/** Seed of the demo population loaded at first start. */
export const DEMO_SEED = 2026;

/**
 * First start: loads the demo territory into a database without any EPCI, then generates and loads
 * the demo population (households, stock, demands, leases) while the demo EPCI has none.
 */
async function ensureDemoData(
  db: Db,
  progress: (line: string) => void,
  elapsed: () => string,
): Promise<void> {
  const epcis = await db.query<{ code: string }>('SELECT code FROM epci');
  if (epcis.length > 0 && !epcis.some((e) => e.code === DEMO_EPCI)) return; // a real territory: no demo
  if (epcis.length === 0) {
    progress('Premier démarrage : import du territoire de démonstration (Grenoble-Alpes Métropole)…');
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    progress(`Territoire importé (${elapsed()})`);
  }
  if ((await countHouseholds(db, DEMO_EPCI)) === 0) {
    await loadDemoPopulation(db, await readTerritoryFolder(DEMO_TERRITORY_DIR), progress, elapsed);
  }
  if ((await activeGrid(db, DEMO_EPCI)) === null) {
    const grid = await saveDraftGrid(db, DEMO_EPCI, DEFAULT_COTATION_GRID, null);
    await activateGridVersion(db, DEMO_EPCI, grid.id, grid.version);
    const count = await rescoreDemands(db, DEMO_EPCI, grid, new Date().toISOString().slice(0, 10));
    progress(`Grille de cotation de démonstration activée, ${count} demandes notées (${elapsed()})`);
  }
  const adverts = await ensureDemoLetting(db, DEMO_EPCI);
  if (adverts > 0)
    progress(`Cycles de location de démonstration ouverts : ${adverts} annonces publiées (${elapsed()})`);
  const examined = await ensureDemoCommission(db, DEMO_EPCI);
  if (examined > 0)
    progress(`Cycle clos de démonstration pour la commission : ${examined} logements (${elapsed()})`);
  const applicant = await ensureDemoAccounts(db, DEMO_EPCI);
  const [pastLets, mails] = [await ensureDemoPastLets(db, DEMO_EPCI), await ensureDemoMailbox(db, DEMO_EPCI)];
  if (pastLets + mails > 0)
    progress(`Démonstration : ${pastLets} attributions passées, ${mails} e-mails (${elapsed()})`);
  if (applicant) {
    progress(
      `Comptes de démonstration créés (mot de passe « ${DEMO_PASSWORD} ») : admin@, analyste@, bailleur@, ` +
        `reservataire@demo.mosaique.fr, et le demandeur ${applicant}`,
    );
  }
  await ensureDemoRelocation(db, DEMO_EPCI, progress);
}

async function loadDemoPopulation(
  db: Db,
  territory: Awaited<ReturnType<typeof readTerritoryFolder>>,
  progress: (line: string) => void,
  elapsed: () => string,
): Promise<void> {
  progress(`Génération de la population de démonstration (graine ${DEMO_SEED})…`);
  const population = generateDemoPopulation(territory, { seed: DEMO_SEED });
  progress(
    `Population générée : ${population.households.length} ménages, ${population.homes.length} logements sociaux, ` +
      `${population.demands.length} demandes, ${population.leases.length} baux (${elapsed()})`,
  );
  await replaceDemoPopulation(db, population, ({ table, rows }) =>
    progress(`  chargé : ${table}, ${rows} ligne(s) (${elapsed()})`),
  );
  progress(`Population de démonstration chargée (${elapsed()})`);
}

const DEMO_EPCI = '200040715';
