import { useEffect, useMemo, useState } from 'react';
import { type CommuneProperties, type FeatureCollection, getJson, type IrisProperties } from '../../api.ts';
import { formatEuros } from '../../lib/format.ts';
import { geometryPath, projectionFor } from '../../lib/projection.ts';
import { advertsByPlace, markerOffsets, ringCentroid } from './letting-lib.ts';
import type { Advert } from './types.ts';

interface Shapes {
  communes: FeatureCollection<CommuneProperties>;
  iris: FeatureCollection<IrisProperties>;
}

/** The shapes of an EPCI, fetched once per EPCI for the page's life. */
const shapesCache = new Map<string, Promise<Shapes>>();
function shapesOf(epci: string): Promise<Shapes> {
  let shapes = shapesCache.get(epci);
  if (!shapes) {
    shapes = Promise.all([
      getJson<FeatureCollection<CommuneProperties>>(`/territories/${epci}/communes`),
      getJson<FeatureCollection<IrisProperties>>(`/territories/${epci}/iris`),
    ]).then(([communes, iris]) => ({ communes, iris }));
    shapes.catch(() => shapesCache.delete(epci));
    shapesCache.set(epci, shapes);
  }
  return shapes;
}

const advertLabel = (a: Advert) =>
  `T${a.home.typology} de ${a.home.surfaceM2} m² à ${a.home.communeName}, ${formatEuros(a.home.rentEur + a.home.chargesEur)} par mois`;

/**
 * The listed adverts on a drawing of the territory (SVG, as on the Territoire page: no WebGL, no
 * map library). Each home is placed at the centre of its IRIS — never at its address — and each
 * marker is a link reachable with the keyboard; the list under the map says the same in text.
 */
export function AdvertsMap({
  epci,
  adverts,
  onOpen,
}: {
  epci: string;
  adverts: Advert[];
  onOpen: (advert: Advert) => void;
}) {
  const [shapes, setShapes] = useState<Shapes | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    shapesOf(epci)
      .then((s) => live && setShapes(s))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [epci]);

  const drawing = useMemo(() => {
    if (!shapes) return null;
    const projection = projectionFor(shapes.communes, 1000);
    const communes = shapes.communes.features.map((f) => ({
      code: f.properties.code,
      d: geometryPath(f.geometry, projection.project),
    }));
    const centres = new Map<string, [number, number]>();
    for (const f of shapes.iris.features) {
      const c = ringCentroid(f.geometry);
      if (c) centres.set(f.properties.code, projection.project(c[0], c[1]));
    }
    const communeCentres = new Map<string, [number, number]>();
    for (const f of shapes.communes.features) {
      const c = ringCentroid(f.geometry);
      if (c) communeCentres.set(f.properties.code, projection.project(c[0], c[1]));
    }
    return { projection, communes, centres, communeCentres };
  }, [shapes]);

  const places = useMemo(() => advertsByPlace(adverts), [adverts]);

  if (error)
    return (
      <p className="error" role="alert">
        La carte n’a pas pu être chargée ({error}). La liste des annonces reste disponible ci-dessous.
      </p>
    );
  return (
    <div className="letting-map">
      {drawing ? (
        <div className="map-frame map-frame-svg">
          {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing holding links is a group, not a fieldset */}
          <svg
            className="svg-map"
            viewBox={`0 0 ${drawing.projection.width} ${drawing.projection.height}`}
            role="group"
            aria-label={`Carte des annonces : ${adverts.length} logement${adverts.length > 1 ? 's' : ''}, placés au centre de leur quartier (IRIS) ; chaque repère mène à l’annonce`}
            data-testid="adverts-map"
          >
            <g fill="#f6f8fa" stroke="#6b7480" strokeWidth={1.2}>
              {drawing.communes.map(({ code, d }) => (
                <path key={code} d={d} />
              ))}
            </g>
            {places.map((place) => {
              const centre =
                drawing.centres.get(place.iris) ?? drawing.communeCentres.get(place.commune) ?? null;
              if (!centre) return null;
              const offsets = markerOffsets(place.adverts.length, 14);
              return place.adverts.map((a, i) => {
                const [dx, dy] = offsets[i]!;
                return (
                  <a
                    key={a.id}
                    href={`#annonce-${a.id}`}
                    className="advert-marker"
                    aria-label={advertLabel(a)}
                    data-testid="advert-marker"
                    onClick={(event) => {
                      event.preventDefault();
                      onOpen(a);
                    }}
                  >
                    <title>{advertLabel(a)}</title>
                    <circle cx={centre[0] + dx} cy={centre[1] + dy} r={9} />
                    <text x={centre[0] + dx} y={centre[1] + dy + 4} textAnchor="middle">
                      {a.home.typology}
                    </text>
                  </a>
                );
              });
            })}
          </svg>
        </div>
      ) : (
        <p>Chargement de la carte…</p>
      )}
      <p className="hint">
        Le chiffre de chaque repère est la typologie (T1 à T6). Les logements sont placés au centre de leur
        quartier, pas à leur adresse.
      </p>
      <section aria-labelledby="adverts-map-text" className="letting-map-text">
        <h3 id="adverts-map-text">Les mêmes annonces, par commune</h3>
        {adverts.length === 0 ? (
          <p>Aucune annonce ne correspond à ces critères.</p>
        ) : (
          <ul>
            {groupByCommune(adverts).map(([commune, list]) => (
              <li key={commune}>
                {commune} : {list.length} annonce{list.length > 1 ? 's' : ''}
                <ul>
                  {list.map((a) => (
                    <li key={a.id}>
                      <a
                        href={`#annonce-${a.id}`}
                        onClick={(event) => {
                          event.preventDefault();
                          onOpen(a);
                        }}
                      >
                        {advertLabel(a)}
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function groupByCommune(adverts: Advert[]): [string, Advert[]][] {
  const by = new Map<string, Advert[]>();
  for (const a of adverts) by.set(a.home.communeName, [...(by.get(a.home.communeName) ?? []), a]);
  return [...by].sort(([x], [y]) => x.localeCompare(y, 'fr'));
}
