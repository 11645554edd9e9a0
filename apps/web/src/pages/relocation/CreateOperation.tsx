import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { getJson, sendJson } from '../../api.ts';
import { formatInteger } from '../../lib/format.ts';
import { NoticeBox, useNotice } from '../letting/ui.tsx';
import {
  chosenResidences,
  emptyOperationForm,
  landlordsOfQpv,
  OPERATION_FIELDS,
  type OperationForm,
  type OperationProblems,
  operationBody,
  operationFormProblems,
  type RelocationStock,
  residencesOf,
} from './operation-form.ts';
import { frDay } from './shared.tsx';

const plural = (n: number, one: string, many: string) => `${formatInteger(n)} ${n > 1 ? many : one}`;

/**
 * The EPCI (analyst, admin) creates an urban-renewal operation: name, kind, QPV of the territory,
 * landlord, buildings of that QPV and landlord, calendar, relocation officers; checked in French, then
 * confirmed before the households living in the buildings are imported (POST /relocation/operations).
 */
export function CreateOperation({
  epci,
  csrf,
  onCreated,
  onCancel,
}: {
  epci: string;
  csrf: string;
  onCreated: (id: string, households: number) => void;
  onCancel: () => void;
}) {
  const ids = useId();
  const [stock, setStock] = useState<RelocationStock | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<OperationForm>(emptyOperationForm);
  const [problems, setProblems] = useState<OperationProblems>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');
  const notice = useNotice();
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    getJson<RelocationStock>(`/relocation/stock?epci=${epci}`)
      .then(setStock)
      .catch((e: Error) => setLoadError(e.message));
  }, [epci]);
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  const fieldId = (key: string) => `${ids}-${key}`;
  const error = (key: keyof OperationProblems) =>
    problems[key] && (
      <p className="field-error" id={`${fieldId(key)}-error`}>
        {problems[key]}
      </p>
    );
  const invalid = (key: keyof OperationProblems) => ({
    'aria-invalid': problems[key] ? true : undefined,
    'aria-describedby': problems[key] ? `${fieldId(key)}-error` : undefined,
  });

  if (loadError)
    return (
      <p className="error" role="alert">
        {loadError}
      </p>
    );

  const landlords = stock ? landlordsOfQpv(stock, form.qpv) : [];
  const residences = stock ? residencesOf(stock, form.qpv, form.landlordId) : [];
  const chosen = stock ? chosenResidences(form, stock) : [];
  const households = chosen.reduce((n, r) => n + r.households, 0);

  const check = (event: FormEvent) => {
    event.preventDefault();
    if (!stock) return;
    const found = operationFormProblems(form, stock);
    setProblems(found);
    const first = OPERATION_FIELDS.find((k) => found[k]);
    if (first) {
      const target =
        first === 'residenceIds'
          ? (document.querySelector<HTMLInputElement>(`[data-residences="${ids}"] input:not([disabled])`) ??
            document.getElementById(fieldId('landlordId')))
          : first === 'milestones'
            ? document.getElementById(fieldId('milestone-0-label'))
            : document.getElementById(fieldId(first));
      target?.focus();
      return;
    }
    setConfirming(true);
  };

  const create = async () => {
    if (!stock) return;
    setBusy(true);
    try {
      const created = await sendJson<{ id: string; households: number }>(
        'POST',
        '/relocation/operations',
        operationBody(form, stock, epci),
        csrf,
      );
      onCreated(created.id, created.households);
    } catch (e) {
      setConfirming(false);
      notice.failure(e);
    } finally {
      setBusy(false);
    }
  };

  const setMilestone = (i: number, key: 'label' | 'date', value: string) =>
    setForm({ ...form, milestones: form.milestones.map((m, j) => (j === i ? { ...m, [key]: value } : m)) });

  return (
    <>
      <p>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Retour aux opérations
        </button>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Nouvelle opération de relogement
      </h1>
      <p className="lead">
        Une opération de démolition ou de restructuration d’un quartier prioritaire : à sa création, chaque
        ménage occupant ses bâtiments reçoit un dossier de relogement, et sa demande de logement social est
        marquée « relogement ANRU » (une demande est enregistrée pour lui s’il n’en a pas).
      </p>
      <NoticeBox notice={notice.notice} noticeRef={notice.ref} testId="create-operation-notice" />
      {!stock ? (
        <p>Chargement…</p>
      ) : confirming ? (
        <section aria-labelledby={`${ids}-confirm`} className="card" data-testid="confirm-operation">
          <h2 id={`${ids}-confirm`} ref={confirmHeading} tabIndex={-1}>
            Confirmer la création et l’import des ménages
          </h2>
          <p>
            L’opération « {form.name.trim()} » (
            {form.kind === 'demolition' ? 'démolition' : 'restructuration'}) du quartier{' '}
            {stock.qpvs.find((q) => q.code === form.qpv)?.name} ({form.qpv}), bailleur{' '}
            {landlords.find((l) => l.id === form.landlordId)?.name}, concerne{' '}
            {plural(chosen.length, 'bâtiment', 'bâtiments')} : {chosen.map((r) => r.name).join(', ')}.
          </p>
          <p data-testid="confirm-households">
            <strong>{plural(households, 'ménage sera inscrit', 'ménages seront inscrits')}</strong> au
            relogement, chacun avec son dossier. L’inscription ne peut pas être annulée depuis cette page.
          </p>
          {form.milestones.some((m) => m.date) && (
            <ul>
              {form.milestones
                .filter((m) => m.date)
                .map((m) => (
                  <li key={`${m.date}-${m.label}`}>
                    {frDay(m.date)} — {m.label.trim()}
                  </li>
                ))}
            </ul>
          )}
          <p>
            Chargé·es de relogement :{' '}
            {form.officers.length
              ? stock.officers
                  .filter((o) => form.officers.includes(o.id))
                  .map((o) => o.displayName)
                  .join(', ')
              : 'aucun pour l’instant (à rattacher ensuite)'}
            .
          </p>
          <div className="commission-actions">
            <button type="button" className="button-primary" disabled={busy} onClick={() => void create()}>
              Confirmer : créer l’opération et inscrire {plural(households, 'ménage', 'ménages')}
            </button>
            <button
              type="button"
              className="button-secondary"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                requestAnimationFrame(() => document.getElementById(fieldId('name'))?.focus());
              }}
            >
              Revenir au formulaire
            </button>
          </div>
        </section>
      ) : (
        <form className="form card" onSubmit={check} noValidate data-testid="new-operation">
          <div className="field">
            <label htmlFor={fieldId('name')}>Nom de l’opération</label>
            <input
              id={fieldId('name')}
              value={form.name}
              maxLength={200}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              {...invalid('name')}
            />
            {error('name')}
          </div>
          <fieldset className="field">
            <legend>Nature de l’opération</legend>
            {(
              [
                ['demolition', 'Démolition'],
                ['restructuring', 'Restructuration lourde'],
              ] as const
            ).map(([value, label]) => (
              <div className="radio" key={value}>
                <input
                  id={fieldId(`kind-${value}`)}
                  type="radio"
                  name={fieldId('kind')}
                  checked={form.kind === value}
                  onChange={() => setForm({ ...form, kind: value })}
                />
                <label htmlFor={fieldId(`kind-${value}`)}>{label}</label>
              </div>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={fieldId('qpv')}>Quartier prioritaire (QPV)</label>
            <select
              id={fieldId('qpv')}
              value={form.qpv}
              onChange={(e) => {
                const qpv = e.target.value;
                const only = stock ? landlordsOfQpv(stock, qpv) : [];
                setForm({
                  ...form,
                  qpv,
                  landlordId: only.length === 1 ? only[0]!.id : '',
                  residenceIds: [],
                });
              }}
              {...invalid('qpv')}
            >
              <option value="">— choisir —</option>
              {stock.qpvs.map((q) => (
                <option key={q.code} value={q.code}>
                  {q.name} ({q.code}) — {plural(q.residences.length, 'bâtiment social', 'bâtiments sociaux')}
                </option>
              ))}
            </select>
            {error('qpv')}
          </div>
          <div className="field">
            <label htmlFor={fieldId('landlordId')}>Bailleur</label>
            <select
              id={fieldId('landlordId')}
              value={form.landlordId}
              disabled={!form.qpv}
              onChange={(e) => setForm({ ...form, landlordId: e.target.value, residenceIds: [] })}
              {...invalid('landlordId')}
            >
              <option value="">{form.qpv ? '— choisir —' : '— choisir d’abord le quartier —'}</option>
              {landlords.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
            {error('landlordId')}
          </div>
          <fieldset
            className="field"
            data-residences={ids}
            aria-describedby={problems.residenceIds ? `${fieldId('residenceIds')}-error` : undefined}
          >
            <legend>Bâtiments concernés</legend>
            {error('residenceIds')}
            {!form.landlordId ? (
              <p className="muted">Choisissez le quartier et le bailleur pour voir leurs bâtiments.</p>
            ) : (
              residences.map((r) => (
                <div className="radio" key={r.id}>
                  <input
                    id={fieldId(`residence-${r.id}`)}
                    type="checkbox"
                    disabled={r.operationName !== null}
                    checked={form.residenceIds.includes(r.id)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        residenceIds: e.target.checked
                          ? [...form.residenceIds, r.id]
                          : form.residenceIds.filter((x) => x !== r.id),
                      })
                    }
                  />
                  <label htmlFor={fieldId(`residence-${r.id}`)}>
                    {r.name} ({r.communeName}) — {plural(r.homes, 'logement', 'logements')},{' '}
                    {plural(r.households, 'ménage occupant', 'ménages occupants')}
                    {r.operationName !== null && ` — déjà concerné par « ${r.operationName} »`}
                  </label>
                </div>
              ))
            )}
            {form.landlordId && (
              <p className="muted" role="status" data-testid="households-to-import">
                {plural(households, 'ménage à reloger', 'ménages à reloger')} dans les bâtiments cochés.
              </p>
            )}
          </fieldset>
          <fieldset className="field">
            <legend>Calendrier (étapes datées ; lignes vides ignorées)</legend>
            {error('milestones')}
            {form.milestones.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, identified by position
              <div key={i} className="commission-member">
                <div className="field">
                  <label htmlFor={fieldId(`milestone-${i}-label`)}>Étape {i + 1} : libellé</label>
                  <input
                    id={fieldId(`milestone-${i}-label`)}
                    value={m.label}
                    maxLength={200}
                    onChange={(e) => setMilestone(i, 'label', e.target.value)}
                    {...(i === 0 ? invalid('milestones') : {})}
                  />
                </div>
                <div className="field">
                  <label htmlFor={fieldId(`milestone-${i}-date`)}>Étape {i + 1} : date</label>
                  <input
                    id={fieldId(`milestone-${i}-date`)}
                    type="date"
                    value={m.date}
                    onChange={(e) => setMilestone(i, 'date', e.target.value)}
                  />
                </div>
                <div className="commission-actions">
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={form.milestones.length <= 1}
                    onClick={() => {
                      setForm({ ...form, milestones: form.milestones.filter((_, j) => j !== i) });
                      setAnnounce(`Étape ${i + 1} retirée.`);
                      requestAnimationFrame(() => document.getElementById(fieldId('add-milestone'))?.focus());
                    }}
                  >
                    Retirer l’étape {i + 1}
                  </button>
                </div>
              </div>
            ))}
            <button
              id={fieldId('add-milestone')}
              type="button"
              className="button-secondary"
              disabled={form.milestones.length >= 30}
              onClick={() => {
                const n = form.milestones.length;
                setForm({ ...form, milestones: [...form.milestones, { label: '', date: '' }] });
                setAnnounce(`Étape ${n + 1} ajoutée.`);
                requestAnimationFrame(() =>
                  document.getElementById(fieldId(`milestone-${n}-label`))?.focus(),
                );
              }}
            >
              Ajouter une étape
            </button>
            <p className="sr-only" role="status">
              {announce}
            </p>
          </fieldset>
          <fieldset className="field">
            <legend>Chargé·es de relogement rattaché·es</legend>
            {stock.officers.length === 0 ? (
              <p className="muted">Aucun compte de chargé de relogement sur ce territoire.</p>
            ) : (
              stock.officers.map((o) => (
                <div className="radio" key={o.id}>
                  <input
                    id={fieldId(`officer-${o.id}`)}
                    type="checkbox"
                    checked={form.officers.includes(o.id)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        officers: e.target.checked
                          ? [...form.officers, o.id]
                          : form.officers.filter((x) => x !== o.id),
                      })
                    }
                  />
                  <label htmlFor={fieldId(`officer-${o.id}`)}>
                    {o.displayName} ({o.identifier})
                  </label>
                </div>
              ))
            )}
          </fieldset>
          <button type="submit" className="button-primary">
            Vérifier avant l’import des ménages
          </button>
        </form>
      )}
    </>
  );
}

/** Attaches one of the territory's relocation officers to an operation (EPCI, admin). */
export function AttachOfficer({
  epci,
  operationId,
  attached,
  csrf,
  onAttached,
}: {
  epci: string;
  operationId: string;
  attached: readonly string[];
  csrf: string;
  onAttached: () => void;
}) {
  const id = useId();
  const [officers, setOfficers] = useState<RelocationStock['officers'] | null>(null);
  const [chosen, setChosen] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  useEffect(() => {
    getJson<RelocationStock>(`/relocation/stock?epci=${epci}`)
      .then((s) => setOfficers(s.officers))
      .catch(() => setOfficers([]));
  }, [epci]);
  const open = (officers ?? []).filter((o) => !attached.includes(o.id));
  if (officers === null) return null;
  return (
    <form
      className="form"
      noValidate
      data-testid="attach-officer"
      onSubmit={async (e) => {
        e.preventDefault();
        const officer = open.find((o) => o.id === chosen);
        if (!officer) {
          setProblem('Chargé·e de relogement : choisissez un compte du territoire');
          document.getElementById(id)?.focus();
          return;
        }
        setProblem(null);
        setBusy(true);
        try {
          await sendJson(
            'POST',
            `/relocation/operations/${operationId}/officers`,
            { identifier: officer.identifier },
            csrf,
          );
          setChosen('');
          notice.success(`${officer.displayName} est rattaché·e à l’opération.`);
          onAttached();
        } catch (error) {
          notice.failure(error);
        } finally {
          setBusy(false);
        }
      }}
    >
      <NoticeBox notice={notice.notice} noticeRef={notice.ref} testId="attach-officer-notice" />
      {open.length === 0 ? (
        <p className="muted">Tous les chargés de relogement du territoire sont rattachés à l’opération.</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={id}>Chargé·e de relogement à rattacher</label>
            <select
              id={id}
              value={chosen}
              onChange={(e) => setChosen(e.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-error` : undefined}
            >
              <option value="">— choisir —</option>
              {open.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.displayName} ({o.identifier})
                </option>
              ))}
            </select>
            {problem && (
              <p className="field-error" id={`${id}-error`}>
                {problem}
              </p>
            )}
          </div>
          <button type="submit" className="button-secondary" disabled={busy}>
            Rattacher à l’opération
          </button>
        </>
      )}
    </form>
  );
}
