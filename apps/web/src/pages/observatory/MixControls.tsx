import { scaleApplies } from './observatory-lib.ts';
import type { MixParams, MixPopulation, MixScale, MixVariable, ObservatoryOptions } from './types.ts';

const SCALE_HINTS: Record<MixScale, string> = {
  commune: 'les communes de l’EPCI',
  iris: 'quartiers INSEE, dans leur commune',
  residence: 'occupants du parc social et attributions seulement',
  qpv: 'chaque QPV et « hors QPV »',
};

/** The choice of variable, population, scale and year: native radio groups and a select, each labelled. */
export function MixControls({
  options,
  params,
  onChange,
}: {
  options: ObservatoryOptions;
  params: MixParams;
  onChange: (params: MixParams) => void;
}) {
  const set = (change: Partial<MixParams>) => {
    const next = { ...params, ...change };
    // A scale or a variable that does not apply to the new population falls back to one that does.
    if (!scaleApplies(next.population, next.scale)) next.scale = 'iris';
    if (next.variable === 'tenure' && next.population !== 'households') next.variable = 'income-quartile';
    if (next.population === 'lettings' && next.year === null) next.year = options.years[0] ?? null;
    onChange(next);
  };
  return (
    <form
      className="controls obs-controls"
      aria-label="Paramètres de la mesure"
      onSubmit={(e) => e.preventDefault()}
    >
      <fieldset>
        <legend>Variable</legend>
        {options.variables.map((v) => {
          const disabled = v.code === 'tenure' && params.population !== 'households';
          return (
            <label className="radio" key={v.code}>
              <input
                type="radio"
                name="obs-variable"
                value={v.code}
                checked={params.variable === v.code}
                disabled={disabled}
                onChange={() => set({ variable: v.code as MixVariable })}
              />
              <span>
                {v.label}
                {disabled && <small className="obs-hint"> (une seule modalité dans le parc social)</small>}
              </span>
            </label>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>Population</legend>
        {options.populations.map((p) => (
          <label className="radio" key={p.code}>
            <input
              type="radio"
              name="obs-population"
              value={p.code}
              checked={params.population === p.code}
              onChange={() => set({ population: p.code as MixPopulation })}
            />
            {p.label}
          </label>
        ))}
        {params.population === 'lettings' && (
          <p className="obs-year">
            <label htmlFor="obs-year">Année des baux</label>{' '}
            <select
              id="obs-year"
              className="obs-select"
              value={params.year ?? ''}
              onChange={(e) => set({ year: Number(e.target.value) })}
            >
              {options.lettings.map((l) => (
                <option key={l.year} value={l.year}>
                  {l.year} ({l.count === null ? 'nombre de baux secret' : `${l.count} baux`})
                </option>
              ))}
            </select>
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Échelle</legend>
        {options.scales.map((s) => {
          const disabled = !scaleApplies(params.population, s.code);
          return (
            <label className="radio" key={s.code}>
              <input
                type="radio"
                name="obs-scale"
                value={s.code}
                checked={params.scale === s.code}
                disabled={disabled}
                aria-describedby={`obs-scale-hint-${s.code}`}
                onChange={() => set({ scale: s.code as MixScale })}
              />
              <span>
                {s.label}{' '}
                <small className="obs-hint" id={`obs-scale-hint-${s.code}`}>
                  ({SCALE_HINTS[s.code]})
                </small>
              </span>
            </label>
          );
        })}
      </fieldset>
    </form>
  );
}
