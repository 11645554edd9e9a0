import { useEffect, useMemo, useState } from 'react';
import { type CommuneProperties, type FeatureCollection, getJson, type IrisProperties } from '../../api.ts';
import { formatEuros } from '../../lib/format.ts';
import { framing, geometryPath, projectionFor } from '../../lib/projection.ts';
import {
  type AdvertPlaces,
  advertsByCommune,
  advertsByPlace,
  markerOffsets,
  ringCentroid,
} from './letting-lib.ts';
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

/** Room left around the communes the map is framed on, as a share of their extent on each side. */
const FRAME_MARGIN = 0.15;
/** Up to this many communes framed, their IRIS are outlined. */
const ZOOMED_COMMUNES = 3;
/** The drawing's highest height on screen (theme.css, .svg-map). */
const MAP_MAX_HEIGHT_PX = 640;

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

/**
 * The adverts on a drawing of the territory (SVG, as on the Territoire page: no WebGL, no map
 * library). When the list holds every advert matching the filters (`complete`), each home is a
 * marker at the centre of its IRIS — never at its address. Otherwise the map counts every matching
 * advert by commune (`places`, GET /advert-places): each commune is a marker that narrows the search
 * to it. Every marker is a link reachable with the keyboard; the list under the map says the same in
 * text.
 */
export function AdvertsMap({
  epci,
  adverts,
  places,
  complete,
  onOpen,
  onCommune,
}: {
  epci: string;
  adverts: Advert[];
  /** Every advert matching the filters, by IRIS; null while loading. */
  places: AdvertPlaces | null;
  /** The list holds every advert matching the filters. */
  complete: boolean;
  onOpen: (advert: Advert) => void;
  /** Narrows the search to one commune. */
  onCommune: (commune: string) => void;
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

  const markers = useMemo(() => advertsByPlace(adverts), [adverts]);
  const communes = useMemo(() => (places ? advertsByCommune(places.places) : []), [places]);
  // Counted by commune when the list lacks some adverts and there is more than one commune to choose;
  // otherwise one marker per listed advert (and, if some are missing, a word saying so).
  const byCommune = !complete && communes.length > 1;
  const missing = !complete && places ? places.total - adverts.length : 0;
  const shown = byCommune && places ? places.total : adverts.length;

  /** The communes the map is framed on, as a key. */
  const framed = [...new Set(byCommune ? communes.map((c) => c.commune) : adverts.map((a) => a.home.commune))]
    .sort()
    .join(',');

  const drawing = useMemo(() => {
    if (!shapes) return null;
    // Framed on the communes with a marker (the whole territory when there is none).
    const inFrame = new Set(framed.split(','));
    const frame = framing(
      shapes.communes.features.filter((f) => inFrame.has(f.properties.code)),
      FRAME_MARGIN,
    );
    const projection = projectionFor(frame ?? shapes.communes, 1000);
    const communes = shapes.communes.features.map((f) => ({
      code: f.properties.code,
      d: geometryPath(f.geometry, projection.project),
    }));
    // Close enough (a few communes framed), the IRIS of those communes are outlined too.
    const iris =
      frame && inFrame.size <= ZOOMED_COMMUNES
        ? shapes.iris.features
            .filter((f) => inFrame.has(f.properties.commune))
            .map((f) => ({ code: f.properties.code, d: geometryPath(f.geometry, projection.project) }))
        : [];
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
    // The drawing is shown at most MAP_MAX_HEIGHT_PX high: markers and their figures are sized in
    // screen pixels, whatever the territory's shape.
    const px = Math.max(1, projection.height / MAP_MAX_HEIGHT_PX);
    return { projection, communes, iris, centres, communeCentres, px };
  }, [shapes, framed]);

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
            aria-label={
              byCommune
                ? `Carte des annonces : ${plural(shown, 'logement')} comptés par commune ; chaque repère affiche les annonces de sa commune`
                : `Carte des annonces : ${plural(shown, 'logement')}, placés au centre de leur quartier (IRIS) ; chaque repère mène à l’annonce`
            }
            data-testid="adverts-map"
          >
            <g fill="#f6f8fa" stroke="#6b7480" strokeWidth={1.2}>
              {drawing.communes.map(({ code, d }) => (
                <path key={code} d={d} />
              ))}
            </g>
            <g fill="none" stroke="#6b7480" strokeWidth={0.6} strokeDasharray="4 3">
              {drawing.iris.map(({ code, d }) => (
                <path key={code} d={d} />
              ))}
            </g>
            {byCommune
              ? communes.map((c) => {
                  const centre = drawing.communeCentres.get(c.commune);
                  if (!centre) return null;
                  const label = `${c.communeName} : ${plural(c.adverts, 'annonce')} — les afficher`;
                  return (
                    <a
                      key={c.commune}
                      href={`?communes=${c.commune}&vue=carte`}
                      className="advert-marker commune-marker"
                      aria-label={label}
                      data-testid="commune-marker"
                      onClick={(event) => {
                        event.preventDefault();
                        onCommune(c.commune);
                      }}
                    >
                      <title>{label}</title>
                      <circle
                        cx={centre[0]}
                        cy={centre[1]}
                        r={drawing.px * Math.min(24, 11 + 1.5 * Math.sqrt(c.adverts))}
                      />
                      <text
                        x={centre[0]}
                        y={centre[1] + 4 * drawing.px}
                        textAnchor="middle"
                        style={{ fontSize: 11 * drawing.px }}
                      >
                        {c.adverts}
                      </text>
                    </a>
                  );
                })
              : markers.map((place) => {
                  const centre =
                    drawing.centres.get(place.iris) ?? drawing.communeCentres.get(place.commune) ?? null;
                  if (!centre) return null;
                  const offsets = markerOffsets(place.adverts.length, 20 * drawing.px);
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
                        <circle cx={centre[0] + dx} cy={centre[1] + dy} r={9 * drawing.px} />
                        <text
                          x={centre[0] + dx}
                          y={centre[1] + dy + 4 * drawing.px}
                          textAnchor="middle"
                          style={{ fontSize: 11 * drawing.px }}
                        >
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
      {byCommune ? (
        <p className="hint" data-testid="map-reading">
          {plural(shown, 'annonce')} correspondent à ces critères : la carte les compte par commune.
          Choisissez une commune pour voir chacune de ses annonces.
        </p>
      ) : (
        <p className="hint" data-testid="map-reading">
          Le chiffre de chaque repère est la typologie (T1 à T6). Les logements sont placés au centre de leur
          quartier, pas à leur adresse.
          {missing > 0 &&
            ` La carte montre les ${adverts.length} premières annonces sur ${places?.total} : affichez-en plus sous la carte ou précisez les filtres.`}
        </p>
      )}
      <section aria-labelledby="adverts-map-text" className="letting-map-text">
        <h3 id="adverts-map-text">Les mêmes annonces, par commune</h3>
        {shown === 0 ? (
          <p>Aucune annonce ne correspond à ces critères.</p>
        ) : byCommune ? (
          <ul>
            {communes.map((c) => (
              <li key={c.commune}>
                <a
                  href={`?communes=${c.commune}&vue=carte`}
                  onClick={(event) => {
                    event.preventDefault();
                    onCommune(c.commune);
                  }}
                >
                  {c.communeName} : {plural(c.adverts, 'annonce')}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <ul>
            {groupByCommune(adverts).map(([commune, list]) => (
              <li key={commune}>
                {commune} : {plural(list.length, 'annonce')}
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
