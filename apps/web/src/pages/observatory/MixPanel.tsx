import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Tabs } from '../../components/Tabs.tsx';
import { classLabels, quantileBreaks, SCHEMES } from '../../lib/classes.ts';
import { DecompositionChart } from './DecompositionChart.tsx';
import { MixControls } from './MixControls.tsx';
import { MixHeadline } from './MixHeadline.tsx';
import {
  csvHref,
  defaultYear,
  figurePath,
  formatIndex,
  formatRatio,
  scaleApplies,
} from './observatory-lib.ts';
import type {
  IndicesAnswer,
  MixParams,
  MixPopulation,
  MixScale,
  MixUnit,
  MixVariable,
  ObservatoryOptions,
  UncertaintyAnswer,
  UnitsAnswer,
} from './types.ts';
import { UnitsTable } from './UnitsTable.tsx';
import { useJson } from './use-json.ts';

// MapLibre is large: its chunk loads only when the map tab is shown.
const UnitsMap = lazy(() => import('./UnitsMap.tsx'));
/** The legend's mark of a residence whose value is secret: the map's white dot ringed in grey. */
const SECRET_DOT = { background: '#ffffff', border: '1px solid #595959', borderRadius: '50%' } as const;

/** Location quotients around 1: blue where the group is rarer than in the whole, red where more present. */
const QUOTIENT_BREAKS = [0.67, 0.9, 1.1, 1.5];
const QUOTIENT_COLOURS = ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'];

/** Parameters from the address (?variable=…&population=…&scale=…&year=…), so that a figure can be shared. */
function paramsFromUrl(options: ObservatoryOptions): MixParams {
  const search = new URLSearchParams(window.location.search);
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = search.get(name);
    return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
  };
  const population = pick<MixPopulation>(
    'population',
    options.populations.map((p) => p.code),
    'households',
  );
  let scale = pick<MixScale>(
    'scale',
    options.scales.map((s) => s.code),
    'iris',
  );
  if (!scaleApplies(population, scale)) scale = 'iris';
  let variable = pick<MixVariable>(
    'variable',
    options.variables.map((v) => v.code),
    'income-quartile',
  );
  if (variable === 'tenure' && population !== 'households') variable = 'income-quartile';
  const year = Number(search.get('year'));
  return {
    variable,
    population,
    scale,
    year: options.years.includes(year) ? year : defaultYear(options.lettings),
  };
}

function populationTitle(answer: IndicesAnswer): string {
  if (answer.population.code === 'lettings') return `ménages logés en ${answer.year}`;
  return answer.population.code === 'households' ? 'tous les ménages' : 'occupants du parc social';
}

export function MixPanel({ epci }: { epci: string }) {
  const options = useJson<ObservatoryOptions>(`/territories/${epci}/observatory`);
  const [params, setParams] = useState<MixParams | null>(null);
  const [group, setGroup] = useState(0);
  const [view, setView] = useState('table');
  const [measure, setMeasure] = useState<'localScore' | 'quotient'>('localScore');

  useEffect(() => {
    if (options.data && params === null) setParams(paramsFromUrl(options.data));
  }, [options.data, params]);

  const change = useCallback((next: MixParams) => {
    setParams(next);
    setGroup(0);
    const search = new URLSearchParams({
      variable: next.variable,
      population: next.population,
      scale: next.scale,
    });
    if (next.population === 'lettings' && next.year !== null) search.set('year', String(next.year));
    window.history.replaceState(null, '', `${window.location.pathname}?${search}`);
  }, []);

  const indices = useJson<IndicesAnswer>(params && figurePath(epci, 'indices', params));
  const uncertainty = useJson<UncertaintyAnswer>(params && figurePath(epci, 'uncertainty', params));
  const units = useJson<UnitsAnswer>(params && figurePath(epci, 'units', params));

  const unitValue = useCallback(
    (u: MixUnit) =>
      measure === 'localScore'
        ? u.localScore
        : u.locationQuotientsSecret[group]
          ? null
          : (u.locationQuotients[group] ?? 0),
    [measure, group],
  );
  const { breaks, colours } = useMemo(() => {
    if (measure === 'quotient') return { breaks: QUOTIENT_BREAKS, colours: QUOTIENT_COLOURS };
    const values = units.data?.units.flatMap((u) => (u.localScore === null ? [] : [u.localScore])) ?? [];
    const max = Math.max(0, ...values);
    return { breaks: quantileBreaks(values, 5, max > 0 ? max / 1000 : 0.001), colours: SCHEMES.purpleBlue };
  }, [measure, units.data]);

  if (options.error) {
    return (
      <p className="error" role="alert">
        L’observatoire n’a pas pu être chargé : {options.error}
      </p>
    );
  }
  if (!options.data || !params) return <p className="reserved-line">Chargement de l’observatoire…</p>;

  const groups = units.data?.groups ?? options.data.variables.find((v) => v.code === params.variable)!.groups;
  const groupLabel = groups[group]?.label ?? '';
  const measureLabel =
    measure === 'localScore' ? 'Score local' : `Quotient de localisation « ${groupLabel} »`;
  const format = measure === 'localScore' ? formatIndex : formatRatio;
  const legend = classLabels(breaks, format);
  const mapped = params.scale !== 'qpv';
  const fresh = indices.data && !indices.loading ? indices.data : null;

  return (
    <>
      <MixControls options={options.data} params={params} onChange={change} />
      {indices.error && (
        <p className="error" role="alert" data-testid="obs-error">
          {indices.error}
        </p>
      )}
      {indices.data && !indices.error && (
        <section aria-labelledby="obs-result-title" aria-busy={indices.loading} data-testid="obs-result">
          <h2 id="obs-result-title">
            {indices.data.variable.label} — {populationTitle(indices.data)} —{' '}
            {indices.data.scale.label.toLowerCase()}
          </h2>
          <MixHeadline
            indices={indices.data}
            uncertainty={uncertainty.data}
            uncertaintyLoading={uncertainty.loading}
            uncertaintyError={uncertainty.error}
            csvPath={figurePath(epci, 'indices', params, 'csv')}
          />
          <h2>Décomposition par niveau</h2>
          <DecompositionChart
            terms={indices.data.decomposition}
            total={indices.data.indices.M}
            csvPath={figurePath(epci, 'decomposition', params, 'csv')}
          />
        </section>
      )}
      {!indices.error && (
        <section aria-labelledby="obs-units-title">
          <h2 id="obs-units-title">Unités</h2>
          <div className="controls">
            <p>
              <label htmlFor="obs-group">Groupe des parts et quotients de localisation</label>{' '}
              <select
                id="obs-group"
                className="obs-select"
                value={group}
                onChange={(e) => setGroup(Number(e.target.value))}
              >
                {groups.map((g, i) => (
                  <option key={g.code} value={i}>
                    {g.label}
                  </option>
                ))}
              </select>
            </p>
            {units.data && (
              <p>
                <a href={csvHref(figurePath(epci, 'units', params, 'csv'))} download data-testid="csv-units">
                  Télécharger les unités (CSV)
                </a>
              </p>
            )}
          </div>
          <Tabs
            label="Présentation des unités"
            selected={view}
            onSelect={setView}
            items={[
              {
                id: 'table',
                label: 'Tableau',
                content: units.data ? (
                  <UnitsTable answer={units.data} group={group} />
                ) : (
                  <p>{units.error ?? 'Chargement…'}</p>
                ),
              },
              {
                id: 'map',
                label: 'Carte',
                content: !mapped ? (
                  <p>
                    La carte est disponible aux échelles commune, IRIS et résidence ; à l’échelle des QPV,
                    utilisez le tableau.
                  </p>
                ) : (
                  <div className="grid grid-map">
                    <div className="map-frame">
                      {units.data && fresh ? (
                        <Suspense fallback={<p className="map-placeholder">Chargement de la carte…</p>}>
                          <UnitsMap
                            key={params.scale}
                            epci={epci}
                            scale={params.scale}
                            units={units.data.units}
                            value={unitValue}
                            format={format}
                            breaks={breaks}
                            colours={colours}
                            measureLabel={measureLabel}
                          />
                        </Suspense>
                      ) : (
                        <p className="map-placeholder">Chargement des données…</p>
                      )}
                    </div>
                    <aside className="legend card" aria-labelledby="obs-legend-title">
                      <fieldset>
                        <legend>Valeur représentée</legend>
                        <label className="radio">
                          <input
                            type="radio"
                            name="obs-measure"
                            checked={measure === 'localScore'}
                            onChange={() => setMeasure('localScore')}
                          />
                          Score local
                        </label>
                        <label className="radio">
                          <input
                            type="radio"
                            name="obs-measure"
                            checked={measure === 'quotient'}
                            onChange={() => setMeasure('quotient')}
                          />
                          Quotient de localisation du groupe choisi
                        </label>
                      </fieldset>
                      <h3 id="obs-legend-title">{measureLabel}</h3>
                      <ul data-testid="obs-legend">
                        {legend.map((label, i) => (
                          <li key={label}>
                            <span className="swatch" style={{ background: colours[i] }} aria-hidden="true" />
                            {label}
                          </li>
                        ))}
                        <li>
                          <span
                            className={params.scale === 'residence' ? 'swatch' : 'swatch swatch-withheld'}
                            style={params.scale === 'residence' ? SECRET_DOT : undefined}
                            aria-hidden="true"
                          />
                          secret statistique (valeur non diffusée)
                        </li>
                      </ul>
                      {params.scale === 'residence' && (
                        <p>
                          <small>
                            Les résidences dont le nombre de ménages est secret (moins de{' '}
                            {options.data.secrecyThreshold}) ne sont pas dessinées.
                          </small>
                        </p>
                      )}
                    </aside>
                  </div>
                ),
              },
            ]}
          />
        </section>
      )}
    </>
  );
}
