import type { AuditOutcomeResult, EqualTreatmentAudit } from '@mosaique/domain/audit';
import { type FormEvent, useEffect, useState } from 'react';
import { DEMO_EPCI, getJson } from '../../api.ts';
import { formatDate, formatInteger } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';

interface AuditReport extends EqualTreatmentAudit {
  epci: string;
  grid: { id: string; version: number; label: string; active: boolean };
}

const VARIABLE_LABELS: Record<string, string> = {
  'age-band': 'Âge de la personne de référence',
  'household-type': 'Composition du ménage',
  'economic-vulnerability': 'Niveau de ressources',
  'residence-qpv': 'Résidence en QPV',
  'residence-commune': 'Commune de résidence',
  disability: 'Handicap',
  'social-tenant': 'Locataire HLM',
};

const decimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ratio = (x: number | null) => (x === null ? '—' : decimal.format(x));
const pct = (x: number) => `${(100 * x).toFixed(1).replace('.', ',')} %`;

/** The equal-treatment audit (RULES.md §6): adjusted odds ratios of each outcome by lawful group. */
export function AuditPage() {
  const { session } = useSession();
  const [query, setQuery] = useState({ from: '', to: '' });
  const [report, setReport] = useState<AuditReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const allowed = session && (session.user.role === 'epci-analyst' || session.user.role === 'admin');

  useEffect(() => {
    if (!allowed) return;
    setError(null);
    setLoading(true);
    const period = query.from && query.to ? `?from=${query.from}&to=${query.to}` : '';
    // A newer period asked meanwhile: this answer is dropped (and its request cancelled).
    const controller = new AbortController();
    getJson<AuditReport>(`/territories/${DEMO_EPCI}/audit${period}`, controller.signal)
      .then(setReport)
      .catch((e: Error) => {
        if (controller.signal.aborted) return;
        setReport(null);
        setError(e.message);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [allowed, query]);

  if (session === undefined) return <p>Chargement…</p>;
  if (!allowed) {
    return (
      <>
        <h1>Audit d’égalité de traitement</h1>
        <p>
          L’audit est réservé aux analystes de l’intercommunalité et aux administrateurs.{' '}
          {session === null && <Link href="/connexion">Se connecter</Link>}
        </p>
      </>
    );
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = String(form.get('from') ?? '');
    const to = String(form.get('to') ?? '');
    if ((from === '') !== (to === '')) {
      setError(
        'Indiquez le début et la fin de la période, ou aucun des deux (dernière année ayant des baux).',
      );
      return;
    }
    setQuery({ from, to });
  };
  return (
    <>
      <h1>Audit d’égalité de traitement</h1>
      <p className="lead">
        Les demandeurs d’un groupe défini par un critère licite (âge, composition du ménage, ressources, lieu
        de résidence, handicap, statut de locataire HLM) sont-ils logés, retenus ou présentés à la commission
        moins souvent que les autres,{' '}
        <strong>à cotation, typologie, éligibilité et commune demandée égales</strong> ?{' '}
        <a href="#methode">Méthode et limites</a>.
      </p>
      <form className="controls" onSubmit={submit} aria-label="Période de l’audit">
        <div className="field">
          <label htmlFor="audit-from">Début de la période</label>
          <input id="audit-from" name="from" type="date" defaultValue={query.from} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">Fin de la période</label>
          <input id="audit-to" name="to" type="date" defaultValue={query.to} />
        </div>
        <button className="button-primary" type="submit">
          Auditer
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p role="status">{loading ? 'Calcul de l’audit…' : ''}</p>
      {report && <AuditView report={report} />}
      <Method />
    </>
  );
}

function AuditView({ report }: { report: AuditReport }) {
  const flagged = report.outcomes.flatMap((o) => o.groups.filter((g) => g.flagged).map((g) => ({ o, g })));
  return (
    <>
      <section aria-labelledby="audit-summary-title">
        <h2 id="audit-summary-title">
          Période du {formatDate(report.from)} au {formatDate(report.to)}
        </h2>
        <p data-testid="audit-summary">
          {formatInteger(report.tests)} comparaisons, {formatInteger(flagged.length)} groupe
          {flagged.length > 1 ? 's' : ''} signalé{flagged.length > 1 ? 's' : ''}. Score contrôlé : «{' '}
          {report.grid.label} » (version {report.grid.version}
          {report.grid.active ? '' : ', grille par défaut : aucune grille active'}).
        </p>
        {flagged.length > 0 && (
          <ul>
            {flagged.map(({ o, g }) => (
              <li key={`${o.outcome}-${g.variable}-${g.group}`}>
                {o.label} : {g.label}, rapport de cotes ajusté {ratio(g.oddsRatio)} (intervalle{' '}
                {ratio(g.lower)} – {ratio(g.upper)})
              </li>
            ))}
          </ul>
        )}
        {report.unavailable.length > 0 && (
          <>
            <p>Non audité :</p>
            <ul>
              {report.unavailable.map((u) => (
                <li key={u.what}>
                  {u.what} : {u.reason}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {report.outcomes.map((o) => (
        <OutcomeTable key={o.outcome} outcome={o} />
      ))}
    </>
  );
}

function OutcomeTable({ outcome }: { outcome: AuditOutcomeResult }) {
  const id = `audit-${outcome.outcome}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{outcome.label}</h2>
      <p>
        {outcome.definition} {formatInteger(outcome.persons)} demandes, {formatInteger(outcome.events)} avec
        l’issue ; {formatInteger(outcome.strata)} strates ; {formatInteger(outcome.tests)} groupes testés ;
        intervalles à {(100 * outcome.level).toFixed(2).replace('.', ',')} % (correction de Bonferroni pour
        l’ensemble des comparaisons de l’audit).
      </p>
      <div className="table-wrap">
        <table data-testid={`audit-table-${outcome.outcome}`}>
          <caption>
            {outcome.label} : rapport de cotes ajusté de chaque groupe face aux autres demandeurs
          </caption>
          <thead>
            <tr>
              <th scope="col">Variable</th>
              <th scope="col">Groupe</th>
              <th scope="col" className="num">
                Personnes
              </th>
              <th scope="col" className="num">
                Taux du groupe
              </th>
              <th scope="col" className="num">
                Taux des autres
              </th>
              <th scope="col" className="num">
                Rapport de cotes ajusté
              </th>
              <th scope="col" className="num">
                Intervalle de confiance
              </th>
              <th scope="col" className="num">
                Strates utilisées
              </th>
              <th scope="col">Signalé</th>
            </tr>
          </thead>
          <tbody>
            {outcome.groups.map((g) => (
              <tr key={`${g.variable}-${g.group}`}>
                <td>{VARIABLE_LABELS[g.variable] ?? g.variable}</td>
                <th scope="row">{g.label}</th>
                <td className="num">{formatInteger(g.persons)}</td>
                <td className="num">{pct(g.rate)}</td>
                <td className="num">{pct(g.othersRate)}</td>
                <td className="num">{g.tested ? ratio(g.oddsRatio) : '—'}</td>
                <td className="num">
                  {g.tested && g.lower !== null ? `${ratio(g.lower)} – ${ratio(g.upper)}` : '—'}
                </td>
                <td className="num">{g.tested ? formatInteger(g.strata) : '—'}</td>
                <td>{g.flagged ? <strong>oui</strong> : g.tested ? 'non' : `non testé (${g.note})`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Method() {
  return (
    <section aria-labelledby="methode">
      <h2 id="methode">Méthode et limites</h2>
      <p>
        Pour chaque issue, les demandes sont réparties en strates de mêmes caractéristiques : décile du score
        de cotation, typologies demandées, éligibilité (ressources sous le plafond PLUS), première commune
        demandée. Dans chaque strate, on compare les chances du groupe à celles des autres ; le rapport de
        cotes de Mantel–Haenszel résume ces comparaisons (1 : pas d’écart ; 0,7 : des chances d’environ 30 %
        plus faibles). Un groupe est <strong>signalé</strong> quand tout son intervalle de confiance est sous
        1 — l’intervalle étant élargi pour tenir compte du nombre de comparaisons de tout l’audit (correction
        de Bonferroni : le risque qu’un groupe soit signalé par le seul hasard est d’au plus 5 %) — et que le
        rapport de cotes est sous 0,9.
      </p>
      <p>
        <strong>Ce qu’un signalement prouve</strong> : à score, typologie, éligibilité et commune demandée
        égaux, le groupe obtient l’issue moins souvent que les autres, et l’écart est trop grand pour être dû
        au hasard. C’est une alerte qui appelle un examen des procédures, comme le demande le Défenseur des
        droits.
      </p>
      <p>
        <strong>Ce qu’il ne prouve pas</strong> : une discrimination. C’est une association, ajustée sur ce
        que la plateforme connaît ; d’autres facteurs non observés peuvent l’expliquer : choix et refus des
        demandeurs, logements adaptés disponibles, pièces manquantes, situation réelle mal décrite par la
        demande. À l’inverse, l’absence de signalement ne prouve pas l’absence de discrimination (groupes trop
        petits, critère non mesuré).
      </p>
      <p>
        Aucune donnée ethnique ou raciale n’est collectée par la plateforme (décision du Conseil
        constitutionnel 2007-557 DC) : l’audit n’utilise que des critères licites. Méthode complète et
        validation sur des populations simulées : documentation <code>docs/audit.md</code> ; données brutes de
        l’audit : <a href="/api/docs">API</a> (<code>GET /territories/{'{code}'}/audit</code>).
      </p>
    </section>
  );
}
