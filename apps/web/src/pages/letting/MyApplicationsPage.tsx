import { useCallback, useEffect, useState } from 'react';
import { getJson, sendJson } from '../../api.ts';
import { formatEuros } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { PreferenceOrder } from '../commission/PreferenceOrder.tsx';
import { APPLICATION_STATUS, frDate, frDateTime } from './letting-lib.ts';
import type { AdvertSummary, Application } from './types.ts';
import { ChanceText, NoticeBox, useNotice } from './ui.tsx';

export interface ApplicationRow {
  application: Application;
  /** What was applied to, also once the landlord withdrew the advert. */
  advert: AdvertSummary;
}

/** Loads the applications, each with its advert (one request: GET /applications recalls the advert). */
export async function loadApplications(sneNumber: string | null): Promise<ApplicationRow[]> {
  const query = sneNumber ? `?sneNumber=${encodeURIComponent(sneNumber)}` : '';
  const { applications } = await getJson<{ applications: Application[] }>(`/applications${query}`);
  return applications.map((application) => ({ application, advert: application.advert }));
}

/** The applicant's applications, their status and chance; withdraw an active one. */
export function MyApplicationsPage() {
  const { session } = useSession();
  const [rows, setRows] = useState<ApplicationRow[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { notice, ref, success, failure } = useNotice();
  const applicant = session?.user.role === 'applicant';

  const reload = useCallback(
    () =>
      loadApplications(null)
        .then(setRows)
        .catch((e: Error) => setLoadError(e.message)),
    [],
  );
  useEffect(() => {
    if (applicant) void reload();
  }, [applicant, reload]);

  if (session === undefined) return <p>Chargement…</p>;
  if (!applicant) {
    return (
      <>
        <h1>Mes candidatures</h1>
        <p>
          {session === null ? (
            <>
              <Link href="/connexion">Connectez-vous</Link> avec votre numéro unique pour suivre vos
              candidatures.
            </>
          ) : (
            'Cette page est celle des demandeurs. Les agents suivent les candidatures d’un demandeur depuis la gestion des annonces.'
          )}
        </p>
      </>
    );
  }

  const withdraw = async (row: ApplicationRow) => {
    setBusy(true);
    try {
      await sendJson('DELETE', `/applications/${row.application.id}`, undefined, session.csrfToken);
      await reload();
      success(`Candidature retirée pour le T${row.advert.home.typology} à ${row.advert.home.communeName}.`);
    } catch (e) {
      failure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Mes candidatures</h1>
      <p className="lead">
        Le statut de chacune de vos candidatures et, tant qu’elle est en cours, votre rang parmi les
        candidats. Retirer une candidature libère une place pour candidater à un autre logement du même cycle.
      </p>
      <p>
        <Link href="/annonces">Voir les logements à louer</Link>
      </p>
      <NoticeBox notice={notice} noticeRef={ref} testId="letting-notice" />
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {rows === null ? (
        <p>Chargement…</p>
      ) : rows.length === 0 ? (
        <p>Vous n’avez encore candidaté à aucun logement.</p>
      ) : (
        <>
          <CycleUsage rows={rows} />
          <PreferenceOrder rows={rows} />
          <ApplicationsTable
            rows={rows}
            busy={busy}
            onWithdraw={(r) => void withdraw(r)}
            caption="Vos candidatures, de la plus récente à la plus ancienne"
          />
        </>
      )}
    </>
  );
}

/** « Cycle de décembre : 2 candidatures en cours sur 3 permises. » for each cycle with an active one. */
function CycleUsage({ rows }: { rows: ApplicationRow[] }) {
  const cycles = new Map<string, { name: string; max: number; active: number }>();
  for (const { application, advert } of rows) {
    if (advert.cycle.status !== 'open') continue;
    const c = cycles.get(advert.cycle.id) ?? {
      name: advert.cycle.name,
      max: advert.cycle.maxActiveApplications,
      active: 0,
    };
    if (application.status === 'active') c.active++;
    cycles.set(advert.cycle.id, c);
  }
  if (cycles.size === 0) return null;
  return (
    <ul data-testid="cycle-usage">
      {[...cycles.values()].map((c) => (
        <li key={c.name}>
          {c.name} : {c.active} candidature{c.active > 1 ? 's' : ''} en cours sur {c.max} permise
          {c.max > 1 ? 's' : ''}.
        </li>
      ))}
    </ul>
  );
}

export function ApplicationsTable({
  rows,
  busy,
  onWithdraw,
  caption,
}: {
  rows: ApplicationRow[];
  busy: boolean;
  onWithdraw: (row: ApplicationRow) => void;
  caption: string;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="applications-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Logement</th>
            <th scope="col">Cycle</th>
            <th scope="col">Déposée le</th>
            <th scope="col">Statut</th>
            <th scope="col">Chance</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const { application: a, advert } = row;
            const home = `T${advert.home.typology} à ${advert.home.communeName}, ${formatEuros(advert.home.rentEur + advert.home.chargesEur)} par mois`;
            return (
              <tr key={a.id}>
                <th scope="row">
                  {home}
                  {advert.status === 'withdrawn' && (
                    <div className="muted" data-testid="advert-withdrawn">
                      annonce retirée par le bailleur
                      {advert.withdrawnReason ? ` : ${advert.withdrawnReason}` : ''}
                    </div>
                  )}
                  {a.assisted && <div className="muted">candidature assistée, faite par un agent</div>}
                </th>
                <td>{`${advert.cycle.name} (jusqu’au ${frDateTime(advert.cycle.closesAt)})`}</td>
                <td>{frDate(a.createdAt)}</td>
                <td data-testid="application-status">
                  {APPLICATION_STATUS[a.status]}
                  {a.withdrawnAt && ` le ${frDate(a.withdrawnAt)}`}
                </td>
                <td>{a.chance ? <ChanceText chance={a.chance} ifApplying={false} /> : '—'}</td>
                <td>
                  {a.status === 'active' && (
                    <button
                      type="button"
                      className="button-secondary"
                      disabled={busy}
                      onClick={() => onWithdraw(row)}
                      aria-label={`Retirer la candidature : ${home}`}
                    >
                      Retirer
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
