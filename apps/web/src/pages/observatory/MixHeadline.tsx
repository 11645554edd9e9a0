import { csvHref, formatCount, formatIndex, formatRatio, formatShare } from './observatory-lib.ts';
import type { BootstrapEstimate, IndicesAnswer, UncertaintyAnswer } from './types.ts';

/**
 * The bootstrap estimate corrected for the upward bias of small units, with its 95 % interval
 * (percentiles of the debiased draws, R `segregation`): it lies below M when units are small.
 */
function Interval({
  estimate,
  format,
  loading,
  error,
}: {
  estimate: BootstrapEstimate | undefined;
  format: (n: number) => string;
  loading: boolean;
  error: string | null;
}) {
  if (error) return <>Intervalle de confiance indisponible.</>;
  if (!estimate || loading) return <>Intervalle de confiance : calcul en cours…</>;
  return (
    <>
      Corrigé du biais : {format(estimate.est)} (IC à 95 % : {format(estimate.ci[0])} à{' '}
      {format(estimate.ci[1])})
    </>
  );
}

const UNIT_NOUNS: Record<string, string> = {
  commune: 'communes',
  iris: 'IRIS',
  residence: 'résidences',
  qpv: 'unités (QPV et hors QPV)',
};

/** The headline indices with their intervals and the value expected without segregation, then the reading. */
export function MixHeadline({
  indices,
  uncertainty,
  uncertaintyLoading,
  uncertaintyError,
  csvPath,
}: {
  indices: IndicesAnswer;
  uncertainty: UncertaintyAnswer | null;
  uncertaintyLoading: boolean;
  uncertaintyError: string | null;
  csvPath: string;
}) {
  const u = uncertainty && uncertainty.dataVersion === indices.dataVersion ? uncertainty : null;
  const expected = indices.underIndependence;
  const cuts = indices.incomeQuartileCuts;
  return (
    <>
      <p className="obs-counts" data-testid="obs-counts">
        {indices.total === null ? 'Un nombre secret de' : formatCount(indices.total)}{' '}
        {indices.population.code === 'lettings' ? 'ménages logés' : 'ménages'} répartis en{' '}
        {formatCount(indices.unitCount)} {UNIT_NOUNS[indices.scale.code] ?? 'unités'}.
        {cuts && (
          <>
            {' '}
            Quartiles du revenu disponible par unité de consommation de tous les ménages de l’EPCI : 1er
            jusqu’à {formatCount(cuts[0]!)} €, 2e jusqu’à {formatCount(cuts[1]!)} €, 3e jusqu’à{' '}
            {formatCount(cuts[2]!)} € par an, 4e au-delà.
          </>
        )}
      </p>
      <div className="obs-stats">
        <section className="card obs-stat" aria-labelledby="obs-stat-m" data-testid="stat-m">
          <h3 id="obs-stat-m">M — information mutuelle</h3>
          <p className="obs-stat-value">{formatIndex(indices.indices.M)}</p>
          <p>
            <Interval
              estimate={u?.M}
              format={formatIndex}
              loading={uncertaintyLoading}
              error={uncertaintyError}
            />
          </p>
          <p>
            Attendu sans ségrégation : <strong>{formatIndex(expected.M.mean)}</strong>
          </p>
        </section>
        <section className="card obs-stat" aria-labelledby="obs-stat-h" data-testid="stat-h">
          <h3 id="obs-stat-h">H — indice de Theil</h3>
          <p className="obs-stat-value">{formatShare(indices.indices.H)}</p>
          <p>
            <Interval
              estimate={u?.H}
              format={formatShare}
              loading={uncertaintyLoading}
              error={uncertaintyError}
            />
          </p>
          <p>
            Attendu sans ségrégation : <strong>{formatShare(expected.H.mean)}</strong>
          </p>
        </section>
        <section className="card obs-stat" aria-labelledby="obs-stat-d">
          <h3 id="obs-stat-d">D — dissimilarité</h3>
          <p className="obs-stat-value">{formatRatio(indices.indices.dissimilarity)}</p>
          <p>entre 0 (aucune séparation) et 1</p>
        </section>
      </div>
      <div className="obs-reading card" data-testid="reading" aria-live="polite">
        <h3>Lecture</h3>
        {indices.reading.map((sentence) => (
          <p key={sentence}>{sentence}</p>
        ))}
      </div>
      <p>
        <a href={csvHref(csvPath)} download data-testid="csv-indices">
          Télécharger les indices (CSV)
        </a>
      </p>
      <details className="obs-howto">
        <summary>Comment lire ces indices</summary>
        <dl>
          <dt>M, l’indice d’information mutuelle</dt>
          <dd>
            Ce que l’unité où vit un ménage (commune, IRIS, résidence…) apprend sur son groupe. M vaut 0 quand
            chaque unité a la composition de l’ensemble du territoire, et croît à mesure que les groupes se
            séparent. Il se décompose exactement par niveau : M = entre communes + entre IRIS d’une même
            commune + entre résidences d’un même IRIS.
          </dd>
          <dt>H, l’indice de Theil</dt>
          <dd>
            M rapporté à la diversité des groupes : de 0 % (aucune séparation) à 100 % (chaque unité ne compte
            qu’un groupe). Il compare des variables qui n’ont pas le même nombre de groupes.
          </dd>
          <dt>D, la dissimilarité multigroupe</dt>
          <dd>
            La part des ménages qu’il faudrait déplacer pour que chaque unité ait la composition de
            l’ensemble, rapportée à son maximum.
          </dd>
          <dt>Intervalle de confiance et valeur attendue sans ségrégation</dt>
          <dd>
            Les petites unités (résidences) gonflent M : même des ménages répartis au hasard donnent un M
            positif. La valeur attendue sans ségrégation est ce M du hasard, pour des unités de mêmes tailles
            ; seul l’écart à cette valeur a un sens. L’estimation corrigée du biais et son intervalle de
            confiance à 95 % viennent de 100 tirages bootstrap (graine fixe : mêmes chiffres à chaque calcul).
          </dd>
          <dt>Score local et quotient de localisation</dt>
          <dd>
            Le score local dit combien la composition d’une unité s’écarte de celle du territoire (M en est la
            moyenne pondérée). Le quotient de localisation d’un groupe est sa part dans l’unité divisée par sa
            part dans le territoire : 1 comme partout, 2 deux fois plus présent.
          </dd>
          <dt>Secret statistique</dt>
          <dd>
            Les unités de moins de 11 ménages ne sont ni listées, ni cartographiées, ni téléchargeables ; les
            indices sont calculés sur tous les ménages.
          </dd>
        </dl>
      </details>
    </>
  );
}
