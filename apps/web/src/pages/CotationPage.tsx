import type { CotationGrid } from '@mosaique/domain/cotation';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, DEMO_EPCI, getJson, sendJson } from '../api.ts';
import { criterionRule } from '../lib/cotation-text.ts';
import { formatInteger } from '../lib/format.ts';
import { useSession } from '../session.tsx';

interface StoredGrid {
  grid: CotationGrid;
  status: 'draft' | 'active' | 'retired';
  createdAt: string;
  activatedAt: string | null;
}

interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  message: string | null;
}

interface Simulation {
  date: string;
  demands: number;
  moved: number;
  maxRise: number;
  maxFall: number;
  byTypology: {
    typology: number | 'all';
    demands: number;
    entering: number;
    meanAbsoluteShift: number;
    active: { demands: number; priorityShare: number; firstQuartileShare: number | null };
    draft: { demands: number; priorityShare: number; firstQuartileShare: number | null };
  }[];
}

const STATUS_LABELS = { draft: 'brouillon', active: 'en vigueur', retired: 'retirée' } as const;
const GRIDS = `/territories/${DEMO_EPCI}/cotation/grids`;
const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1).replace('.', ',')} %`);

/** The cotation grid: public for everyone; versions, editing, simulation and activation for analysts. */
export function CotationPage() {
  const { session } = useSession();
  const [grids, setGrids] = useState<StoredGrid[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isAnalyst =
    session?.user.role === 'admin' ||
    (session?.user.role === 'epci-analyst' && session.user.epciCode === DEMO_EPCI);

  const reload = useCallback(() => {
    getJson<{ grids: StoredGrid[] }>(GRIDS)
      .then((r) => setGrids(r.grids))
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    void session;
    reload();
  }, [reload, session]);

  const active = grids?.find((g) => g.status === 'active') ?? null;
  return (
    <>
      <h1>Cotation de la demande</h1>
      <p className="lead">
        La cotation classe les demandes selon des critères publics et pondérés (article L441-2-8 du code de la
        construction et de l’habitation). C’est une aide à la décision : la commission d’attribution reste
        souveraine.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {active ? <GridTable stored={active} /> : <p>{grids ? 'Aucune grille en vigueur.' : 'Chargement…'}</p>}
      {isAnalyst && grids && session && (
        <AnalystTools grids={grids} csrfToken={session.csrfToken} onChange={reload} />
      )}
    </>
  );
}

function GridTable({ stored }: { stored: StoredGrid }) {
  const { grid } = stored;
  return (
    <section aria-labelledby="grid-title">
      <h2 id="grid-title">
        Grille en vigueur : {grid.label} (version {grid.version})
      </h2>
      <p>
        En vigueur depuis le {new Date(grid.validFrom).toLocaleDateString('fr-FR')}. Source : {grid.source}.
      </p>
      <div className="table-wrap">
        <table data-testid="grid-table">
          <caption>
            {grid.criteria.length} critères ; dans un groupe exclusif, seul le critère le mieux noté compte.
          </caption>
          <thead>
            <tr>
              <th scope="col">Critère</th>
              <th scope="col">Points</th>
              <th scope="col">Groupe exclusif</th>
              <th scope="col">Priorité légale</th>
            </tr>
          </thead>
          <tbody>
            {grid.criteria.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  {c.label}
                  {c.description && <div className="muted">{c.description}</div>}
                </th>
                <td>{criterionRule(c)}</td>
                <td>{c.group ? (grid.groups[c.group] ?? c.group) : '—'}</td>
                <td>{c.priority ? 'oui (L441-1)' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AnalystTools({
  grids,
  csrfToken,
  onChange,
}: {
  grids: StoredGrid[];
  csrfToken: string;
  onChange: () => void;
}) {
  const active = grids.find((g) => g.status === 'active');
  const [text, setText] = useState(() => JSON.stringify(active?.grid ?? {}, null, 2));
  const [issues, setIssues] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [simulation, setSimulation] = useState<{ version: number; result: Simulation } | null>(null);
  const [job, setJob] = useState<Job | null>(null);

  const saveDraft = async (event: FormEvent) => {
    event.preventDefault();
    setIssues([]);
    setMessage(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setIssues([`JSON invalide : ${(e as Error).message}`]);
      return;
    }
    try {
      const r = await sendJson<{ version: number }>('POST', GRIDS, parsed, csrfToken);
      setMessage(`Brouillon enregistré : version ${r.version}.`);
      onChange();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setIssues(e.details.length ? e.details : [e.message]);
    }
  };

  const simulate = async (g: CotationGrid) => {
    setMessage(`Simulation de la version ${g.version}…`);
    const result = await sendJson<Simulation>(
      'POST',
      `${GRIDS}/${g.id}/versions/${g.version}/simulate`,
      { topN: 1000 },
      csrfToken,
    );
    setSimulation({ version: g.version, result });
    setMessage(null);
  };

  const activate = async (g: CotationGrid) => {
    if (
      !window.confirm(
        `Activer la version ${g.version} ? Toutes les demandes seront notées à nouveau ; les notes actuelles restent conservées avec leur version.`,
      )
    )
      return;
    const { jobId } = await sendJson<{ jobId: string }>(
      'POST',
      `${GRIDS}/${g.id}/versions/${g.version}/activate`,
      undefined,
      csrfToken,
    );
    for (;;) {
      const current = await getJson<Job>(`/jobs/${jobId}`);
      setJob(current);
      if (current.status === 'done' || current.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 300));
    }
    onChange();
  };

  return (
    <section aria-labelledby="analyst-title">
      <h2 id="analyst-title">Versions et modifications (analystes de l’EPCI)</h2>
      <div className="table-wrap">
        <table data-testid="versions-table">
          <caption>
            Toutes les versions de la grille ; les notes calculées avec une version retirée restent
            consultables.
          </caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">État</th>
              <th scope="col">Créée le</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {grids.map((g) => (
              <tr key={`${g.grid.id}-${g.grid.version}`}>
                <th scope="row">
                  {g.grid.label} — v{g.grid.version}
                </th>
                <td>{STATUS_LABELS[g.status]}</td>
                <td>{new Date(g.createdAt).toLocaleString('fr-FR')}</td>
                <td>
                  {g.status === 'draft' && (
                    <>
                      <button
                        type="button"
                        className="button-secondary"
                        onClick={() => void simulate(g.grid)}
                      >
                        Simuler la version {g.grid.version}
                      </button>{' '}
                      <button
                        type="button"
                        className="button-secondary"
                        onClick={() => void activate(g.grid)}
                      >
                        Activer la version {g.grid.version}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {job && (
        <div className="card" aria-live="polite">
          <label htmlFor="job-progress">Nouvelle notation des demandes</label>{' '}
          <progress id="job-progress" max={job.total || 1} value={job.done} />{' '}
          {job.status === 'done'
            ? `terminé : ${job.message}`
            : job.status === 'failed'
              ? `échec : ${job.message}`
              : `${formatInteger(job.done)} / ${formatInteger(job.total)}`}
        </div>
      )}
      {message && <p aria-live="polite">{message}</p>}
      {simulation && <SimulationTable version={simulation.version} result={simulation.result} />}
      <form className="card" onSubmit={saveDraft}>
        <h3>Nouvelle version</h3>
        <label htmlFor="grid-json">Grille (JSON, voir docs/cotation.md pour le format)</label>
        <textarea
          id="grid-json"
          className="code-editor"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={16}
          spellCheck={false}
        />
        {issues.length > 0 && (
          <div className="error" role="alert">
            <p>La grille n’est pas valide :</p>
            <ul>
              {issues.map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          </div>
        )}
        <button className="button-primary" type="submit">
          Enregistrer comme brouillon
        </button>
      </form>
    </section>
  );
}

function SimulationTable({ version, result }: { version: number; result: Simulation }) {
  return (
    <div className="table-wrap">
      <table data-testid="simulation-table">
        <caption>
          Simulation de la version {version} contre la grille en vigueur, le{' '}
          {new Date(result.date).toLocaleDateString('fr-FR')} : {formatInteger(result.moved)} demandes sur{' '}
          {formatInteger(result.demands)} changent de rang (montée maximale {formatInteger(result.maxRise)},
          descente maximale {formatInteger(result.maxFall)}). Parts parmi les 1 000 premières.
        </caption>
        <thead>
          <tr>
            <th scope="col">Classement</th>
            <th scope="col" className="num">
              Demandes
            </th>
            <th scope="col" className="num">
              Prioritaires (en vigueur → simulée)
            </th>
            <th scope="col" className="num">
              Premier quartile (en vigueur → simulée)
            </th>
            <th scope="col" className="num">
              Nouvelles en tête
            </th>
          </tr>
        </thead>
        <tbody>
          {result.byTypology.map((t) => (
            <tr key={String(t.typology)}>
              <th scope="row">{t.typology === 'all' ? 'Toutes les demandes' : `T${t.typology}`}</th>
              <td className="num">{formatInteger(t.demands)}</td>
              <td className="num">
                {percent(t.active.priorityShare)} → {percent(t.draft.priorityShare)}
              </td>
              <td className="num">
                {percent(t.active.firstQuartileShare)} → {percent(t.draft.firstQuartileShare)}
              </td>
              <td className="num">{formatInteger(t.entering)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
