import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { getJson, sendJson } from '../../api.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { NoticeBox, useNotice } from '../letting/ui.tsx';
import { AgendaItemView } from './AgendaItemView.tsx';
import { frGap, frLongDate, frNumber, SESSION_STATUS } from './commission-lib.ts';
import type { CycleRef, JobState, Proposal, ReasonList, SessionDetail } from './types.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One session: members, quorum, the agenda built by the engine from a closed cycle, decisions, minutes. */
export function SessionView({ id }: { id: string }) {
  const { session: auth } = useSession();
  const user = auth!.user;
  const csrf = auth!.csrfToken;
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [reasons, setReasons] = useState<ReasonList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const notify = useNotice();
  const titleRef = useRef<HTMLHeadingElement>(null);

  const reload = useCallback(async () => {
    try {
      setDetail(await getJson<SessionDetail>(`/commission/sessions/${id}`));
      setLoadError(null);
    } catch (e) {
      setLoadError((e as Error).message);
    }
  }, [id]);
  useEffect(() => {
    void reload();
    getJson<ReasonList>('/commission/reasons')
      .then(setReasons)
      .catch(() => {});
  }, [reload]);

  if (loadError && !detail) {
    return (
      <>
        <h1>Séance de commission</h1>
        <p className="error" role="alert">
          {loadError}
        </p>
        <p>
          <Link href="/commission">Toutes les séances</Link>
        </p>
      </>
    );
  }
  if (!detail || !reasons) return <p>Chargement…</p>;
  const { session, agenda } = detail;
  const manager =
    (user.role === 'landlord-agent' && user.landlordId === session.landlordId) ||
    (user.role === 'epci-analyst' && user.epciCode === session.epci);
  const open = manager && session.status !== 'closed';
  const proposal = agenda.find((i) => i.proposal)?.proposal ?? null;

  return (
    <>
      <p>
        <Link href="/commission">← Toutes les séances</Link>
      </p>
      <h1 ref={titleRef} tabIndex={-1}>
        Séance du {frLongDate(session.heldOn)} — {session.landlordName ?? session.landlordId}
      </h1>
      <NoticeBox notice={notify.notice} noticeRef={notify.ref} testId="commission-notice" />
      <section aria-labelledby="session-facts">
        <h2 id="session-facts">La séance</h2>
        <ul>
          <li>
            Territoire : {session.epciName ?? session.epci} ; bailleur :{' '}
            {session.landlordName ?? session.landlordId}.
          </li>
          <li>État : {SESSION_STATUS[session.status]}.</li>
          <li>
            Quorum : {session.quorum} membre{session.quorum > 1 ? 's' : ''} sur {session.members.length}{' '}
            convoqué{session.members.length > 1 ? 's' : ''}.
          </li>
        </ul>
        <table data-testid="members-table">
          <caption>Membres convoqués</caption>
          <thead>
            <tr>
              <th scope="col">Membre</th>
              <th scope="col">Qualité</th>
            </tr>
          </thead>
          <tbody>
            {session.members.map((m) => (
              <tr key={`${m.name}-${m.role}`}>
                <th scope="row">{m.name}</th>
                <td>{m.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <a
            href={`/api/v1/commission/sessions/${session.id}/minutes.pdf`}
            download
            data-testid="minutes-link"
          >
            Télécharger le procès-verbal de la séance (PDF)
          </a>
        </p>
        {open && <SessionStatusForm detail={detail} csrf={csrf} notify={notify} onChange={reload} />}
      </section>
      {open && (
        <BuildAgenda
          sessionId={session.id}
          epci={session.epci}
          landlordId={session.landlordId}
          csrf={csrf}
          notify={notify}
          onDone={reload}
        />
      )}
      {proposal && <EngineFigures proposal={proposal} />}
      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">
          Ordre du jour ({agenda.length} logement{agenda.length > 1 ? 's' : ''})
        </h2>
        {agenda.length === 0 ? (
          <p>
            L’ordre du jour est vide.{' '}
            {open && 'Construisez-le à partir d’un cycle de location clos : le moteur propose les candidats.'}
          </p>
        ) : (
          agenda.map((item) => (
            <AgendaItemView
              key={item.id}
              item={item}
              reasons={reasons}
              manager={open}
              csrf={csrf}
              notify={notify}
              onChange={reload}
            />
          ))
        )}
      </section>
    </>
  );
}

type Notify = ReturnType<typeof useNotice>;

/** Marks the session held or closed, and its observations for the minutes. */
function SessionStatusForm({
  detail,
  csrf,
  notify,
  onChange,
}: {
  detail: SessionDetail;
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const ids = useId();
  const [notes, setNotes] = useState(detail.session.minutesNotes ?? '');
  const [busy, setBusy] = useState(false);
  const save = async (status?: 'held' | 'closed') => {
    if (status === 'closed' && !window.confirm('Clore la séance ? Plus rien ne pourra y être décidé.'))
      return;
    setBusy(true);
    try {
      await sendJson(
        'PATCH',
        `/commission/sessions/${detail.session.id}`,
        { minutesNotes: notes, ...(status ? { status } : {}) },
        csrf,
      );
      await onChange();
      notify.success(
        status === 'closed'
          ? 'Séance close.'
          : status === 'held'
            ? 'Séance marquée comme tenue.'
            : 'Observations enregistrées.',
      );
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="field">
        <label htmlFor={`${ids}-notes`}>Observations pour le procès-verbal</label>
        <textarea
          id={`${ids}-notes`}
          rows={3}
          maxLength={20_000}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
      </div>
      <div className="commission-actions">
        <button type="submit" className="button-secondary" disabled={busy}>
          Enregistrer les observations
        </button>
        {detail.session.status === 'planned' && (
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            onClick={() => void save('held')}
          >
            Marquer la séance comme tenue
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          disabled={busy}
          onClick={() => void save('closed')}
        >
          Clore la séance
        </button>
      </div>
    </form>
  );
}

/** Runs the engine on a closed cycle as a job and follows its progress (GET /jobs/:id). */
function BuildAgenda({
  sessionId,
  epci,
  landlordId,
  csrf,
  notify,
  onDone,
}: {
  sessionId: string;
  epci: string;
  landlordId: string;
  csrf: string;
  notify: Notify;
  onDone: () => Promise<void>;
}) {
  const ids = useId();
  const [cycles, setCycles] = useState<CycleRef[] | null>(null);
  const [cycleId, setCycleId] = useState('');
  const [job, setJob] = useState<JobState | null>(null);
  const [running, setRunning] = useState(false);
  useEffect(() => {
    getJson<{ cycles: CycleRef[] }>(`/letting-cycles?epci=${epci}`)
      .then(({ cycles: all }) => {
        const closed = all.filter(
          (c) => c.status === 'closed' && (c.landlordId === null || c.landlordId === landlordId),
        );
        setCycles(closed);
        setCycleId((current) => current || closed[0]?.id || '');
      })
      .catch(() => setCycles([]));
  }, [epci, landlordId]);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    if (!cycleId) return;
    setRunning(true);
    setJob({
      id: '',
      kind: 'commission.allocate',
      status: 'queued',
      done: 0,
      total: 3,
      message: 'lancement du calcul',
    });
    try {
      const started = await sendJson<{ job: JobState }>(
        'POST',
        `/commission/sessions/${sessionId}/proposal`,
        { cycleId },
        csrf,
      );
      let state: JobState = {
        ...started.job,
        kind: 'commission.allocate',
        message: 'calcul en file d’attente',
      };
      setJob(state);
      while (state.status === 'queued' || state.status === 'running') {
        await sleep(400);
        state = await getJson<JobState>(`/jobs/${started.job.id}`);
        setJob(state);
      }
      if (state.status === 'failed') throw new Error(state.message ?? 'le calcul de la proposition a échoué');
      await onDone();
      notify.success(`Ordre du jour construit : ${state.message ?? 'proposition enregistrée'}.`);
    } catch (e) {
      notify.failure(e);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Construire l’ordre du jour</h2>
      <p>
        Le moteur d’attribution examine les candidats éligibles de chaque annonce close du cycle, avec les
        baux signés depuis le 1er janvier, et propose jusqu’à trois candidats classés par logement. Les
        logements déjà décidés gardent leurs décisions.
      </p>
      {cycles === null ? (
        <p>Chargement des cycles…</p>
      ) : cycles.length === 0 ? (
        <p>Aucun cycle de location clos pour ce bailleur : clôturez un cycle dans la gestion des annonces.</p>
      ) : (
        <form className="form" onSubmit={run}>
          <div className="field">
            <label htmlFor={`${ids}-cycle`}>Cycle de location clos</label>
            <select id={`${ids}-cycle`} value={cycleId} onChange={(e) => setCycleId(e.target.value)}>
              {cycles.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button-primary" disabled={running}>
            Calculer la proposition du moteur
          </button>
        </form>
      )}
      <div role="status" className="commission-progress" data-testid="engine-progress">
        {job && (
          <>
            <label htmlFor={`${ids}-progress`}>Avancement du calcul</label>{' '}
            <progress id={`${ids}-progress`} max={job.total || 3} value={job.done} />{' '}
            <span>
              {job.status === 'done'
                ? 'Terminé'
                : job.status === 'failed'
                  ? 'Échec'
                  : `Étape ${Math.min(job.done + 1, job.total || 3)} sur ${job.total || 3}`}{' '}
              : {job.message ?? ''}
            </span>
          </>
        )}
      </div>
    </section>
  );
}

const STATUS_TEXT: Record<string, string> = {
  optimal: 'optimale (écart nul)',
  withinTolerance: 'dans la tolérance',
  timeLimit: 'arrêtée par la limite de temps',
  stalled: 'sans progrès possible (écart certifié)',
};

/** The engine's figures for the batch: objective, bound, gap, price of mix and every CIA target row. */
function EngineFigures({ proposal }: { proposal: Proposal }) {
  return (
    <section aria-labelledby="engine-title" data-testid="engine-figures">
      <h2 id="engine-title">Proposition du moteur : les chiffres</h2>
      <dl className="commission-figures">
        <div>
          <dt>Objectif atteint</dt>
          <dd>{frNumber(proposal.objective)}</dd>
        </div>
        <div>
          <dt>Borne supérieure</dt>
          <dd>{frNumber(proposal.upperBound)}</dd>
        </div>
        <div>
          <dt>Écart relatif à la borne</dt>
          <dd>{frGap(proposal.gap)}</dd>
        </div>
        <div>
          <dt>Solution</dt>
          <dd>{STATUS_TEXT[proposal.status] ?? proposal.status}</dd>
        </div>
        {proposal.priceOfMix !== undefined && (
          <div>
            <dt>Prix de la mixité</dt>
            <dd>{frNumber(proposal.priceOfMix)} points de score</dd>
          </div>
        )}
      </dl>
      <p className="hint">
        L’objectif est la somme des scores pondérés par le rang de choix des candidats retenus, moins les
        pénalités des objectifs de la CIA non tenus. La borne supérieure est la meilleure valeur possible
        (relaxation) : aucun choix ne peut faire mieux. Le prix de la mixité est ce que les objectifs de la
        CIA coûtent en points de score par rapport à la même proposition sans eux.
      </p>
      <div className="table-wrap">
        <table data-testid="constraints-table">
          <caption>Objectifs de la CIA : baux signés depuis le 1er janvier et proposition</caption>
          <thead>
            <tr>
              <th scope="col">Objectif</th>
              <th scope="col" className="num">
                Cible
              </th>
              <th scope="col" className="num">
                Requis (ménages)
              </th>
              <th scope="col" className="num">
                Atteint
              </th>
              <th scope="col" className="num">
                Marge
              </th>
              <th scope="col" className="num">
                Ménages manquants
              </th>
            </tr>
          </thead>
          <tbody>
            {proposal.constraints.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.label}</th>
                <td className="num">{c.target === undefined ? '—' : `${frNumber(100 * c.target, 0)} %`}</td>
                <td className="num">{c.required === undefined ? '—' : frNumber(c.required, 2)}</td>
                <td className="num">{c.achieved === undefined ? '—' : frNumber(c.achieved, 0)}</td>
                <td className="num">{frNumber(c.slack, 2)}</td>
                <td className="num">
                  {c.missingHouseholds === undefined
                    ? '—'
                    : c.missingHouseholds === 0
                      ? 'aucun : tenu'
                      : frNumber(c.missingHouseholds, 0)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
