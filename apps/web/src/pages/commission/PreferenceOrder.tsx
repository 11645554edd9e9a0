import { useEffect, useId, useState } from 'react';
import { ApiError, getJson, sendJson } from '../../api.ts';
import { formatEuros } from '../../lib/format.ts';
import { useSession } from '../../session.tsx';
import type { ApplicationRow } from '../letting/MyApplicationsPage.tsx';
import { moveEntry, positionText } from './commission-lib.ts';

interface Preferred {
  id: string;
  preference: number | null;
}

const homeText = (row: ApplicationRow | undefined) =>
  row?.advert
    ? `T${row.advert.home.typology} à ${row.advert.home.communeName}, ${formatEuros(row.advert.home.rentEur + row.advert.home.chargesEur)} par mois`
    : 'logement dont l’annonce a été retirée';

/**
 * The applicant's order of preference among their active applications (1 = the home they want most),
 * with move up / move down buttons; every move is saved (PUT /applications/preference-order) and
 * announced. The allocation engine reads it as the rank of each application when the cycle is closed.
 */
export function PreferenceOrder({ rows }: { rows: ApplicationRow[] }) {
  const { session } = useSession();
  const ids = useId();
  const [order, setOrder] = useState<string[] | null>(null);
  const [ordered, setOrdered] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const activeKey = rows
    .filter((r) => r.application.status === 'active')
    .map((r) => r.application.id)
    .sort()
    .join(',');

  useEffect(() => {
    if (!activeKey) return;
    getJson<{ applications: Preferred[] }>('/applications/preference-order')
      .then(({ applications }) => {
        setOrder(applications.map((a) => a.id));
        setOrdered(applications.some((a) => a.preference !== null));
      })
      .catch((e: Error) => setError(e.message));
  }, [activeKey]);

  if (!session || !order || order.length < 2) return null;
  const byId = new Map(rows.map((r) => [r.application.id, r]));

  const move = async (index: number, delta: number) => {
    const next = moveEntry(order, index, delta);
    const id = order[index]!;
    setBusy(true);
    setError(null);
    try {
      const saved = await sendJson<{ applications: Preferred[] }>(
        'PUT',
        '/applications/preference-order',
        { applicationIds: next },
        session.csrfToken,
      );
      const savedOrder = saved.applications.map((a) => a.id);
      setOrder(savedOrder);
      setOrdered(true);
      const position = savedOrder.indexOf(id) + 1;
      setStatus(`${positionText(homeText(byId.get(id)), position, savedOrder.length)} Ordre enregistré.`);
      requestAnimationFrame(() => {
        const own = document.getElementById(
          `${ids}-${id}-${delta < 0 ? 'up' : 'down'}`,
        ) as HTMLButtonElement | null;
        if (own && !own.disabled) own.focus();
        else document.getElementById(`${ids}-${id}-${delta < 0 ? 'down' : 'up'}`)?.focus();
      });
    } catch (e) {
      setError(
        e instanceof ApiError && e.details.length > 0
          ? `${e.message} : ${e.details.join(' ; ')}`
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${ids}-title`} data-testid="preference-order">
      <h2 id={`${ids}-title`}>Mon ordre de préférence</h2>
      <p>
        Classez vos candidatures en cours, la première étant le logement que vous préférez. À la clôture du
        cycle, la commission d’attribution en tient compte : à score égal, un logement classé en premier pèse
        davantage.
        {!ordered && ' Tant que vous n’avez rien classé, toutes vos candidatures comptent à égalité.'}
      </p>
      <ol className="commission-candidates">
        {order.map((id, i) => {
          const text = homeText(byId.get(id));
          return (
            <li key={id}>
              <span>{text}</span>
              <span className="commission-actions">
                <button
                  id={`${ids}-${id}-up`}
                  type="button"
                  className="button-secondary"
                  disabled={busy || i === 0}
                  aria-label={`Monter : ${text}`}
                  onClick={() => void move(i, -1)}
                >
                  Monter
                </button>
                <button
                  id={`${ids}-${id}-down`}
                  type="button"
                  className="button-secondary"
                  disabled={busy || i === order.length - 1}
                  aria-label={`Descendre : ${text}`}
                  onClick={() => void move(i, 1)}
                >
                  Descendre
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <p role="status" className="hint" data-testid="preference-status">
        {status}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
