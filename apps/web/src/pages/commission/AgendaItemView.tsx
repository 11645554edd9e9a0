import { currentOffer, deviatesFromProposal } from '@mosaique/domain/commission';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, sendJson } from '../../api.ts';
import { formatEuros } from '../../lib/format.ts';
import type { useNotice } from '../letting/ui.tsx';
import {
  CONFLICT_MESSAGE,
  frLongDate,
  frNumber,
  ITEM_STATUS,
  moveEntry,
  positionText,
} from './commission-lib.ts';
import type { AgendaItem, DecisionKind, PublicDecision, ReasonList } from './types.ts';

type Notify = ReturnType<typeof useNotice>;

interface Props {
  item: AgendaItem;
  reasons: ReasonList;
  /** The user may edit and decide (a member of an open session). */
  manager: boolean;
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}

/**
 * Reports a failed write: on 409 (another member changed or decided the home first) the page reloads
 * the current state and says so in French; otherwise the server's message and details.
 */
async function failed(error: unknown, notify: Notify, reload: () => Promise<void>) {
  if (error instanceof ApiError && error.status === 409) {
    await reload();
    notify.failure(new ApiError(409, CONFLICT_MESSAGE, [`Réponse du serveur : ${error.message}.`]));
  } else {
    notify.failure(error);
  }
}

const homeTitle = (item: AgendaItem) =>
  item.home
    ? `T${item.home.typology} — ${item.home.residenceName}, ${item.home.communeName}${item.home.qpv ? ' (QPV)' : ''}`
    : `Logement ${item.homeId}`;

/** One home of the agenda: the engine's proposal and explanation, the candidates, the decisions. */
export function AgendaItemView({ item, reasons, manager, csrf, notify, onChange }: Props) {
  const ids = useId();
  const title = homeTitle(item);
  const details = new Map((item.proposal?.details ?? []).map((d) => [d.sneNumber, d]));
  return (
    <section
      aria-labelledby={`${ids}-title`}
      className="card commission-item"
      data-testid="agenda-item"
      data-home={item.homeId}
    >
      <h3 id={`${ids}-title`}>
        {title} <span className="muted">({item.homeId})</span>
      </h3>
      <p>
        {item.home &&
          `${frNumber(item.home.surfaceM2, 0)} m², ${formatEuros(item.home.rentEur + item.home.chargesEur)} par mois charges comprises, réservataire : ${item.home.reservationHolderName}. `}
        {item.available} candidat{item.available > 1 ? 's' : ''} éligible{item.available > 1 ? 's' : ''} sur
        la liste. État : <strong data-testid="item-status">{ITEM_STATUS[item.status]}</strong>.
      </p>
      {item.proposal ? (
        <>
          <h4>Proposition du moteur</h4>
          {item.proposal.candidates.length === 0 ? (
            <p>Aucun candidat éligible disponible pour ce logement.</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="proposal-table">
                <caption>Candidats proposés par le moteur pour ce logement, dans l’ordre</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Rang
                    </th>
                    <th scope="col">Demandeur (numéro unique)</th>
                    <th scope="col" className="num">
                      Score de cotation
                    </th>
                    <th scope="col" className="num">
                      Choix du demandeur
                    </th>
                    <th scope="col">Au regard de la CIA</th>
                  </tr>
                </thead>
                <tbody>
                  {item.proposal.candidates.map((s, i) => {
                    const d = details.get(s);
                    const flags = d
                      ? [
                          d.firstQuartile && 'premier quartile',
                          d.priorityPublic && 'public prioritaire',
                          d.urbanRenewalRelocation && 'relogé (renouvellement urbain)',
                        ].filter(Boolean)
                      : [];
                    return (
                      <tr key={s}>
                        <td className="num">{i + 1}</td>
                        <th scope="row">{s}</th>
                        <td className="num">{d ? frNumber(d.score) : '—'}</td>
                        <td className="num">{d ? `n° ${d.rank}` : '—'}</td>
                        <td>{flags.length > 0 ? flags.join(', ') : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {item.proposal.explanation && (
            <p data-testid="explanation">
              <strong>Explication : </strong>
              {item.proposal.explanation}
            </p>
          )}
        </>
      ) : (
        <p>Logement inscrit sans proposition du moteur.</p>
      )}
      {item.deviationJustification && (
        <p data-testid="deviation">
          <strong>Écart avec la proposition, justifié : </strong>« {item.deviationJustification} » — candidats
          examinés : {item.candidates.join(', ')}.
        </p>
      )}
      {item.daloDesignated && <p>Ménage DALO désigné par le préfet.</p>}
      {manager && item.status === 'open' && (
        <>
          <CandidatesEditor
            key={`c-${item.version}`}
            item={item}
            title={title}
            csrf={csrf}
            notify={notify}
            onChange={onChange}
          />
          <DecisionForm
            key={`d-${item.version}`}
            item={item}
            title={title}
            reasons={reasons}
            csrf={csrf}
            notify={notify}
            onChange={onChange}
          />
        </>
      )}
      {item.decisions.length > 0 && (
        <DecisionsTable item={item} manager={manager} csrf={csrf} notify={notify} onChange={onChange} />
      )}
    </section>
  );
}

/** Reorders, removes or adds candidates; any deviation from the proposal needs a written justification. */
function CandidatesEditor({
  item,
  title,
  csrf,
  notify,
  onChange,
}: {
  item: AgendaItem;
  title: string;
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const ids = useId();
  const [list, setList] = useState(item.candidates);
  const [added, setAdded] = useState('');
  const [justification, setJustification] = useState(item.deviationJustification ?? '');
  const [dalo, setDalo] = useState(item.daloDesignated);
  const [announce, setAnnounce] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const deviates = deviatesFromProposal(item.proposal?.candidates ?? null, list);
  const changed =
    list.length !== item.candidates.length ||
    list.some((s, i) => s !== item.candidates[i]) ||
    dalo !== item.daloDesignated;

  const move = (i: number, delta: number, focusId: string) => {
    const next = moveEntry(list, i, delta);
    setList(next);
    setAnnounce(positionText(`Le candidat ${list[i]}`, i + delta + 1, next.length));
    requestAnimationFrame(() => {
      const target = document.getElementById(focusId) as HTMLButtonElement | null;
      if (target && !target.disabled) target.focus();
      else document.getElementById(`${ids}-${list[i]}-${delta < 0 ? 'down' : 'up'}`)?.focus();
    });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (deviates && justification.trim().length < 10) {
      setProblem(
        'tout écart avec la proposition du moteur doit être justifié par écrit (au moins 10 caractères)',
      );
      document.getElementById(`${ids}-justification`)?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await sendJson(
        'PATCH',
        `/commission/agenda-items/${item.id}`,
        {
          version: item.version,
          candidates: list,
          deviationJustification: deviates ? justification.trim() : null,
          daloDesignated: dalo,
        },
        csrf,
      );
      await onChange();
      notify.success(`Liste des candidats enregistrée pour ${title}.`);
    } catch (e) {
      await failed(e, notify, onChange);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="commission-edit">
      <summary>Modifier l’ordre ou les candidats examinés</summary>
      <form
        className="form"
        onSubmit={save}
        noValidate
        aria-label={`Candidats examinés : ${title} (${item.homeId})`}
      >
        <ol className="commission-candidates">
          {list.map((s, i) => (
            <li key={s}>
              <span>{s}</span>
              <span className="commission-actions">
                <button
                  id={`${ids}-${s}-up`}
                  type="button"
                  className="button-secondary"
                  disabled={i === 0}
                  onClick={() => move(i, -1, `${ids}-${s}-up`)}
                >
                  Monter {s}
                </button>
                <button
                  id={`${ids}-${s}-down`}
                  type="button"
                  className="button-secondary"
                  disabled={i === list.length - 1}
                  onClick={() => move(i, 1, `${ids}-${s}-down`)}
                >
                  Descendre {s}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => {
                    setList(list.filter((x) => x !== s));
                    setAnnounce(`Le candidat ${s} est retiré de la liste.`);
                    requestAnimationFrame(() => document.getElementById(`${ids}-add`)?.focus());
                  }}
                >
                  Retirer {s}
                </button>
              </span>
            </li>
          ))}
        </ol>
        <p className="sr-only" role="status">
          {announce}
        </p>
        <div className="field">
          <label htmlFor={`${ids}-add`}>Ajouter un candidat (numéro unique de sa demande)</label>
          <span className="commission-actions">
            <input
              id={`${ids}-add`}
              value={added}
              maxLength={40}
              onChange={(e) => setAdded(e.target.value)}
            />
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                const sne = added.trim();
                if (!sne || list.includes(sne)) return;
                setList([...list, sne]);
                setAdded('');
                setAnnounce(`Le candidat ${sne} est ajouté en position ${list.length + 1}.`);
              }}
            >
              Ajouter
            </button>
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-justification`}>
            Justification de l’écart avec la proposition
            {deviates ? ' (obligatoire)' : ' (si la liste diffère)'}
          </label>
          <textarea
            id={`${ids}-justification`}
            rows={3}
            maxLength={4000}
            value={justification}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${ids}-justification-error` : undefined}
            onChange={(e) => setJustification(e.target.value)}
          />
          {problem && (
            <p className="field-error" id={`${ids}-justification-error`}>
              {problem}
            </p>
          )}
        </div>
        <div className="commission-check">
          <input
            id={`${ids}-dalo`}
            type="checkbox"
            checked={dalo}
            onChange={(e) => setDalo(e.target.checked)}
          />
          <label htmlFor={`${ids}-dalo`}>
            Ménage DALO désigné par le préfet (moins de 3 candidats permis)
          </label>
        </div>
        <button type="submit" className="button-secondary" disabled={busy || !changed}>
          Enregistrer la liste des candidats
        </button>
      </form>
    </details>
  );
}

interface Row {
  kind: DecisionKind | '';
  rank: string;
  reasonCodes: string[];
  reasonText: string;
  missingDocument: string;
}

/** Problems of one candidate's decision before sending, in French (the server checks the whole home). */
function rowProblem(row: Row): string | null {
  if (!row.kind) return 'choisissez une décision';
  if ((row.kind === 'non-allocation' || row.kind === 'rejection') && row.reasonCodes.length === 0)
    return 'une non-attribution ou un rejet doit être motivé : cochez au moins un motif';
  if (row.kind === 'ranked-allocation' && !/^[1-9]\d*$/.test(row.rank)) return 'indiquez le rang (1, 2, 3…)';
  if (row.kind === 'suspensive-condition' && !row.missingDocument.trim()) return 'nommez la pièce manquante';
  return null;
}

/** One decision per candidate examined, with the mandatory reasons of a non-allocation or a rejection. */
function DecisionForm({
  item,
  title,
  reasons,
  csrf,
  notify,
  onChange,
}: {
  item: AgendaItem;
  title: string;
  reasons: ReasonList;
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const ids = useId();
  const [rows, setRows] = useState<Record<string, Row>>(() =>
    Object.fromEntries(
      item.candidates.map((s) => [
        s,
        { kind: '', rank: '', reasonCodes: [], reasonText: '', missingDocument: '' },
      ]),
    ),
  );
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const row = (s: string): Row =>
    rows[s] ?? { kind: '', rank: '', reasonCodes: [], reasonText: '', missingDocument: '' };
  const set = (s: string, change: Partial<Row>) => setRows({ ...rows, [s]: { ...row(s), ...change } });
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const s of item.candidates) {
      const p = rowProblem(row(s));
      if (p) found[s] = p;
    }
    setProblems(found);
    const first = item.candidates.find((s) => found[s]);
    if (first) {
      document.getElementById(`${ids}-${safe(first)}-kind`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await sendJson(
        'POST',
        `/commission/agenda-items/${item.id}/decisions`,
        {
          version: item.version,
          decisions: item.candidates.map((s) => {
            const r = row(s);
            const kind = r.kind as DecisionKind;
            return {
              sneNumber: s,
              kind,
              rank: kind === 'ranked-allocation' ? Number(r.rank) : null,
              reasonCodes: kind === 'non-allocation' || kind === 'rejection' ? r.reasonCodes : [],
              reasonText: r.reasonText.trim() || null,
              missingDocument: kind === 'suspensive-condition' ? r.missingDocument.trim() : null,
            };
          }),
        },
        csrf,
      );
      await onChange();
      notify.success(`Décisions enregistrées pour ${title}.`);
    } catch (e) {
      await failed(e, notify, onChange);
    } finally {
      setBusy(false);
    }
  };

  if (item.candidates.length === 0) return <p>Aucun candidat à examiner : ajoutez-en pour décider.</p>;
  return (
    <form
      className="commission-decisions"
      onSubmit={submit}
      noValidate
      aria-label={`Décisions de la commission : ${title} (${item.homeId})`}
    >
      <h4 id={`${ids}-title`}>Décisions de la commission</h4>
      <p className="hint">
        Une décision par candidat examiné (article R441-3). Une non-attribution ou un rejet pour
        irrecevabilité doit être motivé ; seuls les motifs d’irrecevabilité justifient un rejet.
      </p>
      {item.candidates.map((s, i) => {
        const r = row(s);
        const key = `${ids}-${safe(s)}`;
        const motivated = r.kind === 'non-allocation' || r.kind === 'rejection';
        const codes = reasons.reasons.filter((c) => r.kind !== 'rejection' || c.rejection);
        return (
          <fieldset key={s} className="commission-candidate" data-testid="decision-row" data-sne={s}>
            <legend>
              {i + 1}. Demandeur {s}
            </legend>
            <div className="field">
              <label htmlFor={`${key}-kind`}>Décision pour {s}</label>
              <select
                id={`${key}-kind`}
                value={r.kind}
                aria-invalid={problems[s] ? true : undefined}
                aria-describedby={problems[s] ? `${key}-error` : undefined}
                onChange={(e) =>
                  set(s, {
                    kind: e.target.value as DecisionKind | '',
                    reasonCodes:
                      e.target.value === 'rejection'
                        ? r.reasonCodes.filter((c) => reasons.reasons.find((x) => x.code === c)?.rejection)
                        : r.reasonCodes,
                  })
                }
              >
                <option value="">— choisir —</option>
                {reasons.decisions.map((d) => (
                  <option key={d.kind} value={d.kind}>
                    {d.label}
                  </option>
                ))}
              </select>
              {problems[s] && (
                <p className="field-error" id={`${key}-error`}>
                  {problems[s]}
                </p>
              )}
            </div>
            {r.kind === 'ranked-allocation' && (
              <div className="field">
                <label htmlFor={`${key}-rank`}>Rang de {s}</label>
                <input
                  id={`${key}-rank`}
                  type="number"
                  min={1}
                  step={1}
                  value={r.rank}
                  onChange={(e) => set(s, { rank: e.target.value })}
                />
              </div>
            )}
            {r.kind === 'suspensive-condition' && (
              <div className="field">
                <label htmlFor={`${key}-document`}>Pièce manquante pour {s}</label>
                <input
                  id={`${key}-document`}
                  maxLength={300}
                  value={r.missingDocument}
                  onChange={(e) => set(s, { missingDocument: e.target.value })}
                />
              </div>
            )}
            {motivated && (
              <fieldset className="commission-reasons">
                <legend>
                  Motifs {r.kind === 'rejection' ? 'd’irrecevabilité ' : ''}pour {s} (au moins un)
                </legend>
                {codes.map((c) => (
                  <div key={c.code} className="commission-check">
                    <input
                      id={`${key}-${c.code}`}
                      type="checkbox"
                      checked={r.reasonCodes.includes(c.code)}
                      onChange={(e) =>
                        set(s, {
                          reasonCodes: e.target.checked
                            ? [...r.reasonCodes, c.code]
                            : r.reasonCodes.filter((x) => x !== c.code),
                        })
                      }
                    />
                    <label htmlFor={`${key}-${c.code}`}>{c.label}</label>
                  </div>
                ))}
              </fieldset>
            )}
            <div className="field">
              <label htmlFor={`${key}-text`}>Précisions pour {s} (facultatif)</label>
              <textarea
                id={`${key}-text`}
                rows={2}
                maxLength={2000}
                value={r.reasonText}
                onChange={(e) => set(s, { reasonText: e.target.value })}
              />
            </div>
          </fieldset>
        );
      })}
      <button type="submit" className="button-primary" disabled={busy}>
        Enregistrer les décisions pour ce logement
      </button>
    </form>
  );
}

const RESPONSE_TEXT = { accepted: 'acceptée', refused: 'refusée' } as const;

/** The decisions taken, the applicant's answer to the offer and the lease signature. */
function DecisionsTable({
  item,
  manager,
  csrf,
  notify,
  onChange,
}: {
  item: AgendaItem;
  manager: boolean;
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const offer = currentOffer(item.decisions);
  const holder = offer ? (item.decisions.find((d) => d.id === offer.id) ?? null) : null;
  return (
    <>
      <h4>Décisions</h4>
      <div className="table-wrap">
        <table data-testid="decisions-table">
          <caption>
            Décision prise pour chaque candidat examiné, avec ses motifs et la réponse du demandeur
          </caption>
          <thead>
            <tr>
              <th scope="col">Demandeur</th>
              <th scope="col">Décision</th>
              <th scope="col">Motifs</th>
              <th scope="col">Réponse du demandeur</th>
            </tr>
          </thead>
          <tbody>
            {item.decisions.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.sneNumber}</th>
                <td>
                  {d.label}
                  {d.rank !== null && ` (rang ${d.rank})`}
                  {d.missingDocument && ` — pièce manquante : ${d.missingDocument}`}
                </td>
                <td>{[...d.reasons, ...(d.reasonText ? [`« ${d.reasonText} »`] : [])].join(' ; ') || '—'}</td>
                <td>
                  {d.response ? RESPONSE_TEXT[d.response] : '—'}
                  {d.responseReason && ` : ${d.responseReason}`}
                  {d.leaseId && ', bail signé'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {manager && holder && item.status !== 'let' && (
        <OfferActions
          key={`${holder.id}-${holder.response}`}
          decision={holder}
          csrf={csrf}
          notify={notify}
          onChange={onChange}
        />
      )}
    </>
  );
}

/** Records the applicant's answer (for them) and, once accepted, the lease signature date. */
function OfferActions({
  decision,
  csrf,
  notify,
  onChange,
}: {
  decision: PublicDecision;
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const ids = useId();
  const [answer, setAnswer] = useState<'accepted' | 'refused' | ''>('');
  const [reason, setReason] = useState('');
  const [signedOn, setSignedOn] = useState(new Date().toISOString().slice(0, 10));
  const [received, setReceived] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const respond = async (event: FormEvent) => {
    event.preventDefault();
    if (!answer) {
      setProblem('choisissez la réponse du demandeur');
      return;
    }
    if (answer === 'refused' && !reason.trim()) {
      setProblem('un refus doit être motivé : indiquez la raison donnée par le demandeur');
      document.getElementById(`${ids}-reason`)?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await sendJson(
        'POST',
        `/commission/decisions/${decision.id}/response`,
        { response: answer, reason: answer === 'refused' ? reason.trim() : null },
        csrf,
      );
      await onChange();
      notify.success(
        `Réponse de ${decision.sneNumber} enregistrée : proposition ${answer === 'accepted' ? 'acceptée' : 'refusée'}.`,
      );
    } catch (e) {
      await failed(e, notify, onChange);
    } finally {
      setBusy(false);
    }
  };

  const sign = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await sendJson(
        'POST',
        `/commission/decisions/${decision.id}/lease`,
        { signedOn, documentReceived: received },
        csrf,
      );
      await onChange();
      notify.success(
        `Bail signé le ${frLongDate(signedOn)} par ${decision.sneNumber} : il compte pour la CIA.`,
      );
    } catch (e) {
      await failed(e, notify, onChange);
    } finally {
      setBusy(false);
    }
  };

  if (decision.response === null) {
    return (
      <form className="form" onSubmit={respond} noValidate>
        <fieldset className="commission-reasons">
          <legend>Réponse de {decision.sneNumber} à la proposition de logement</legend>
          {(['accepted', 'refused'] as const).map((value) => (
            <div key={value} className="commission-check">
              <input
                id={`${ids}-${value}`}
                type="radio"
                name={`${ids}-answer`}
                value={value}
                checked={answer === value}
                onChange={() => setAnswer(value)}
              />
              <label htmlFor={`${ids}-${value}`}>{value === 'accepted' ? 'Acceptée' : 'Refusée'}</label>
            </div>
          ))}
        </fieldset>
        {answer === 'refused' && (
          <div className="field">
            <label htmlFor={`${ids}-reason`}>Raison du refus</label>
            <textarea
              id={`${ids}-reason`}
              rows={2}
              maxLength={2000}
              value={reason}
              aria-invalid={problem ? true : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
        )}
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button-secondary" disabled={busy}>
          Enregistrer la réponse
        </button>
      </form>
    );
  }
  if (decision.response === 'accepted' && !decision.leaseId) {
    return (
      <form className="form" onSubmit={sign}>
        <div className="field">
          <label htmlFor={`${ids}-signed`}>Date de signature du bail par {decision.sneNumber}</label>
          <input
            id={`${ids}-signed`}
            type="date"
            required
            value={signedOn}
            onChange={(e) => setSignedOn(e.target.value)}
          />
        </div>
        {decision.kind === 'suspensive-condition' && (
          <div className="commission-check">
            <input
              id={`${ids}-received`}
              type="checkbox"
              checked={received}
              onChange={(e) => setReceived(e.target.checked)}
            />
            <label htmlFor={`${ids}-received`}>Pièce reçue : {decision.missingDocument}</label>
          </div>
        )}
        <button type="submit" className="button-secondary" disabled={busy}>
          Enregistrer la signature du bail
        </button>
      </form>
    );
  }
  return null;
}
