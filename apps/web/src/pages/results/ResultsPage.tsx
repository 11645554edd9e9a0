import { useEffect, useId, useState } from 'react';
import { getJson } from '../../api.ts';
import { Link } from '../../router.tsx';
import { dateText } from '../notifications/notification-lib.ts';

interface Band {
  min: number;
  max: number | null;
  label: string;
}

interface LetResult {
  cycle: { name: string; closedOn: string };
  /** null when too few lets of the cycle share it to publish it (k-anonymity). */
  commune: string | null;
  communeName: string | null;
  /** « T3 », or its class « T3–T4 », or null (same rule). */
  typology: string | null;
  /** The range over the rows of the same cycle, commune and typology as published. */
  applicants: { min: number; max: number; label: string };
  precision: 'fine' | 'coarse' | 'suppressed';
  scoreBand: Band | null;
  seniorityBand: Band | null;
  note: string | null;
}

interface Results {
  total: number;
  rule: {
    validFrom: string;
    minApplicants: number;
    fineFromApplicants: number;
    minComparableLets: number;
    text: string;
  };
  results: LetResult[];
}

/**
 * « Résultats des attributions »: the homes let through past cycles, anonymised — number of
 * applicants, score and seniority bands of the household housed — so that everyone can see how the
 * system works. Public.
 */
export function ResultsPage() {
  const [data, setData] = useState<Results | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    const controller = new AbortController();
    getJson<Results>('/letting-results?limit=200', controller.signal)
      .then(setData)
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    return () => controller.abort();
  }, []);

  return (
    <>
      <h1>Résultats des attributions</h1>
      <p className="lead">
        Pour chaque logement attribué à l’issue d’un cycle de location choisie : combien de ménages ont
        candidaté, et la note de cotation et l’ancienneté de la demande du ménage logé. Ces résultats montrent
        à chacun comment se font les attributions. <Link href="/annonces">Voir les logements à louer</Link>.
      </p>
      {data && (
        <p className="card" data-testid="results-rule">
          {data.rule.text}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p aria-live="polite" data-testid="results-count">
        {data === null
          ? error
            ? ''
            : 'Chargement…'
          : data.total === 0
            ? 'Aucune attribution publiée pour le moment.'
            : `${data.total} logement${data.total > 1 ? 's' : ''} attribué${data.total > 1 ? 's' : ''}.`}
      </p>
      {data && data.results.length > 0 && (
        <div className="table-wrap">
          <table data-testid="results-table">
            <caption id={`${id}-caption`}>
              Logements attribués, des cycles les plus récents aux plus anciens
            </caption>
            <thead>
              <tr>
                <th scope="col">Cycle</th>
                <th scope="col">Commune</th>
                <th scope="col">Logement</th>
                <th scope="col">Candidats</th>
                <th scope="col">Note du ménage logé</th>
                <th scope="col">Ancienneté de sa demande</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the published rows carry no identifier, by design.
                <tr key={i}>
                  <td>
                    {r.cycle.name} (clos le {dateText(r.cycle.closedOn)})
                  </td>
                  <td>{r.communeName ?? <span className="muted">non publiée</span>}</td>
                  <td>{r.typology ?? <span className="muted">non publiée</span>}</td>
                  <td>{r.applicants.label}</td>
                  <td>{r.scoreBand ? r.scoreBand.label : <span className="muted">non publiée</span>}</td>
                  <td>
                    {r.seniorityBand ? r.seniorityBand.label : <span className="muted">non publiée</span>}
                    {r.note && <span className="hint"> ({r.note})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
