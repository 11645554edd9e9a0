import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { DEMO_EPCI, getJson, sendJson } from '../../api.ts';
import { formatEuros, formatInteger } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { NoticeBox, useNotice } from '../letting/ui.tsx';
import { AttachOfficer, CreateOperation } from './CreateOperation.tsx';
import { AnswerForm } from './MyRelocationPage.tsx';
import {
  frDay,
  homeText,
  IndicatorsView,
  MatchingHomesTable,
  ProposalsTable,
  StepsList,
  todayIso,
} from './shared.tsx';
import type {
  Constraints,
  Indicators,
  MatchingHome,
  Operation,
  OperationSummary,
  Reference,
  RelocationFile,
  Wishes,
} from './types.ts';

const ROLES = ['relocation-officer', 'epci-analyst', 'landlord-agent', 'admin'];

/**
 * Urban-renewal relocation for the relocation officer (and the EPCI, the landlord, admins, who read):
 * operations, an operation's calendar, households' files and trajectory indicators against the first
 * national programme, then a file with every step and the forms to record the next one.
 */
export function RelocationPage() {
  const { session } = useSession();
  const [operations, setOperations] = useState<OperationSummary[] | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [fileId, setFileId] = useState<string | null>(null);
  const [reference, setReference] = useState<Reference | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [epciIndicators, setEpciIndicators] = useState<Indicators | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ id: string; households: number } | null>(null);
  const allowed = session ? ROLES.includes(session.user.role) : false;
  // The EPCI's analysts (and admins, on the demo EPCI) also see the indicators of every operation.
  const epci =
    session?.user.role === 'epci-analyst'
      ? session.user.epciCode
      : session?.user.role === 'admin'
        ? DEMO_EPCI
        : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads the list once an operation is created
  useEffect(() => {
    if (!allowed) return;
    getJson<{ operations: OperationSummary[] }>('/relocation/operations')
      .then((r) => setOperations(r.operations))
      .catch((e: Error) => setLoadError(e.message));
    getJson<Reference>('/relocation/reference')
      .then(setReference)
      .catch(() => {});
    if (epci)
      getJson<{ indicators: Indicators }>(`/relocation/indicators?epci=${epci}`)
        .then((r) => setEpciIndicators(r.indicators))
        .catch(() => {});
  }, [allowed, epci, created]);

  if (session === undefined) return <p>Chargement…</p>;
  if (!allowed || !session) {
    return (
      <>
        <h1>Relogement</h1>
        <p>
          {session === null ? (
            <>
              <Link href="/connexion">Connectez-vous</Link> pour suivre les opérations de relogement.
            </>
          ) : (
            <>
              Cette page est celle des chargés de relogement, de l’EPCI et des bailleurs. Un ménage relogé
              suit son dossier sur la page <Link href="/mon-relogement">Mon relogement</Link>.
            </>
          )}
        </p>
      </>
    );
  }
  if (fileId && reference)
    return (
      <FileView id={fileId} reference={reference} csrf={session.csrfToken} onBack={() => setFileId(null)} />
    );
  if (creating && epci)
    return (
      <CreateOperation
        epci={epci}
        csrf={session.csrfToken}
        onCancel={() => setCreating(false)}
        onCreated={(id, households) => {
          setCreated({ id, households });
          setCreating(false);
          setOperationId(id);
        }}
      />
    );
  if (operationId && reference)
    return (
      <OperationView
        id={operationId}
        reference={reference}
        csrf={session.csrfToken}
        epci={epci}
        createdHouseholds={created?.id === operationId ? created.households : null}
        onOpen={setFileId}
        onBack={() => setOperationId(null)}
      />
    );
  return (
    <>
      <h1>Relogement</h1>
      <p className="lead">
        Les opérations de renouvellement urbain (démolition, restructuration) dont vous suivez le relogement :
        chaque ménage a son dossier, du diagnostic social au nouveau bail.
      </p>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {epci && (
        <p>
          <button type="button" className="button-primary" onClick={() => setCreating(true)}>
            Créer une opération
          </button>
        </p>
      )}
      {operations === null ? (
        <p>Chargement…</p>
      ) : operations.length === 0 ? (
        <p>Aucune opération de relogement ne vous est rattachée.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="operations-table">
            <caption>Opérations de relogement</caption>
            <thead>
              <tr>
                <th scope="col">Opération</th>
                <th scope="col">Quartier</th>
                <th scope="col">Bailleur</th>
                <th scope="col">Ménages relogés</th>
              </tr>
            </thead>
            <tbody>
              {operations.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <button type="button" className="button-link-dark" onClick={() => setOperationId(o.id)}>
                      {o.name}
                    </button>
                  </th>
                  <td>
                    {o.qpvName} ({o.qpv})
                  </td>
                  <td>{o.landlordName}</td>
                  <td>
                    {formatInteger(o.rehoused)} sur {formatInteger(o.households)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {epciIndicators && reference && (
        <>
          <h2>Indicateurs de trajectoire de l’EPCI</h2>
          <IndicatorsView
            indicators={epciIndicators}
            refusalLabels={Object.fromEntries(reference.refusalReasons.map((r) => [r.code, r.label]))}
            caption="Toutes les opérations de l’EPCI, comparées aux résultats nationaux du premier programme"
          />
        </>
      )}
    </>
  );
}

function useFocusOnMount() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

function OperationView({
  id,
  reference,
  csrf,
  epci,
  createdHouseholds,
  onOpen,
  onBack,
}: {
  id: string;
  reference: Reference;
  csrf: string;
  /** The EPCI of the analyst (or the admin's demo EPCI), who may attach officers. */
  epci: string | null;
  /** Households imported, when the operation was just created. */
  createdHouseholds: number | null;
  onOpen: (fileId: string) => void;
  onBack: () => void;
}) {
  const [op, setOp] = useState<Operation | null>(null);
  const [indicators, setIndicators] = useState<Indicators | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const heading = useFocusOnMount();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` reloads the operation after a change
  useEffect(() => {
    Promise.all([
      getJson<Operation>(`/relocation/operations/${id}`),
      getJson<{ indicators: Indicators }>(`/relocation/operations/${id}/indicators`),
    ])
      .then(([o, i]) => {
        setOp(o);
        setIndicators(i.indicators);
      })
      .catch((e: Error) => setError(e.message));
  }, [id, version]);
  const labels = Object.fromEntries(reference.refusalReasons.map((r) => [r.code, r.label]));
  const today = todayIso();
  return (
    <>
      <p>
        <button type="button" className="button-secondary" onClick={onBack}>
          Retour aux opérations
        </button>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {op ? op.name : 'Opération de relogement'}
      </h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {createdHouseholds !== null && (
        <p className="letting-success" role="status" data-testid="operation-created">
          Opération créée : {formatInteger(createdHouseholds)} ménage{createdHouseholds > 1 ? 's' : ''}{' '}
          inscrit{createdHouseholds > 1 ? 's' : ''} au relogement, chacun avec son dossier.
        </p>
      )}
      {!op || !indicators ? (
        <p>Chargement…</p>
      ) : (
        <>
          <p className="lead">
            {op.kindLabel} dans le quartier prioritaire {op.qpvName} ({op.qpv}), bailleur {op.landlordName}.
            Bâtiments : {op.residences.map((r) => `${r.name} (${r.commune})`).join(', ')}.
            {op.officers.length > 0 &&
              ` Chargé·es de relogement : ${op.officers.map((o) => o.displayName).join(', ')}.`}
          </p>
          <p>
            <a href={`/api/v1/relocation/operations/${op.id}/files.csv`} download>
              Télécharger les dossiers (CSV, un ménage par ligne, sans notes)
            </a>{' '}
            ·{' '}
            <a href={`/api/v1/relocation/operations/${op.id}/review.pdf`} download>
              Télécharger le bilan du relogement (PDF)
            </a>
          </p>
          <h2>Calendrier</h2>
          <ol className="relocation-calendar" data-testid="relocation-calendar">
            {op.milestones.map((m) => (
              <li key={`${m.date}-${m.label}`}>
                <strong>{frDay(m.date)}</strong> — {m.label}
                {m.date > today && <span className="muted"> (prévue)</span>}
              </li>
            ))}
          </ol>
          {op.rights.administer && epci === op.epci && (
            <>
              <h2>Chargé·es de relogement</h2>
              <AttachOfficer
                epci={op.epci}
                operationId={op.id}
                attached={op.officers.map((o) => o.id)}
                csrf={csrf}
                onAttached={() => setVersion((v) => v + 1)}
              />
            </>
          )}
          <h2>Indicateurs de trajectoire</h2>
          <IndicatorsView
            indicators={indicators}
            refusalLabels={labels}
            caption="Trajectoires résidentielles des ménages relogés, comparées aux résultats nationaux du premier programme"
          />
          <h2>Dossiers des ménages</h2>
          <div className="table-wrap">
            <table data-testid="files-table">
              <caption>Un dossier par ménage à reloger</caption>
              <thead>
                <tr>
                  <th scope="col">Ménage</th>
                  <th scope="col">Logement quitté</th>
                  <th scope="col">Stade</th>
                  <th scope="col">Diagnostic</th>
                  <th scope="col">Propositions</th>
                  <th scope="col">Nouveau bail</th>
                </tr>
              </thead>
              <tbody>
                {op.files.map((f) => (
                  <tr key={f.id}>
                    <th scope="row">
                      <button
                        type="button"
                        className="button-link-dark"
                        onClick={() => onOpen(f.id)}
                        aria-label={`Ouvrir le dossier du ménage ${f.householdId} (${f.stageLabel})`}
                      >
                        {f.householdId}
                      </button>
                      <div className="muted">
                        {f.persons} personne{f.persons > 1 ? 's' : ''}, demande {f.sneNumber}
                      </div>
                    </th>
                    <td>
                      {f.originHomeId}, {f.residenceName}
                    </td>
                    <td data-testid="file-stage">{f.stageLabel}</td>
                    <td>{f.diagnosisOn ? frDay(f.diagnosisOn) : '—'}</td>
                    <td>{f.proposals}</td>
                    <td>{f.leaseSignedOn ? frDay(f.leaseSignedOn) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

const list = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const optionalNumber = (s: string) => (s.trim() === '' ? null : Number(s.replace(',', '.')));

function FileView({
  id,
  reference,
  csrf,
  onBack,
}: {
  id: string;
  reference: Reference;
  csrf: string;
  onBack: () => void;
}) {
  const [file, setFile] = useState<RelocationFile | null>(null);
  const [homes, setHomes] = useState<MatchingHome[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [proposedOn, setProposedOn] = useState(todayIso());
  const { notice, ref, success, failure } = useNotice();
  const heading = useFocusOnMount();
  const uid = useId();

  const reload = useCallback(async () => {
    const [f, m] = await Promise.all([
      getJson<RelocationFile>(`/relocation/files/${id}`),
      getJson<{ homes: MatchingHome[] }>(`/relocation/files/${id}/matching-homes`),
    ]);
    setFile(f);
    setHomes(m.homes);
  }, [id]);
  useEffect(() => {
    reload().catch((e: Error) => setError(e.message));
  }, [reload]);

  const act = async (run: () => Promise<unknown>, text: string) => {
    setBusy(true);
    try {
      await run();
      await reload();
      success(text);
    } catch (e) {
      failure(e);
    } finally {
      setBusy(false);
    }
  };
  const send = (method: 'POST' | 'PUT', path: string, body: object, text: string) =>
    void act(() => sendJson(method, `/relocation/files/${id}${path}`, body, csrf), text);

  return (
    <>
      <p>
        <button type="button" className="button-secondary" onClick={onBack}>
          Retour à l’opération
        </button>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Dossier de relogement {file ? `du ménage ${file.householdId}` : ''}
      </h1>
      <NoticeBox notice={notice} noticeRef={ref} testId="relocation-notice" />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!file ? (
        <p>Chargement…</p>
      ) : (
        <>
          <p className="lead" data-testid="relocation-stage">
            {file.stageLabel} — {file.persons} personne{file.persons > 1 ? 's' : ''}, demande {file.sneNumber}
            . Logement quitté : {file.origin.homeId}, {file.origin.residenceName},{' '}
            {Math.round(file.origin.surfaceM2)} m²,{' '}
            {formatEuros(file.origin.rentEur + file.origin.chargesEur)} par mois charges comprises
            {file.origin.housingBenefitEur !== null &&
              `, aide au logement ${formatEuros(file.origin.housingBenefitEur)}`}
            .
          </p>
          <h2>Propositions</h2>
          <ProposalsTable
            proposals={file.proposals}
            caption="Propositions faites au ménage (trois au plus)"
            actions={(p) =>
              p.response === 'pending' ? (
                <AnswerForm
                  proposal={p}
                  reasons={reference.refusalReasons}
                  busy={busy}
                  onAnswer={(body, text) => send('POST', `/proposals/${p.rank}/answer`, body, text)}
                />
              ) : p.response === 'accepted' && !file.lease && p.decisionId ? (
                <span className="muted">Bail à signer sur la décision de la commission</span>
              ) : p.response === 'accepted' && !file.lease ? (
                <LeaseForm
                  rank={p.rank}
                  busy={busy}
                  onSign={(body) =>
                    send('POST', '/lease', body, 'Nouveau bail enregistré : le ménage est relogé.')
                  }
                />
              ) : null
            }
          />
          {file.lease && (
            <p data-testid="relocation-lease">
              Nouveau bail signé le {frDay(file.lease.signedOn)} : {file.lease.residenceName} (
              {file.lease.communeName}
              ), {Math.round(file.lease.surfaceM2)} m²,{' '}
              {formatEuros(file.lease.rentEur + file.lease.chargesEur)} par mois charges comprises
              {file.lease.qpv ? `, en QPV (${file.lease.qpv})` : ', hors QPV'}.
            </p>
          )}
          {!file.lease &&
            file.proposals.filter((p) => p.response === 'refused').length === file.proposals.length &&
            file.proposals.length < 3 && (
              <>
                <h2>Proposer un logement</h2>
                <div className="field">
                  <label htmlFor={`${uid}-proposed`}>Date de la proposition</label>
                  <input
                    id={`${uid}-proposed`}
                    type="date"
                    value={proposedOn}
                    max={todayIso()}
                    onChange={(e) => setProposedOn(e.target.value)}
                  />
                </div>
                {homes === null ? (
                  <p>Chargement…</p>
                ) : (
                  <MatchingHomesTable
                    homes={homes}
                    caption="Logements publiés et réservés à l’opération, ceux qui répondent aux souhaits d’abord"
                    action={(h) => (
                      <button
                        type="button"
                        className="button-secondary"
                        disabled={busy}
                        aria-label={`Proposer : ${homeText(h)}`}
                        onClick={() =>
                          send(
                            'POST',
                            '/proposals',
                            { homeId: h.homeId, advertId: h.advertId, proposedOn },
                            `Proposition enregistrée : ${homeText(h)}.`,
                          )
                        }
                      >
                        Proposer
                      </button>
                    )}
                  />
                )}
              </>
            )}
          <h2>Entretien de diagnostic social</h2>
          <DiagnosisForm
            file={file}
            busy={busy}
            onSave={(b) => send('PUT', '/diagnosis', b, 'Entretien enregistré.')}
          />
          <h2>Souhaits du ménage</h2>
          <WishesForm
            wishes={file.wishes}
            busy={busy}
            onSave={(b) => send('PUT', '/wishes', b, 'Souhaits enregistrés.')}
          />
          <h2>Contraintes</h2>
          <ConstraintsForm
            constraints={file.constraints}
            busy={busy}
            onSave={(b) => send('PUT', '/constraints', b, 'Contraintes enregistrées.')}
          />
          <h2>Note de suivi</h2>
          <NoteForm busy={busy} onSave={(b) => send('POST', '/notes', b, 'Note ajoutée au dossier.')} />
          <h2>Toutes les étapes</h2>
          <StepsList steps={file.steps} labels={reference.steps} />
        </>
      )}
    </>
  );
}

function DateField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        required
        value={value}
        max={todayIso()}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function TextField({
  label,
  hint,
  value,
  onChange,
  inputMode,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  inputMode?: 'numeric' | 'decimal';
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        value={value}
        inputMode={inputMode}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="radio">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A file's form: the date of what it records first (not in the future), its submit button last. */
function DatedForm({
  dateLabel,
  on,
  onDateChange,
  busy,
  submitLabel,
  onSubmit,
  children,
}: {
  dateLabel: string;
  on: string;
  onDateChange: (v: string) => void;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void;
  children: React.ReactNode;
}) {
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <DateField label={dateLabel} value={on} onChange={onDateChange} />
      {children}
      <button type="submit" className="button-primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

function NotesField({
  label,
  value,
  onChange,
  required,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        required={required}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function DiagnosisForm({
  file,
  busy,
  onSave,
}: {
  file: RelocationFile;
  busy: boolean;
  onSave: (b: object) => void;
}) {
  const [on, setOn] = useState(file.diagnosisOn ?? todayIso());
  const [notes, setNotes] = useState(file.diagnosisNotes ?? '');
  const [benefit, setBenefit] = useState(file.origin.housingBenefitEur?.toString() ?? '');
  return (
    <DatedForm
      dateLabel="Date de l’entretien"
      on={on}
      onDateChange={setOn}
      busy={busy}
      submitLabel="Enregistrer l’entretien"
      onSubmit={() => onSave({ on, notes: notes.trim() || null, housingBenefitEur: optionalNumber(benefit) })}
    >
      <NotesField label="Notes de l’entretien (jamais exportées)" value={notes} onChange={setNotes} />
      <TextField
        label="Aide au logement perçue, € par mois"
        hint="Laisser vide si elle n’est pas connue."
        inputMode="decimal"
        value={benefit}
        onChange={setBenefit}
      />
    </DatedForm>
  );
}

function WishesForm({
  wishes,
  busy,
  onSave,
}: {
  wishes: Wishes;
  busy: boolean;
  onSave: (b: object) => void;
}) {
  const [on, setOn] = useState(todayIso());
  const [communes, setCommunes] = useState(wishes.communes.join(', '));
  const [typologies, setTypologies] = useState<number[]>(wishes.typologies);
  const [maxFloor, setMaxFloor] = useState(wishes.maxFloorWithoutLift?.toString() ?? '');
  const [age, setAge] = useState<Wishes['age']>(wishes.age);
  const [budget, setBudget] = useState(wishes.maxRentWithChargesEur?.toString() ?? '');
  const ageId = useId();
  return (
    <DatedForm
      dateLabel="Date des souhaits"
      on={on}
      onDateChange={setOn}
      busy={busy}
      submitLabel="Enregistrer les souhaits"
      onSubmit={() =>
        onSave({
          on,
          communes: list(communes),
          typologies,
          maxFloorWithoutLift: optionalNumber(maxFloor),
          age,
          maxRentWithChargesEur: optionalNumber(budget),
        })
      }
    >
      <TextField
        label="Communes souhaitées"
        hint="Codes INSEE séparés par des virgules (38185 Grenoble, 38151 Échirolles…) ; vide : toute commune."
        value={communes}
        onChange={setCommunes}
      />
      <fieldset>
        <legend>Typologies souhaitées (aucune cochée : toute typologie)</legend>
        {[1, 2, 3, 4, 5, 6].map((t) => (
          <Check
            key={t}
            label={`T${t}`}
            checked={typologies.includes(t)}
            onChange={(v) => setTypologies(v ? [...typologies, t].sort() : typologies.filter((x) => x !== t))}
          />
        ))}
      </fieldset>
      <TextField
        label="Étage le plus haut accepté sans ascenseur"
        hint="0 pour le rez-de-chaussée ; vide : tout étage."
        inputMode="numeric"
        value={maxFloor}
        onChange={setMaxFloor}
      />
      <div className="field">
        <label htmlFor={ageId}>Neuf ou ancien</label>
        <select id={ageId} value={age} onChange={(e) => setAge(e.target.value as Wishes['age'])}>
          <option value="either">indifférent</option>
          <option value="new-or-recent">neuf ou récent (moins de 5 ans)</option>
          <option value="older">plus ancien</option>
        </select>
      </div>
      <TextField
        label="Budget : loyer et charges au plus, € par mois"
        hint="Vide : non précisé."
        inputMode="decimal"
        value={budget}
        onChange={setBudget}
      />
    </DatedForm>
  );
}

function ConstraintsForm({
  constraints,
  busy,
  onSave,
}: {
  constraints: Constraints;
  busy: boolean;
  onSave: (b: object) => void;
}) {
  const [on, setOn] = useState(todayIso());
  const [work, setWork] = useState(constraints.workCommunes.join(', '));
  const [school, setSchool] = useState(constraints.schoolCommunes.join(', '));
  const [health, setHealth] = useState(constraints.healthCare);
  const [wheelchair, setWheelchair] = useState(constraints.wheelchairAccess);
  const [mobility, setMobility] = useState(constraints.reducedMobility);
  return (
    <DatedForm
      dateLabel="Date des contraintes"
      on={on}
      onDateChange={setOn}
      busy={busy}
      submitLabel="Enregistrer les contraintes"
      onSubmit={() =>
        onSave({
          on,
          workCommunes: list(work),
          schoolCommunes: list(school),
          healthCare: health,
          wheelchairAccess: wheelchair,
          reducedMobility: mobility,
        })
      }
    >
      <TextField
        label="Communes de travail"
        hint="Codes INSEE séparés par des virgules."
        value={work}
        onChange={setWork}
      />
      <TextField
        label="Communes de scolarité des enfants"
        hint="Les propositions restent dans ces communes."
        value={school}
        onChange={setSchool}
      />
      <Check
        label="Soins à proximité nécessaires (la nature n’est jamais enregistrée)"
        checked={health}
        onChange={setHealth}
      />
      <Check label="Fauteuil roulant : logement accessible" checked={wheelchair} onChange={setWheelchair} />
      <Check
        label="Mobilité réduite : rez-de-chaussée ou ascenseur"
        checked={mobility}
        onChange={setMobility}
      />
    </DatedForm>
  );
}

function NoteForm({ busy, onSave }: { busy: boolean; onSave: (b: object) => void }) {
  const [on, setOn] = useState(todayIso());
  const [text, setText] = useState('');
  return (
    <DatedForm
      dateLabel="Date de la note"
      on={on}
      onDateChange={setOn}
      busy={busy}
      submitLabel="Ajouter la note"
      onSubmit={() => {
        onSave({ on, text });
        setText('');
      }}
    >
      <NotesField label="Note de suivi (jamais exportée)" value={text} onChange={setText} required />
    </DatedForm>
  );
}

function LeaseForm({ rank, busy, onSign }: { rank: number; busy: boolean; onSign: (b: object) => void }) {
  const [on, setOn] = useState(todayIso());
  const [benefit, setBenefit] = useState('');
  return (
    <DatedForm
      dateLabel="Date de signature du bail"
      on={on}
      onDateChange={setOn}
      busy={busy}
      submitLabel="Enregistrer le bail"
      onSubmit={() => onSign({ rank, signedOn: on, housingBenefitEur: optionalNumber(benefit) })}
    >
      <TextField
        label="Aide au logement dans le nouveau logement, € par mois"
        hint="Vide : non connue."
        inputMode="decimal"
        value={benefit}
        onChange={setBenefit}
      />
    </DatedForm>
  );
}
