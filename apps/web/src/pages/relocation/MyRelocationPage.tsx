import { useCallback, useEffect, useState } from 'react';
import { ApiError, getJson, sendJson } from '../../api.ts';
import { formatEuros } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import type { Advert } from '../letting/types.ts';
import { NoticeBox, useNotice } from '../letting/ui.tsx';
import { frDay, homeText, MatchingHomesTable, ProposalsTable, StepsList, todayIso } from './shared.tsx';
import type { MatchingHome, Proposal, Reference, RelocationFile } from './types.ts';

/**
 * The relocating household's own file: where it stands, its proposals (answered here, a refusal with
 * its reason), the homes open to it that match its wishes (it applies like any applicant), every step.
 */
export function MyRelocationPage() {
  const { session } = useSession();
  const [file, setFile] = useState<RelocationFile | null | 'none'>(null);
  const [homes, setHomes] = useState<MatchingHome[] | null>(null);
  const [eligibility, setEligibility] = useState<Map<string, Advert['eligibility']>>(new Map());
  const [reference, setReference] = useState<Reference | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { notice, ref, success, failure } = useNotice();
  const applicant = session?.user.role === 'applicant';

  const reload = useCallback(async () => {
    try {
      const mine = await getJson<RelocationFile>('/relocation/my-file');
      setFile(mine);
      const [matching, adverts] = await Promise.all([
        getJson<{ homes: MatchingHome[] }>(`/relocation/files/${mine.id}/matching-homes`),
        getJson<{ adverts: Advert[] }>('/adverts?eligibleOnly=false&limit=200'),
      ]);
      setHomes(matching.homes);
      setEligibility(new Map(adverts.adverts.map((a) => [a.id, a.eligibility])));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setFile('none');
      else setLoadError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    if (!applicant) return;
    void reload();
    getJson<Reference>('/relocation/reference')
      .then(setReference)
      .catch(() => {});
  }, [applicant, reload]);

  if (session === undefined) return <p>Chargement…</p>;
  if (!applicant) {
    return (
      <>
        <h1>Mon relogement</h1>
        <p>
          {session === null ? (
            <>
              <Link href="/connexion">Connectez-vous</Link> avec votre numéro unique pour suivre votre
              relogement.
            </>
          ) : (
            'Cette page est celle des ménages relogés. Les chargés de relogement suivent les dossiers depuis la page Relogement.'
          )}
        </p>
      </>
    );
  }

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

  return (
    <>
      <h1>Mon relogement</h1>
      <NoticeBox notice={notice} noticeRef={ref} testId="relocation-notice" />
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {file === null ? (
        <p>Chargement…</p>
      ) : file === 'none' ? (
        <p>Votre demande ne fait l’objet d’aucun dossier de relogement.</p>
      ) : (
        <>
          <p className="lead">
            Votre immeuble ({file.origin.residenceName}) est concerné par l’opération « {file.operationName}{' '}
            ». Votre chargé·e de relogement vous accompagne : vous pouvez recevoir jusqu’à trois propositions,
            et candidater vous-même aux logements publiés.
          </p>
          <h2>Où en est mon dossier</h2>
          <p data-testid="relocation-stage">
            <strong>{file.stageLabel}</strong>
            {file.lease &&
              ` : bail signé le ${frDay(file.lease.signedOn)}, résidence ${file.lease.residenceName} (${file.lease.communeName}).`}
          </p>
          <dl className="relocation-facts">
            <dt>Logement actuel</dt>
            <dd>
              {Math.round(file.origin.surfaceM2)} m², loyer et charges{' '}
              {formatEuros(file.origin.rentEur + file.origin.chargesEur)} par mois
            </dd>
            <dt>Entretien de diagnostic</dt>
            <dd>{file.diagnosisOn ? `le ${frDay(file.diagnosisOn)}` : 'pas encore eu lieu'}</dd>
            <dt>Mes souhaits</dt>
            <dd>
              {file.wishes.typologies.length
                ? file.wishes.typologies.map((t) => `T${t}`).join(', ')
                : 'toute typologie'}
              {file.wishes.maxRentWithChargesEur !== null &&
                `, ${formatEuros(file.wishes.maxRentWithChargesEur)} par mois au plus`}
              {file.wishes.age === 'new-or-recent' && ', logement neuf ou récent'}
            </dd>
          </dl>
          <h2>Mes propositions</h2>
          <ProposalsTable
            proposals={file.proposals}
            caption="Les logements qui vous ont été proposés"
            actions={(p) =>
              p.response === 'pending' && reference ? (
                <AnswerForm
                  proposal={p}
                  reasons={reference.refusalReasons}
                  busy={busy}
                  onAnswer={(body, text) =>
                    void act(
                      () =>
                        sendJson(
                          'POST',
                          `/relocation/files/${file.id}/proposals/${p.rank}/answer`,
                          body,
                          session.csrfToken,
                        ),
                      text,
                    )
                  }
                />
              ) : null
            }
          />
          {!file.lease && (
            <>
              <h2>Logements qui peuvent me convenir</h2>
              <p>
                Les logements publiés et ceux réservés à l’opération, ceux qui répondent à vos souhaits en
                premier. Vous pouvez candidater aux annonces publiées comme tout demandeur (
                <Link href="/mes-candidatures">mes candidatures</Link>).
              </p>
              {homes === null ? (
                <p>Chargement…</p>
              ) : (
                <MatchingHomesTable
                  homes={homes}
                  caption="Logements ouverts à votre relogement"
                  action={(h) => {
                    if (!h.advertId)
                      return <span className="muted">proposé par votre chargé·e de relogement</span>;
                    const e = eligibility.get(h.advertId);
                    if (e?.eligible === false)
                      return <span className="muted">non éligible : {e.reasons[0] ?? 'voir l’annonce'}</span>;
                    return (
                      <button
                        type="button"
                        className="button-secondary"
                        disabled={busy}
                        aria-label={`Candidater : ${homeText(h)}`}
                        onClick={() =>
                          void act(
                            () =>
                              sendJson('POST', `/adverts/${h.advertId}/applications`, {}, session.csrfToken),
                            `Candidature envoyée pour le ${homeText(h)}.`,
                          )
                        }
                      >
                        Candidater
                      </button>
                    );
                  }}
                />
              )}
            </>
          )}
          <h2>Toutes les étapes de mon dossier</h2>
          {reference && <StepsList steps={file.steps} labels={reference.steps} />}
        </>
      )}
    </>
  );
}

/** Accept, or refuse with a reason, a pending proposal. */
export function AnswerForm({
  proposal,
  reasons,
  busy,
  onAnswer,
}: {
  proposal: Proposal;
  reasons: { code: string; label: string }[];
  busy: boolean;
  onAnswer: (body: object, text: string) => void;
}) {
  const [reason, setReason] = useState('');
  const id = `refus-${proposal.rank}`;
  return (
    <div className="relocation-answer">
      <button
        type="button"
        className="button-primary"
        disabled={busy}
        onClick={() =>
          onAnswer(
            { response: 'accepted', answeredOn: todayIso() },
            `Proposition n° ${proposal.rank} acceptée : votre chargé·e de relogement prépare le bail.`,
          )
        }
      >
        Accepter la proposition n° {proposal.rank}
      </button>
      <div className="field">
        <label htmlFor={id}>Motif du refus de la proposition n° {proposal.rank}</label>
        <select id={id} value={reason} onChange={(e) => setReason(e.target.value)}>
          <option value="">— choisir un motif —</option>
          {reasons.map((r) => (
            <option key={r.code} value={r.code}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="button-secondary"
        disabled={busy}
        onClick={() =>
          onAnswer(
            { response: 'refused', answeredOn: todayIso(), refusalReason: reason || null },
            `Proposition n° ${proposal.rank} refusée.`,
          )
        }
      >
        Refuser la proposition n° {proposal.rank}
      </button>
    </div>
  );
}
