import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { DEMO_EPCI, getJson, sendJson } from '../../api.ts';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { NoticeBox, useNotice } from '../letting/ui.tsx';
import {
  frLongDate,
  moveEntry,
  SESSION_STATUS,
  type SessionForm,
  sessionFormProblems,
} from './commission-lib.ts';
import { SessionView } from './SessionView.tsx';
import type { CommissionSession } from './types.ts';

const readSessionParam = () => new URLSearchParams(window.location.search).get('seance');

/** The `?seance=` of the address, followed through client-side navigation. */
function useSessionParam(): string | null {
  const read = readSessionParam;
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(readSessionParam());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return value;
}

/**
 * The allocation commission (CALEOL): the sessions of the EPCI (of the agent's landlord), a new
 * session, and one session's agenda (`/commission?seance=<id>`). Landlord agents and the EPCI's
 * analysts run sessions; administrators read them.
 */
export function CommissionPage() {
  const { session } = useSession();
  const sessionId = useSessionParam();
  const role = session?.user.role;
  const allowed = role === 'landlord-agent' || role === 'epci-analyst' || role === 'admin';

  if (session === undefined) return <p>Chargement…</p>;
  if (!session || !allowed) {
    return (
      <>
        <h1>Commission d’attribution</h1>
        <p>
          Cette page est celle des agents de bailleur, des analystes de l’EPCI et des administrateurs.{' '}
          {session === null && <Link href="/connexion">Se connecter</Link>}
        </p>
      </>
    );
  }
  if (sessionId) return <SessionView key={sessionId} id={sessionId} />;
  return <SessionsPage />;
}

function SessionsPage() {
  const { session } = useSession();
  const user = session!.user;
  const epci = user.epciCode ?? DEMO_EPCI;
  const manager = user.role !== 'admin';
  const [sessions, setSessions] = useState<CommissionSession[] | null>(null);
  const [landlords, setLandlords] = useState<{ id: string; name: string }[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const notify = useNotice();

  const reload = useCallback(async () => {
    try {
      const [s, l] = await Promise.all([
        getJson<{ sessions: CommissionSession[] }>(`/commission/sessions?epci=${epci}`),
        getJson<{ landlords: { id: string; name: string }[] }>(`/commission/landlords?epci=${epci}`),
      ]);
      setSessions(s.sessions);
      setLandlords(l.landlords);
      setLoadError(null);
    } catch (e) {
      setLoadError((e as Error).message);
    }
  }, [epci]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const landlordName = (id: string) => landlords.find((l) => l.id === id)?.name ?? id;

  return (
    <>
      <h1>Commission d’attribution (CALEOL)</h1>
      <p className="lead">
        Les séances de la commission d’attribution des logements : l’ordre du jour est construit à partir d’un
        cycle de location clos, le moteur d’attribution propose trois candidats par logement en tenant les
        objectifs de mixité de la CIA, et la commission décide, motifs à l’appui.
      </p>
      <NoticeBox notice={notify.notice} noticeRef={notify.ref} testId="commission-notice" />
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Séances</h2>
        {sessions === null ? (
          <p>Chargement…</p>
        ) : sessions.length === 0 ? (
          <p>Aucune séance programmée pour l’instant.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="sessions-table">
              <caption>Séances de la commission, de la plus récente à la plus ancienne</caption>
              <thead>
                <tr>
                  <th scope="col">Séance</th>
                  <th scope="col">Bailleur</th>
                  <th scope="col" className="num">
                    Membres
                  </th>
                  <th scope="col" className="num">
                    Quorum
                  </th>
                  <th scope="col">État</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link href={`/commission?seance=${s.id}`}>Séance du {frLongDate(s.heldOn)}</Link>
                    </th>
                    <td>{landlordName(s.landlordId)}</td>
                    <td className="num">{s.members.length}</td>
                    <td className="num">{s.quorum}</td>
                    <td>{SESSION_STATUS[s.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {manager && landlords.length > 0 && (
        <NewSessionForm epci={epci} landlords={landlords} csrf={session!.csrfToken} notify={notify} />
      )}
    </>
  );
}

type Problems = ReturnType<typeof sessionFormProblems>;

function NewSessionForm({
  epci,
  landlords,
  csrf,
  notify,
}: {
  epci: string;
  landlords: { id: string; name: string }[];
  csrf: string;
  notify: ReturnType<typeof useNotice>;
}) {
  const ids = useId();
  const [form, setForm] = useState<SessionForm>(() => ({
    landlordId: landlords.length === 1 ? landlords[0]!.id : '',
    heldOn: new Date().toISOString().slice(0, 10),
    members: [
      { name: '', role: 'président de la commission' },
      { name: '', role: 'représentant du maire de la commune' },
      { name: '', role: 'représentant de l’EPCI' },
    ],
    quorum: '2',
  }));
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = sessionFormProblems(form);
    setProblems(found);
    const first = (['landlordId', 'heldOn', 'members', 'quorum'] as const).find((k) => found[k]);
    if (first) {
      document.getElementById(first === 'members' ? `${ids}-member-0-name` : `${ids}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await sendJson<CommissionSession>(
        'POST',
        '/commission/sessions',
        {
          epci,
          landlordId: form.landlordId,
          heldOn: form.heldOn,
          members: form.members
            .filter((m) => m.name.trim() || m.role.trim())
            .map((m) => ({ name: m.name.trim(), role: m.role.trim() })),
          quorum: Number(form.quorum),
        },
        csrf,
      );
      navigate(`/commission?seance=${created.id}`);
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };

  const setMember = (i: number, key: 'name' | 'role', value: string) =>
    setForm({ ...form, members: form.members.map((m, j) => (j === i ? { ...m, [key]: value } : m)) });
  const error = (key: keyof Problems) =>
    problems[key] && (
      <p className="field-error" id={`${ids}-${key}-error`}>
        {problems[key]}
      </p>
    );
  const invalid = (key: keyof Problems) => ({
    'aria-invalid': problems[key] ? true : undefined,
    'aria-describedby': problems[key] ? `${ids}-${key}-error` : undefined,
  });

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Programmer une séance</h2>
      <form className="form card" onSubmit={submit} noValidate data-testid="new-session">
        <div className="field">
          <label htmlFor={`${ids}-landlordId`}>Bailleur</label>
          <select
            id={`${ids}-landlordId`}
            value={form.landlordId}
            onChange={(e) => setForm({ ...form, landlordId: e.target.value })}
            {...invalid('landlordId')}
          >
            {landlords.length > 1 && <option value="">— choisir —</option>}
            {landlords.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          {error('landlordId')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-heldOn`}>Date de la séance</label>
          <input
            id={`${ids}-heldOn`}
            type="date"
            value={form.heldOn}
            onChange={(e) => setForm({ ...form, heldOn: e.target.value })}
            {...invalid('heldOn')}
          />
          {error('heldOn')}
        </div>
        <fieldset className="field">
          <legend>Membres convoqués (nom et qualité)</legend>
          {error('members')}
          {form.members.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, identified by position
            <div key={i} className="commission-member">
              <div className="field">
                <label htmlFor={`${ids}-member-${i}-name`}>Nom du membre {i + 1}</label>
                <input
                  id={`${ids}-member-${i}-name`}
                  value={m.name}
                  maxLength={200}
                  onChange={(e) => setMember(i, 'name', e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`${ids}-member-${i}-role`}>Qualité du membre {i + 1}</label>
                <input
                  id={`${ids}-member-${i}-role`}
                  value={m.role}
                  maxLength={200}
                  onChange={(e) => setMember(i, 'role', e.target.value)}
                />
              </div>
              <div className="commission-actions">
                <button
                  type="button"
                  className="button-secondary"
                  disabled={i === 0}
                  onClick={() => {
                    setForm({ ...form, members: moveEntry(form.members, i, -1) });
                    setAnnounce(`Membre ${i + 1} monté en position ${i}.`);
                  }}
                >
                  Monter le membre {i + 1}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  disabled={form.members.length <= 1}
                  onClick={() => {
                    setForm({ ...form, members: form.members.filter((_, j) => j !== i) });
                    setAnnounce(`Membre ${i + 1} retiré.`);
                    requestAnimationFrame(() => document.getElementById(`${ids}-add`)?.focus());
                  }}
                >
                  Retirer le membre {i + 1}
                </button>
              </div>
            </div>
          ))}
          <button
            id={`${ids}-add`}
            type="button"
            className="button-secondary"
            onClick={() => {
              const n = form.members.length;
              setForm({ ...form, members: [...form.members, { name: '', role: '' }] });
              setAnnounce(`Membre ${n + 1} ajouté.`);
              requestAnimationFrame(() => document.getElementById(`${ids}-member-${n}-name`)?.focus());
            }}
          >
            Ajouter un membre
          </button>
          <p className="sr-only" role="status">
            {announce}
          </p>
        </fieldset>
        <div className="field">
          <label htmlFor={`${ids}-quorum`}>Quorum (nombre de membres présents requis)</label>
          <input
            id={`${ids}-quorum`}
            type="number"
            min={1}
            max={50}
            step={1}
            value={form.quorum}
            onChange={(e) => setForm({ ...form, quorum: e.target.value })}
            {...invalid('quorum')}
          />
          {error('quorum')}
        </div>
        <button className="button-primary" type="submit" disabled={busy}>
          Programmer la séance
        </button>
      </form>
    </section>
  );
}
