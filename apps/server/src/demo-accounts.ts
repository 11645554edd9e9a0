import { countUsers, createUser, type Db, type Role } from '@mosaique/db';
import { hashPassword } from './auth/passwords.ts';

/**
 * Demo accounts, one per role, created with the demo population (listed in README.md). Their
 * password is public: they exist only in the demo dataset, never on a real territory.
 */
export const DEMO_PASSWORD = 'mosaique-demo-2026';

export interface DemoAccount {
  identifier: string;
  displayName: string;
  role: Role;
}

export const DEMO_ACCOUNTS: readonly (DemoAccount & {
  landlordId?: string;
  reservationHolderId?: string;
  epciCode?: string;
})[] = [
  { identifier: 'admin@demo.mosaique.fr', displayName: 'Administratrice (démo)', role: 'admin' },
  {
    identifier: 'analyste@demo.mosaique.fr',
    displayName: 'Analyste habitat de la Métropole (démo)',
    role: 'epci-analyst',
    epciCode: '200040715',
  },
  {
    identifier: 'bailleur@demo.mosaique.fr',
    displayName: 'Agent d’Habitat des Trois Massifs (démo)',
    role: 'landlord-agent',
    landlordId: 'll-1',
  },
  {
    identifier: 'reservataire@demo.mosaique.fr',
    displayName: 'Agent du contingent préfectoral (démo)',
    role: 'reservation-holder-agent',
    reservationHolderId: 'rh-state',
  },
  {
    identifier: 'relogement@demo.mosaique.fr',
    displayName: 'Chargée de relogement de Villeneuve (démo)',
    role: 'relocation-officer',
    epciCode: '200040715',
  },
];

/**
 * Creates the demo accounts when the database has none: the agents above and one applicant,
 * whose identifier is the SNE number of the first active demand. Returns that number, or null when
 * nothing was created.
 */
export async function ensureDemoAccounts(db: Db, epci: string): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null;
  const [demand] = await db.query<{ sne_number: string }>(
    "SELECT sne_number FROM demand WHERE epci_code = $1 AND status = 'active' ORDER BY sne_number LIMIT 1",
    [epci],
  );
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    for (const a of DEMO_ACCOUNTS) {
      await createUser(tx, {
        identifier: a.identifier,
        displayName: a.displayName,
        role: a.role,
        landlordId: a.landlordId ?? null,
        reservationHolderId: a.reservationHolderId ?? null,
        epciCode: a.epciCode ?? null,
        sneNumber: null,
        passwordHash,
      });
    }
    if (demand) {
      await createUser(tx, {
        identifier: demand.sne_number,
        displayName: 'Demandeur ou demandeuse (démo)',
        role: 'applicant',
        landlordId: null,
        reservationHolderId: null,
        epciCode: epci,
        sneNumber: demand.sne_number,
        passwordHash,
      });
    }
  });
  return demand?.sne_number ?? null;
}
