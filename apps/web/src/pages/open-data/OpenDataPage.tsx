import { useEffect, useState } from 'react';
import { DEMO_EPCI, getJson } from '../../api.ts';
import { formatInteger } from '../../lib/format.ts';
import { Link } from '../../router.tsx';

/** A count as published: null when covered by statistical secrecy. */
interface Cell {
  value: number | null;
  secret: boolean;
}
interface Target {
  code: string;
  label: string;
  leases: Cell;
  qualifying: Cell;
  share: number | null;
  target: number;
  met: boolean | null;
  missingHouseholds: number | null;
}
interface Catalogue {
  epci: { code: string; name: string };
  generated: boolean;
  licence: { name: string; url: string };
  secrecyThreshold: number;
  years: number[];
  year: number | null;
  datasets: {
    id: string;
    title: string;
    description: string;
    secretCells: number;
    csv: string;
    geojson: { iris: string; commune: string } | null;
  }[];
  indices: {
    variable: string;
    population: string;
    scale: string;
    year: number | null;
    counted: number;
    M: number;
    H: number;
    D: number;
  }[];
  review: {
    year: number;
    leases: Cell;
    targets: Target[];
    priorityByReservationHolder: Target[];
    threshold: { used: number | null; origin: 'official' | 'computed' | null };
  } | null;
  sources: string[];
}
interface PublishedTable {
  id: string;
  title: string;
  columns: { code: string; label: string }[];
  rows: { level: string; code: string; label: string; cells: Cell[]; total: Cell }[];
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1).replace('.', ',')} %`);
const decimal = (x: number) => x.toFixed(3).replace('.', ',');
const BREAKDOWNS = [
  'bilan-cia-bailleur',
  'bilan-cia-reservataire',
  'bilan-cia-commune',
  'bilan-cia-typologie',
];

/** A count, or « s » (read « secret statistique ») when it is withheld. */
function Count({ cell }: { cell: Cell }) {
  if (cell.value !== null) return <>{formatInteger(cell.value)}</>;
  return (
    <>
      <span aria-hidden="true">s</span>
      <span className="sr-only">secret statistique</span>
    </>
  );
}

/**
 * The open data, public and without a session: the observatory's segregation indices, the CIA
 * review's targets and breakdowns, and downloads (CSV, GeoJSON) where every count under 11
 * households is withheld, with the cells that would give it back.
 */
export function OpenDataPage() {
  const [year, setYear] = useState<number | null>(null);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [tables, setTables] = useState<PublishedTable[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    const query = year === null ? '' : `?year=${year}`;
    getJson<Catalogue>(`/open-data/territories/${DEMO_EPCI}${query}`, controller.signal)
      .then(async (c) => {
        setCatalogue(c);
        const withReview = c.datasets.filter((d) => BREAKDOWNS.includes(d.id));
        setTables(
          await Promise.all(
            withReview.map((d) =>
              getJson<PublishedTable>(
                `/open-data/territories/${DEMO_EPCI}/tables/${d.id}?year=${c.year}`,
                controller.signal,
              ),
            ),
          ),
        );
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    return () => controller.abort();
  }, [year]);

  return (
    <>
      <h1>Données ouvertes</h1>
      <p className="lead">
        Les chiffres agrégés de la mixité sociale et du bilan de la convention intercommunale d’attribution,
        en libre accès et sans connexion, à réutiliser librement. Aucun chiffre ne décrit une personne : tout
        effectif de moins de {catalogue?.secrecyThreshold ?? 11} ménages est masqué (secret statistique),
        ainsi que les cases qui permettraient de le retrouver par soustraction.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!catalogue && !error && <p>Chargement…</p>}
      {catalogue && (
        <>
          <p data-testid="open-data-summary">
            Territoire : {catalogue.epci.name} (SIREN {catalogue.epci.code}).
            {catalogue.generated &&
              ' Ménages, parc social et baux sont ceux de la population de démonstration générée : ils ne décrivent personne.'}{' '}
            Licence : <a href={catalogue.licence.url}>{catalogue.licence.name}</a>.
          </p>
          {catalogue.years.length > 0 && (
            <form
              className="controls"
              aria-label="Année des attributions"
              onSubmit={(e) => e.preventDefault()}
            >
              <div className="field">
                <label htmlFor="open-data-year">Année des attributions et du bilan</label>
                <select
                  id="open-data-year"
                  value={catalogue.year ?? ''}
                  onChange={(e) => setYear(Number(e.currentTarget.value))}
                >
                  {catalogue.years.map((y) => (
                    <option key={y} value={y}>
                      {y}
                    </option>
                  ))}
                </select>
              </div>
            </form>
          )}
          <Downloads catalogue={catalogue} />
          <Indices catalogue={catalogue} />
          {catalogue.review && <Review review={catalogue.review} />}
          {tables.map((t) => (
            <Breakdown key={t.id} table={t} />
          ))}
          <section aria-labelledby="rule-title">
            <h2 id="rule-title">Règle du secret statistique</h2>
            <ul>
              <li>
                Secret primaire : tout effectif de 1 à {catalogue.secrecyThreshold - 1} ménages est masqué ;
                zéro est publié (il ne décrit personne).
              </li>
              <li>
                Secret secondaire : dans chaque ligne et chaque colonne (totaux compris), une case masquée ne
                reste jamais seule, et les cases masquées d’une ligne au total publié comptent ensemble au
                moins {catalogue.secrecyThreshold} ménages ; enfin, aucune case masquée ne se déduit en
                combinant lignes et colonnes (communes et IRIS compris).
              </li>
              <li>
                Dans les fichiers, une case masquée est vide et sa colonne <code>_secret</code> vaut « oui »
                (CSV) ou <code>true</code> (GeoJSON) ; dans les tableaux de cette page, elle est notée « s ».
              </li>
              <li>
                Les indices de ségrégation sont calculés sur tous les ménages : ils ne permettent de retrouver
                aucun effectif. Le détail par IRIS est sur la page{' '}
                <Link href="/observatoire">Observatoire</Link>.
              </li>
            </ul>
          </section>
          <section aria-labelledby="sources-title">
            <h2 id="sources-title">Sources</h2>
            <ul>
              {catalogue.sources.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

function Downloads({ catalogue }: { catalogue: Catalogue }) {
  return (
    <section aria-labelledby="downloads-title">
      <h2 id="downloads-title">Téléchargements</h2>
      <ul className="download-list" data-testid="open-data-downloads">
        {catalogue.datasets.map((d) => (
          <li key={d.id}>
            <strong>{d.title}</strong> — {d.description} ({formatInteger(d.secretCells)} cases masquées) :{' '}
            <a href={d.csv} download>
              CSV<span className="sr-only"> : {d.title}</span>
            </a>
            {d.geojson && (
              <>
                {' · '}
                <a href={d.geojson.iris} download>
                  GeoJSON par IRIS<span className="sr-only"> : {d.title}</span>
                </a>
                {' · '}
                <a href={d.geojson.commune} download>
                  GeoJSON par commune<span className="sr-only"> : {d.title}</span>
                </a>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Indices({ catalogue }: { catalogue: Catalogue }) {
  return (
    <section aria-labelledby="indices-title">
      <h2 id="indices-title">Indices de ségrégation</h2>
      <div className="table-wrap">
        <table data-testid="open-data-indices">
          <caption>
            Ségrégation des ménages par quartile de revenu : H (indice de Theil, de 0 à 1), M (information
            mutuelle), D (dissimilarité)
          </caption>
          <thead>
            <tr>
              <th scope="col">Population</th>
              <th scope="col">Unités</th>
              <th scope="col" className="num">
                Comptés
              </th>
              <th scope="col" className="num">
                H
              </th>
              <th scope="col" className="num">
                M
              </th>
              <th scope="col" className="num">
                D
              </th>
            </tr>
          </thead>
          <tbody>
            {catalogue.indices.map((i) => (
              <tr key={`${i.population}-${i.scale}`}>
                <th scope="row">
                  {i.population}
                  {i.year !== null ? ` (${i.year})` : ''}
                </th>
                <td>{i.scale}</td>
                <td className="num">{formatInteger(i.counted)}</td>
                <td className="num">{decimal(i.H)}</td>
                <td className="num">{decimal(i.M)}</td>
                <td className="num">{decimal(i.D)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TargetRows({ targets }: { targets: Target[] }) {
  return (
    <>
      {targets.map((t) => (
        <tr key={t.code}>
          <th scope="row">{t.label}</th>
          <td className="num">
            <Count cell={t.leases} />
          </td>
          <td className="num">
            <Count cell={t.qualifying} />
          </td>
          <td className="num">{pct(t.share)}</td>
          <td className="num">{pct(t.target)}</td>
          <td className="num">
            {t.missingHouseholds === null
              ? '—'
              : t.missingHouseholds > 0
                ? `${formatInteger(t.missingHouseholds)} manquants`
                : 'atteint'}
          </td>
        </tr>
      ))}
    </>
  );
}

function TargetTable({ caption, first, targets }: { caption: string; first: string; targets: Target[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" className="num">
              Baux
            </th>
            <th scope="col" className="num">
              Ménages concernés
            </th>
            <th scope="col" className="num">
              Part
            </th>
            <th scope="col" className="num">
              Objectif
            </th>
            <th scope="col" className="num">
              Écart
            </th>
          </tr>
        </thead>
        <tbody>
          <TargetRows targets={targets} />
        </tbody>
      </table>
    </div>
  );
}

function Review({ review }: { review: NonNullable<Catalogue['review']> }) {
  const t = review.threshold;
  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">Bilan de la CIA {review.year}</h2>
      <p data-testid="open-data-review">
        Baux signés en {review.year} : <Count cell={review.leases} />. Seuil du premier quartile :{' '}
        {t.used === null ? 'non connu' : `${formatInteger(t.used)} € par unité de consommation et par an`}
        {t.origin === 'official'
          ? ' (arrêté)'
          : t.origin === 'computed'
            ? ' (calculé à partir des demandes)'
            : ''}
        .
      </p>
      <TargetTable
        caption="Objectifs de l’article L441-1 du code de la construction et de l’habitation : part atteinte et écart en ménages"
        first="Objectif"
        targets={review.targets}
      />
      <TargetTable
        caption="Publics prioritaires par réservataire (objectif 25 %)"
        first="Réservataire"
        targets={review.priorityByReservationHolder}
      />
    </section>
  );
}

function Breakdown({ table }: { table: PublishedTable }) {
  const [whole, ...rows] = table.rows;
  const id = `table-${table.id}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{table.title}</h2>
      <div className="table-wrap">
        <table>
          <caption>Baux signés selon les deux premiers objectifs ; « s » : secret statistique</caption>
          <thead>
            <tr>
              <th scope="col">Libellé</th>
              {table.columns.map((c) => (
                <th key={c.code} scope="col" className="num">
                  {c.label}
                </th>
              ))}
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {[...rows, ...(whole ? [whole] : [])].map((r) => (
              <tr key={`${r.level}-${r.code}`}>
                <th scope="row">{r.level === 'epci' ? `Ensemble (${r.label})` : r.label}</th>
                {r.cells.map((c, k) => (
                  <td key={table.columns[k]!.code} className="num">
                    <Count cell={c} />
                  </td>
                ))}
                <td className="num">
                  <Count cell={r.total} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
