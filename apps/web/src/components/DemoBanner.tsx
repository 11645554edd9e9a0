import type { DatasetSource } from '../api.ts';

/** Says which data is real (producer, year, licence) and which is generated, on every page. */
export function DemoBanner({ sources }: { sources: DatasetSource[] | null }) {
  const real = sources?.filter((s) => !s.generated) ?? [];
  const generated = sources?.filter((s) => s.generated) ?? [];
  return (
    <section className="demo-banner" aria-label="Données de démonstration">
      <div className="inner">
        <p>
          <strong>Démonstration.</strong> Le territoire (Grenoble-Alpes Métropole) est décrit par des données
          ouvertes réelles ; les ménages, le parc social, les demandes et les attributions sont{' '}
          <strong>générés</strong> et ne décrivent personne.
        </p>
        <details>
          <summary>Sources des données réelles</summary>
          {sources === null ? (
            <p>Chargement…</p>
          ) : (
            <ul>
              {real.map((s) => (
                <li key={s.id}>
                  {s.title} — {s.producer}, {s.year} ({s.licence})
                </li>
              ))}
              {generated.map((s) => (
                <li key={s.id}>
                  {s.title} — données générées ({s.producer}, {s.year})
                </li>
              ))}
            </ul>
          )}
        </details>
      </div>
    </section>
  );
}
