import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import {
  type CommuneProperties,
  DEMO_EPCI,
  type EpciSummary,
  type FeatureCollection,
  getJson,
  type IrisProperties,
} from '../api.ts';
import { SvgChoropleth } from '../components/SvgChoropleth.tsx';
import { Tabs } from '../components/Tabs.tsx';
import { classLabels, quantileBreaks, SCHEMES } from '../lib/classes.ts';
import { formatEuros, formatInteger, formatPercent } from '../lib/format.ts';

// MapLibre is large and draws with WebGL: it is loaded only when the user explores the map.
const MapView = lazy(() => import('../components/MapView.tsx'));

export type IrisVariable = 'povertyRate' | 'medianIncome';

export const VARIABLES: Record<
  IrisVariable,
  { label: string; short: string; format: (n: number) => string; step: number; colors: readonly string[] }
> = {
  povertyRate: {
    label: 'Taux de pauvreté (seuil à 60 % du revenu médian)',
    short: 'Taux de pauvreté',
    format: formatPercent,
    step: 0.5,
    colors: SCHEMES.orangeRed,
  },
  medianIncome: {
    label: 'Revenu disponible médian par unité de consommation',
    short: 'Revenu médian par UC',
    format: formatEuros,
    step: 100,
    colors: SCHEMES.purpleBlue,
  },
};

interface Data {
  iris: FeatureCollection<IrisProperties>;
  communes: FeatureCollection<CommuneProperties>;
}

export function TerritoryPage({ epci }: { epci: EpciSummary | null }) {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [variable, setVariable] = useState<IrisVariable>('povertyRate');
  const [view, setView] = useState('map');
  const [selected, setSelected] = useState<string | null>(null);
  // The interactive map (MapLibre, WebGL) is loaded only when the user asks for it.
  const [interactive, setInteractive] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      getJson<FeatureCollection<IrisProperties>>(`/territories/${DEMO_EPCI}/iris`, controller.signal),
      getJson<FeatureCollection<CommuneProperties>>(`/territories/${DEMO_EPCI}/communes`, controller.signal),
    ])
      .then(([iris, communes]) => setData({ iris, communes }))
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    return () => controller.abort();
  }, []);

  const spec = VARIABLES[variable];
  const breaks = useMemo(
    () =>
      data
        ? quantileBreaks(
            data.iris.features.map((f) => f.properties[variable]).filter((v): v is number => v !== null),
            5,
            spec.step,
          )
        : [],
    [data, variable, spec.step],
  );
  const labels = classLabels(breaks, spec.format);
  const incomeYear =
    data?.iris.features.find((f) => f.properties.incomeYear)?.properties.incomeYear ?? '2018';
  const selectedIris = data?.iris.features.find((f) => f.id === selected)?.properties ?? null;

  return (
    <>
      <h1>Territoire</h1>
      <p className="lead">
        Revenus et pauvreté par IRIS (INSEE, Filosofi {incomeYear}), communes et quartiers prioritaires de la
        politique de la ville (ANCT, 2024).
      </p>
      <p className="reserved-line">
        {epci
          ? `${epci.name} : ${epci.counts.communes} communes, ${epci.counts.iris} IRIS dont ${epci.counts.irisWithIncome} aux revenus diffusés par l’INSEE.`
          : 'Chargement…'}
      </p>
      {error && (
        <p className="error" role="alert">
          Les données du territoire n’ont pas pu être chargées : {error}
        </p>
      )}
      <div className="controls">
        <fieldset>
          <legend>Variable représentée</legend>
          {(Object.keys(VARIABLES) as IrisVariable[]).map((key) => (
            <label className="radio" key={key}>
              <input
                type="radio"
                name="variable"
                value={key}
                checked={variable === key}
                onChange={() => setVariable(key)}
              />
              {VARIABLES[key].label}
            </label>
          ))}
        </fieldset>
      </div>
      <Tabs
        label="Présentation des données"
        selected={view}
        onSelect={setView}
        items={[
          {
            id: 'map',
            label: 'Carte',
            content: (
              <div className="grid grid-map">
                <div>
                  <div className={interactive ? 'map-frame' : 'map-frame map-frame-svg'}>
                    {!data ? (
                      <p className="map-placeholder">Chargement des données…</p>
                    ) : interactive ? (
                      <Suspense
                        fallback={<p className="map-placeholder">Chargement de la carte interactive…</p>}
                      >
                        <MapView
                          iris={data.iris}
                          communes={data.communes}
                          variable={variable}
                          breaks={breaks}
                          colors={spec.colors}
                          format={spec.format}
                          selected={selected}
                          onSelect={setSelected}
                        />
                      </Suspense>
                    ) : (
                      <SvgChoropleth
                        iris={data.iris}
                        communes={data.communes}
                        value={(p) => p[variable]}
                        breaks={breaks}
                        colors={spec.colors}
                        format={spec.format}
                        selected={selected}
                        onSelect={setSelected}
                      />
                    )}
                  </div>
                  <p className="map-actions">
                    {interactive ? (
                      <button
                        type="button"
                        className="button-secondary"
                        onClick={() => setInteractive(false)}
                      >
                        Revenir à l’aperçu
                      </button>
                    ) : (
                      <button type="button" className="button-secondary" onClick={() => setInteractive(true)}>
                        Explorer la carte (zoom et déplacement)
                      </button>
                    )}
                  </p>
                </div>
                <aside aria-label="Légende et détail">
                  <section className="legend card" aria-labelledby="legend-title">
                    <h2 id="legend-title">{spec.short}</h2>
                    <ul data-testid="legend">
                      {labels.map((label, i) => (
                        <li key={label}>
                          <span
                            className="swatch"
                            style={{ background: spec.colors[i] }}
                            aria-hidden="true"
                          />
                          {label}
                        </li>
                      ))}
                      <li>
                        <span className="swatch swatch-withheld" aria-hidden="true" />
                        non diffusé par l’INSEE (secret statistique ou IRIS non découpé)
                      </li>
                      <li>
                        <span className="swatch swatch-qpv" aria-hidden="true" />
                        IRIS approchant un QPV (périmètre approché)
                      </li>
                    </ul>
                    <p>
                      <small>
                        Classes par quantiles : chaque classe regroupe environ un cinquième des IRIS.
                      </small>
                    </p>
                  </section>
                  <section className="panel card" aria-labelledby="iris-detail" aria-live="polite">
                    <h2 id="iris-detail">IRIS sélectionné</h2>
                    {selectedIris ? (
                      <IrisDetail iris={selectedIris} />
                    ) : (
                      <p>
                        Cliquez sur un IRIS de la carte pour afficher ses valeurs, ou utilisez l’onglet
                        Tableau.
                      </p>
                    )}
                  </section>
                </aside>
              </div>
            ),
          },
          {
            id: 'table',
            label: 'Tableau',
            content: data ? <IrisTable iris={data.iris} /> : <p>Chargement…</p>,
          },
        ]}
      />
      <section aria-labelledby="qpv-title">
        <h2 id="qpv-title">Communes et quartiers prioritaires</h2>
        {data ? <CommuneTable communes={data.communes} /> : <p>Chargement…</p>}
      </section>
    </>
  );
}

function valueOrWithheld(value: number | null, format: (n: number) => string): string {
  return value === null ? 'non diffusé' : format(value);
}

function IrisDetail({ iris }: { iris: IrisProperties }) {
  return (
    <dl>
      <dt>IRIS</dt>
      <dd>
        {iris.name} ({iris.code})
      </dd>
      <dt>Commune</dt>
      <dd>{iris.communeName}</dd>
      <dt>{VARIABLES.medianIncome.short}</dt>
      <dd>{valueOrWithheld(iris.medianIncome, formatEuros)}</dd>
      <dt>{VARIABLES.povertyRate.short}</dt>
      <dd>{valueOrWithheld(iris.povertyRate, formatPercent)}</dd>
      <dt>QPV</dt>
      <dd>{iris.qpvs.length ? iris.qpvs.map((q) => `${q.name} (approché)`).join(', ') : 'aucun'}</dd>
    </dl>
  );
}

function IrisTable({ iris }: { iris: FeatureCollection<IrisProperties> }) {
  const rows = iris.features
    .map((f) => f.properties)
    .toSorted((a, b) => a.communeName.localeCompare(b.communeName, 'fr') || a.code.localeCompare(b.code));
  return (
    <div className="table-wrap">
      <table data-testid="iris-table">
        <caption>
          {rows.length} IRIS — revenu disponible médian par unité de consommation et taux de pauvreté (INSEE,
          Filosofi 2018) ; « non diffusé » quand l’INSEE ne publie pas la valeur.
        </caption>
        <thead>
          <tr>
            <th scope="col">IRIS</th>
            <th scope="col">Code</th>
            <th scope="col">Commune</th>
            <th scope="col" className="num">
              Revenu médian par UC
            </th>
            <th scope="col" className="num">
              Taux de pauvreté
            </th>
            <th scope="col">QPV (périmètre approché)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code}>
              <th scope="row">{r.name}</th>
              <td>{r.code}</td>
              <td>{r.communeName}</td>
              <td className="num">{valueOrWithheld(r.medianIncome, formatEuros)}</td>
              <td className="num">{valueOrWithheld(r.povertyRate, formatPercent)}</td>
              <td>{r.qpvs.map((q) => q.name).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CommuneTable({ communes }: { communes: FeatureCollection<CommuneProperties> }) {
  const rows = communes.features.map((f) => f.properties);
  const withQpv = rows.filter((r) => r.qpvs.length > 0).length;
  return (
    <div className="table-wrap">
      <table data-testid="commune-table">
        <caption>
          {rows.length} communes, dont {withQpv} avec au moins un quartier prioritaire (ANCT, 2024). Les
          périmètres des QPV sont approchés par les IRIS qu’ils couvrent tant que le contour officiel n’est
          pas importé.
        </caption>
        <thead>
          <tr>
            <th scope="col">Commune</th>
            <th scope="col">Code INSEE</th>
            <th scope="col" className="num">
              Population
            </th>
            <th scope="col">Quartiers prioritaires (QPV)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code}>
              <th scope="row">{r.name}</th>
              <td>{r.code}</td>
              <td className="num">{formatInteger(r.population)}</td>
              <td>
                {r.qpvs.length === 0
                  ? 'aucun'
                  : r.qpvs.map((q) => (
                      <span key={q.code}>
                        {q.name} ({q.code}){' '}
                        {q.approximate && <span className="badge">périmètre approché</span>}
                        <br />
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
