import { type FormEvent, useEffect, useState } from 'react';
import { getJson } from '../api.ts';
import { formatDate, formatInteger } from '../lib/format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

interface Transparency {
  sneNumber: string;
  grid: { id: string; version: number; label: string };
  score: {
    total: number;
    date: string;
    breakdown: { criterion: string; label: string; points: number; counted: boolean; detail: string }[];
  };
  priority: { priority: boolean; dalo: boolean; criteria: string[] };
  similar: {
    typology: number;
    position: number;
    of: number;
    averageWaitingMonths: number | null;
    allocationsLast12Months: number;
    waitingWindow: { from: string; to: string };
  }[];
}

const PRIORITY_LABELS: Record<string, string> = {
  disability: 'handicap',
  'poorly-housed': 'mal logé ou défavorisé',
  'hosted-or-temporary': 'hébergé ou logé temporairement',
  'return-to-work': 'reprise d’activité après un chômage de longue durée',
  'unfit-housing': 'logement indigne ou insalubre',
  'domestic-violence': 'violences au sein du couple ou mariage forcé',
  'overcrowded-with-minors': 'mineurs dans un logement suroccupé ou indécent',
  homeless: 'sans logement',
  'eviction-threat': 'menacé d’expulsion sans relogement',
  'prostitution-exit': 'sortie de la prostitution ou de la traite',
  'child-welfare-leaver': 'jeune sortant de l’aide sociale à l’enfance',
};

/**
 * What the law says an applicant must be told (CCH L441-2-8): their score and how it is made, their
 * position among similar demands, the average waiting time of similar demands, whether they are a
 * priority case. Applicants see their own demand; agents of the territory look a demand up.
 */
export function MyDemandPage() {
  const { session } = useSession();
  const [sneNumber, setSneNumber] = useState<string | null>(null);
  const [data, setData] = useState<Transparency | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (session?.user.role === 'applicant') setSneNumber(session.user.sneNumber);
  }, [session]);
  useEffect(() => {
    if (!sneNumber) return;
    setError(null);
    getJson<Transparency>(`/demands/${encodeURIComponent(sneNumber)}/cotation`)
      .then(setData)
      .catch((e: Error) => {
        setData(null);
        setError(e.message);
      });
  }, [sneNumber]);

  if (session === undefined) return <p>Chargement…</p>;
  if (session === null) {
    return (
      <>
        <h1>Ma demande</h1>
        <p>
          <Link href="/connexion">Connectez-vous</Link> pour voir votre note, votre position parmi les
          demandes semblables et le délai moyen d’attribution.
        </p>
      </>
    );
  }
  const lookup = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSneNumber(String(new FormData(event.currentTarget).get('sne')).trim());
  };
  return (
    <>
      <h1>{session.user.role === 'applicant' ? 'Ma demande' : 'Consulter une demande'}</h1>
      {session.user.role !== 'applicant' && (
        <form className="form card" onSubmit={lookup}>
          <div className="field">
            <label htmlFor="sne">Numéro unique de la demande</label>
            <input id="sne" name="sne" required />
          </div>
          <button className="button-primary" type="submit">
            Consulter
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {data && <TransparencyView data={data} />}
    </>
  );
}

function TransparencyView({ data }: { data: Transparency }) {
  return (
    <>
      <section aria-labelledby="score-title" className="card">
        <h2 id="score-title">
          Note : <span data-testid="score-total">{formatInteger(data.score.total)}</span> points
        </h2>
        <p>
          Demande {data.sneNumber}, notée le {formatDate(data.score.date)} avec la grille « {data.grid.label}{' '}
          » (version {data.grid.version}). <Link href="/cotation">Voir la grille complète</Link>.
        </p>
        <p>
          {data.priority.priority
            ? `Votre demande est prioritaire${data.priority.dalo ? ' (reconnue au titre du droit au logement opposable, DALO)' : ''}${
                data.priority.criteria.length
                  ? ` : ${data.priority.criteria.map((c) => PRIORITY_LABELS[c] ?? c).join(', ')}`
                  : ''
              }.`
            : 'Votre demande ne relève d’aucun critère de priorité de l’article L441-1.'}
        </p>
        <div className="table-wrap">
          <table data-testid="breakdown-table">
            <caption>Détail de la note, critère par critère</caption>
            <thead>
              <tr>
                <th scope="col">Critère</th>
                <th scope="col">Calcul</th>
                <th scope="col" className="num">
                  Points
                </th>
              </tr>
            </thead>
            <tbody>
              {data.score.breakdown.map((l) => (
                <tr key={l.criterion}>
                  <th scope="row">{l.label}</th>
                  <td>
                    {l.detail}
                    {!l.counted && ' — non compté : un critère du même groupe rapporte davantage'}
                  </td>
                  <td className="num">
                    {l.counted ? formatInteger(l.points) : `(${formatInteger(l.points)})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="similar-title">
        <h2 id="similar-title">Parmi les demandes semblables</h2>
        <div className="table-wrap">
          <table data-testid="similar-table">
            <caption>
              Demandes actives du même territoire souhaitant la même typologie, classées par note (à égalité,
              la plus ancienne d’abord) ; délai moyen entre l’enregistrement et la signature du bail.
            </caption>
            <thead>
              <tr>
                <th scope="col">Typologie</th>
                <th scope="col" className="num">
                  Position
                </th>
                <th scope="col" className="num">
                  Délai moyen d’attribution
                </th>
              </tr>
            </thead>
            <tbody>
              {data.similar.map((s) => (
                <tr key={s.typology}>
                  <th scope="row">T{s.typology}</th>
                  <td className="num">
                    {formatInteger(s.position)}e sur {formatInteger(s.of)}
                  </td>
                  <td className="num">
                    {s.averageWaitingMonths === null
                      ? 'aucune attribution récente'
                      : `${formatInteger(s.averageWaitingMonths)} mois (${formatInteger(s.allocationsLast12Months)} attributions du ${formatDate(s.waitingWindow.from)} au ${formatDate(s.waitingWindow.to)})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
