import type { EpciSummary } from '../api.ts';
import { formatInteger } from '../lib/format.ts';
import { Link } from '../router.tsx';

export function HomePage({ epci }: { epci: EpciSummary | null }) {
  return (
    <>
      <h1>Mosaïque</h1>
      <p className="lead">
        La plateforme ouverte de la location choisie, de l’attribution des logements sociaux sous les
        objectifs de mixité de la convention intercommunale d’attribution (CIA), et de la mesure de la mixité
        sociale à toutes les échelles : immeuble, quartier, commune, écoles.
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="home-territory">
          <h2 id="home-territory">Territoire de démonstration</h2>
          {epci ? (
            <p className="reserved-lines">
              {epci.name} : {formatInteger(epci.populationMunicipal)} habitants, {epci.counts.communes}{' '}
              communes, {epci.counts.iris} IRIS, {epci.counts.qpv} quartiers prioritaires,{' '}
              {epci.counts.schools} écoles et collèges.
            </p>
          ) : (
            <p className="reserved-lines">Chargement…</p>
          )}
          <p>
            <Link href="/territoire">Voir la carte des revenus et de la pauvreté par IRIS</Link>
          </p>
        </section>
      </div>
    </>
  );
}
