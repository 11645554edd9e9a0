import { formatEuros, formatInteger } from '../../lib/format.ts';
import type { Indicators, MatchingHome, Proposal, Share, Step } from './types.ts';

/** A calendar date (YYYY-MM-DD) in French, without any time-zone shift. */
export const frDay = (iso: string): string =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' });
export const todayIso = (): string => new Date().toISOString().slice(0, 10);

const oneDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const pct = (x: number | null) => (x === null ? '—' : `${oneDecimal.format(100 * x)} %`);
const shareText = (s: Share) =>
  s.of === 0
    ? 'aucun ménage relogé'
    : `${pct(s.share)} (${formatInteger(s.count)} sur ${formatInteger(s.of)})`;
const signed = (x: number | null, unit: string) =>
  x === null ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${oneDecimal.format(Math.abs(x))} ${unit}`;
const floorText = (floor: number, lift: boolean) =>
  floor === 0 ? 'en rez-de-chaussée' : `au ${floor}e étage ${lift ? 'avec' : 'sans'} ascenseur`;

/** « T3 de 66 m² au 2e étage avec ascenseur, Les Jardins (Grenoble) » */
export function homeText(h: {
  typology: number;
  surfaceM2: number;
  floor: number;
  lift: boolean;
  residenceName: string;
  communeName: string;
}): string {
  return `T${h.typology} de ${Math.round(h.surfaceM2)} m² ${floorText(h.floor, h.lift)}, ${h.residenceName} (${h.communeName})`;
}

export function homeFacts(h: {
  rentEur: number;
  chargesEur: number;
  qpv: string | null;
  constructionYear: number;
}): string {
  return `${formatEuros(h.rentEur + h.chargesEur)} par mois charges comprises · ${h.qpv ? `en QPV (${h.qpv})` : 'hors QPV'} · construit en ${h.constructionYear}`;
}

const RESPONSE_TEXT: Record<Proposal['response'], string> = {
  pending: 'en attente de réponse',
  accepted: 'acceptée',
  refused: 'refusée',
};

export function ProposalsTable({
  proposals,
  caption,
  actions,
}: {
  proposals: Proposal[];
  caption: string;
  actions?: (p: Proposal) => React.ReactNode;
}) {
  if (proposals.length === 0) return <p>Aucune proposition de logement pour l’instant (trois au plus).</p>;
  return (
    <div className="table-wrap">
      <table data-testid="proposals-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">N°</th>
            <th scope="col">Logement</th>
            <th scope="col">Proposé le</th>
            <th scope="col">Réponse</th>
            {actions && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {proposals.map((p) => (
            <tr key={p.rank}>
              <td>{p.rank}</td>
              <th scope="row">
                {homeText(p.home)}
                <div className="muted">{homeFacts(p.home)}</div>
              </th>
              <td>
                {frDay(p.proposedOn)}
                {p.decisionId && <div className="muted">par décision de la commission</div>}
              </td>
              <td data-testid="proposal-response">
                {RESPONSE_TEXT[p.response]}
                {p.answeredOn && ` le ${frDay(p.answeredOn)}`}
                {p.refusalLabel && ` : ${p.refusalLabel}`}
              </td>
              {actions && <td>{actions(p)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every dated step of the file, oldest first. */
export function StepsList({ steps, labels }: { steps: Step[]; labels: Record<string, string> }) {
  return (
    <ol className="relocation-steps" data-testid="relocation-steps">
      {steps.map((s) => (
        <li key={s.id}>
          <strong>{frDay(s.onDate)}</strong> — {labels[s.kind] ?? s.kind}
          {typeof s.details.rank === 'number' && ` n° ${s.details.rank}`}
          {s.details.response === 'accepted' && ' : acceptée'}
          {s.details.response === 'refused' &&
            ` : refusée (${String(s.details.label ?? s.details.refusalReason)})`}
          {s.note && <span className="relocation-note"> « {s.note} »</span>}
          {s.recordedBy && <span className="muted"> — saisi par {s.recordedBy}</span>}
        </li>
      ))}
    </ol>
  );
}

/** The trajectory indicators next to the first national programme's results. */
export function IndicatorsView({
  indicators: ind,
  refusalLabels,
  caption,
}: {
  indicators: Indicators;
  refusalLabels: Record<string, string>;
  caption: string;
}) {
  const rac = ind.residualRent;
  const sp = ind.surfacePerPerson;
  return (
    <>
      <div className="table-wrap">
        <table data-testid="relocation-indicators">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Indicateur</th>
              <th scope="col">Ici</th>
              <th scope="col">Premier programme national</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Ménages relogés</th>
              <td>
                {formatInteger(ind.rehoused)} sur {formatInteger(ind.households)}
              </td>
              <td>—</td>
            </tr>
            <tr>
              <th scope="row">Relogés hors QPV</th>
              <td>{shareText(ind.outsideQpv)}</td>
              <td>—</td>
            </tr>
            <tr>
              <th scope="row">Relogés hors site (hors du quartier de l’opération)</th>
              <td>{shareText(ind.offSite)}</td>
              <td>{pct(ind.national.offSiteShare)}</td>
            </tr>
            <tr>
              <th scope="row">Relogés dans un logement neuf ou récent (moins de 5 ans)</th>
              <td>{shareText(ind.newOrRecent)}</td>
              <td>{pct(ind.national.newOrRecentShare)}</td>
            </tr>
            <tr>
              <th scope="row">Reste à charge mensuel (loyer + charges − aide au logement)</th>
              <td>
                {rac.households === 0
                  ? '—'
                  : `${formatEuros(rac.meanBeforeEur!)} avant, ${formatEuros(rac.meanAfterEur!)} après en moyenne ; écart médian ${signed(rac.medianChangeEur, '€')} (${rac.households} ménages)`}
              </td>
              <td>—</td>
            </tr>
            <tr>
              <th scope="row">Surface par personne</th>
              <td>
                {sp.meanBeforeM2 === null
                  ? '—'
                  : `${oneDecimal.format(sp.meanBeforeM2)} m² avant, ${oneDecimal.format(sp.meanAfterM2!)} m² après (${signed(sp.meanChangeM2, 'm²')})`}
              </td>
              <td>—</td>
            </tr>
            <tr>
              <th scope="row">Délai du premier entretien au nouveau bail (médiane)</th>
              <td>
                {ind.daysToLease.median === null ? '—' : `${formatInteger(ind.daysToLease.median)} jours`}
              </td>
              <td>—</td>
            </tr>
            <tr>
              <th scope="row">Propositions par ménage relogé</th>
              <td>
                {ind.proposals.perRehousedHousehold === null
                  ? '—'
                  : oneDecimal.format(ind.proposals.perRehousedHousehold)}{' '}
                ({formatInteger(ind.proposals.total)} propositions faites)
              </td>
              <td>—</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="muted">
        Comparaison : {ind.national.programme}. Source : {ind.national.source}.
      </p>
      <h3>Refus de propositions : {formatInteger(ind.refusals.total)}</h3>
      <ul>
        {Object.entries(ind.refusals.byReason)
          .filter(([, n]) => n > 0)
          .map(([reason, n]) => (
            <li key={reason}>
              {refusalLabels[reason] ?? reason} : {formatInteger(n)}
            </li>
          ))}
      </ul>
    </>
  );
}

/** Homes open to the household: those matching its wishes, then the others (folded) with what does not match. */
export function MatchingHomesTable({
  homes,
  caption,
  action,
}: {
  homes: MatchingHome[];
  caption: string;
  action: (h: MatchingHome) => React.ReactNode;
}) {
  if (homes.length === 0) return <p>Aucun logement publié ou réservé à l’opération pour l’instant.</p>;
  const matching = homes.filter((h) => h.match.matches);
  const others = homes.filter((h) => !h.match.matches);
  return (
    <>
      {matching.length === 0 ? (
        <p data-testid="no-matching-home">
          Aucun logement ouvert ne répond à tous les souhaits et contraintes pour l’instant.
        </p>
      ) : (
        <HomesTable homes={matching} caption={caption} action={action} testId="matching-homes" />
      )}
      {others.length > 0 && (
        <details className="relocation-others">
          <summary>
            Autres logements ouverts ({formatInteger(others.length)}), avec ce qui ne correspond pas aux
            souhaits
          </summary>
          <HomesTable
            homes={others}
            caption="Logements ouverts qui ne répondent pas à tous les souhaits"
            action={action}
            testId="other-homes"
          />
        </details>
      )}
    </>
  );
}

function HomesTable({
  homes,
  caption,
  action,
  testId,
}: {
  homes: MatchingHome[];
  caption: string;
  action: (h: MatchingHome) => React.ReactNode;
  testId: string;
}) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Logement</th>
            <th scope="col">Origine</th>
            <th scope="col">Souhaits et contraintes</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {homes.map((h) => (
            <tr key={h.homeId}>
              <th scope="row">
                {homeText(h)}
                <div className="muted">{homeFacts(h)}</div>
              </th>
              <td>{h.advertId ? 'annonce publiée' : 'réservé à l’opération'}</td>
              <td>
                {h.match.matches ? (
                  <strong>répond aux souhaits</strong>
                ) : (
                  <ul className="relocation-unmet">
                    {h.match.unmet.map((u) => (
                      <li key={u}>{u}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{action(h)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
