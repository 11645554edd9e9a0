import type { CiaReview, TargetOutcome } from '@mosaique/domain/review';
import { type FormEvent, useEffect, useState } from 'react';
import { DEMO_EPCI, getJson } from '../../api.ts';
import { formatDate, formatInteger } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { TargetChart } from './TargetChart.tsx';

interface ReviewReport extends CiaReview {
  labels: Record<string, string>;
  threshold: {
    computed: number | null;
    official: number | null;
    used: number | null;
    origin: 'official' | 'computed' | null;
  };
  trend: { year: number; leases: number; outsideQpvShare: number | null; insideQpvShare: number | null }[];
  projection: { yearElapsed: number; outsideQpv: TargetOutcome; insideQpv: TargetOutcome } | null;
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1).replace('.', ',')} %`);
const LAST_YEAR = 2025;

/** The annual CIA review (CCH L441-1): the three targets, their breakdowns, the trend. */
export function ReviewPage() {
  const { session } = useSession();
  const [query, setQuery] = useState({ year: LAST_YEAR, until: '' });
  const [report, setReport] = useState<ReviewReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // One review at a time: a new period cancels the request of the previous one, so that a late
  // answer never replaces the period asked last.
  useEffect(() => {
    if (!session) return;
    const controller = new AbortController();
    setError(null);
    setLoading(true);
    const until = query.until ? `&until=${query.until}` : '';
    getJson<ReviewReport>(
      `/territories/${DEMO_EPCI}/cia-review?year=${query.year}${until}`,
      controller.signal,
    )
      .then((r) => {
        setReport(r);
        setLoading(false);
      })
      .catch((e: Error) => {
        if (e.name === 'AbortError') return;
        setReport(null);
        setError(e.message);
        setLoading(false);
      });
    return () => controller.abort();
  }, [session, query]);

  if (session === undefined) return <p>Chargement…</p>;
  if (session === null || session.user.role === 'applicant') {
    return (
      <>
        <h1>Bilan de la CIA</h1>
        <p>
          Le bilan détaillé est réservé aux partenaires de la convention.{' '}
          <Link href="/connexion">Se connecter</Link>
        </p>
      </>
    );
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setQuery({ year: Number(form.get('year')), until: String(form.get('until') ?? '') });
  };
  return (
    <>
      <h1>Bilan de la convention intercommunale d’attribution</h1>
      <p className="lead">
        Baux signés de l’année contre les objectifs de l’article L441-1 du code de la construction et de
        l’habitation : au moins 25 % des baux hors QPV pour des ménages du premier quartile ou relogés par le
        renouvellement urbain ; au moins 50 % des baux en QPV pour des ménages des autres quartiles ; pour
        chaque réservataire, au moins 25 % pour des publics prioritaires.
      </p>
      <form className="controls" onSubmit={submit} aria-label="Période du bilan">
        <div className="field">
          <label htmlFor="year">Année</label>
          <select id="year" name="year" defaultValue={query.year}>
            {[2023, 2024, 2025].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="until">À date (facultatif)</label>
          <input id="until" name="until" type="date" defaultValue={query.until} />
        </div>
        <button className="button-primary" type="submit">
          Afficher
        </button>
      </form>
      <p role="status" className="hint" data-testid="review-status">
        {loading
          ? `Calcul du bilan ${query.year}${query.until ? ` au ${formatDate(query.until)}` : ''}…`
          : ''}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && <ReviewView report={report} />}
    </>
  );
}

function ReviewView({ report }: { report: ReviewReport }) {
  const t = report.threshold;
  return (
    <>
      <p data-testid="review-summary">
        {formatInteger(report.leases)} baux signés du 1er janvier au {formatDate(report.until)}. Seuil du
        premier quartile :{' '}
        {t.used === null ? 'non connu' : `${formatInteger(t.used)} € par unité de consommation et par an`} (
        {t.origin === 'official'
          ? 'valeur de l’arrêté'
          : 'calculé à partir des demandes actives au 31 décembre précédent'}
        ).
      </p>
      <p>
        Télécharger :{' '}
        <a
          href={`/api/v1/territories/${report.epci}/cia-review.pdf?year=${report.year}&until=${report.until}`}
        >
          le bilan (PDF)
        </a>{' '}
        ·{' '}
        <a
          href={`/api/v1/territories/${report.epci}/cia-review.xlsx?year=${report.year}&until=${report.until}`}
        >
          le bilan (XLSX)
        </a>{' '}
        ·{' '}
        <a href={`/api/v1/territories/${report.epci}/lettings.csv?year=${report.year}`}>
          les baux signés de l’année (CSV), pour recalculer le bilan
        </a>
      </p>
      <section aria-labelledby="targets-title">
        <h2 id="targets-title">Objectifs</h2>
        <TargetChart
          label="Objectifs de la CIA : part atteinte et objectif"
          rows={[
            { name: 'Hors QPV : premier quartile ou relogés', outcome: report.outsideQpv },
            { name: 'En QPV : autres quartiles', outcome: report.insideQpv },
          ]}
        />
        {report.projection && (
          <p>
            Au rythme actuel ({pct(report.projection.yearElapsed)} de l’année écoulée), la part hors QPV
            atteindrait {pct(report.projection.outsideQpv.share)} au 31 décembre
            {report.projection.outsideQpv.missingHouseholds > 0
              ? `, soit ${formatInteger(report.projection.outsideQpv.missingHouseholds)} ménages de moins que l’objectif.`
              : ', au-dessus de l’objectif.'}
          </p>
        )}
      </section>
      <section aria-labelledby="holders-title">
        <h2 id="holders-title">Publics prioritaires par réservataire</h2>
        <TargetChart
          label="Part des publics prioritaires par réservataire et objectif"
          rows={report.priorityByReservationHolder.map((r) => ({
            name: report.labels[r.reservationHolder] ?? r.reservationHolder,
            outcome: r,
          }))}
        />
      </section>
      <Breakdown title="Par bailleur" rows={report.byLandlord} labels={report.labels} />
      <Breakdown title="Par commune" rows={report.byCommune} labels={report.labels} />
      <Breakdown title="Par typologie" rows={report.byTypology} labels={report.labels} />
      <section aria-labelledby="trend-title">
        <h2 id="trend-title">Tendance</h2>
        <div className="table-wrap">
          <table data-testid="trend-table">
            <caption>Parts atteintes année par année</caption>
            <thead>
              <tr>
                <th scope="col">Année</th>
                <th scope="col" className="num">
                  Baux
                </th>
                <th scope="col" className="num">
                  Hors QPV : premier quartile ou relogés
                </th>
                <th scope="col" className="num">
                  En QPV : autres quartiles
                </th>
              </tr>
            </thead>
            <tbody>
              {report.trend.map((y) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  <td className="num">{formatInteger(y.leases)}</td>
                  <td className="num">{pct(y.outsideQpvShare)}</td>
                  <td className="num">{pct(y.insideQpvShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function Breakdown({
  title,
  rows,
  labels,
}: {
  title: string;
  rows: CiaReview['byLandlord'];
  labels: Record<string, string>;
}) {
  const id = `breakdown-${title.replaceAll(' ', '-')}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <div className="table-wrap">
        <table>
          <caption>{title} : baux, part atteinte et ménages manquants pour chaque objectif</caption>
          <thead>
            <tr>
              <th scope="col">{title.replace('Par ', '').replace(/^./, (c) => c.toUpperCase())}</th>
              <th scope="col" className="num">
                Baux hors QPV
              </th>
              <th scope="col" className="num">
                Premier quartile ou relogés
              </th>
              <th scope="col" className="num">
                Baux en QPV
              </th>
              <th scope="col" className="num">
                Autres quartiles
              </th>
              <th scope="col" className="num">
                Publics prioritaires
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{labels[r.key] ?? r.key}</th>
                <td className="num">{formatInteger(r.outsideQpv.leases)}</td>
                <td className="num">
                  {pct(r.outsideQpv.share)}
                  {r.outsideQpv.missingHouseholds > 0 &&
                    ` (−${formatInteger(r.outsideQpv.missingHouseholds)})`}
                </td>
                <td className="num">{formatInteger(r.insideQpv.leases)}</td>
                <td className="num">
                  {pct(r.insideQpv.share)}
                  {r.insideQpv.missingHouseholds > 0 && ` (−${formatInteger(r.insideQpv.missingHouseholds)})`}
                </td>
                <td className="num">{pct(r.priority.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
