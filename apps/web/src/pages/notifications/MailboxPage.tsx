import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { ApiError, getJson, sendJson } from '../../api.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { NoticeBox, useNotice } from '../letting/ui.tsx';
import { dateTimeText, type Mailbox, statusText } from './notification-lib.ts';

/**
 * « E-mails envoyés »: the messages addressed to the signed-in account (an administrator sees every
 * message with its recipient). Without an SMTP server (the demo), the messages stay here, unsent.
 */
export function MailboxPage() {
  const { session } = useSession();
  const admin = session?.user.role === 'admin';
  const [mailbox, setMailbox] = useState<Mailbox | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const ids = useId();
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  // After « plus anciens », the focus goes to the first message loaded.
  useEffect(() => {
    if (focusIndex !== null) document.getElementById(`${ids}-mail-${focusIndex}`)?.focus();
  }, [focusIndex, ids]);

  const loadMore = async () => {
    if (!mailbox) return;
    setLoadingMore(true);
    try {
      const shown = mailbox.notifications.length;
      const next = await getJson<Mailbox>(`/notifications?limit=${PAGE_SIZE}&offset=${shown}`);
      setMailbox({ ...next, notifications: [...mailbox.notifications, ...next.notifications] });
      setFocusIndex(shown);
    } catch (e) {
      setLoadError((e as Error).message);
    } finally {
      setLoadingMore(false);
    }
  };

  const load = useCallback(() => {
    getJson<Mailbox>(`/notifications?limit=${PAGE_SIZE}`)
      .then((m) => {
        setMailbox(m);
        setLoadError(null);
      })
      .catch((e: Error) => setLoadError(e.message));
  }, []);

  useEffect(() => {
    if (session) load();
  }, [session, load]);

  if (session === undefined) return <p>Chargement…</p>;
  if (session === null) {
    return (
      <>
        <h1>E-mails envoyés</h1>
        <p>
          <Link href="/connexion">Connectez-vous</Link> pour lire les messages qui vous ont été adressés.
        </p>
      </>
    );
  }

  return (
    <>
      <h1>E-mails envoyés</h1>
      <p className="lead">
        {admin
          ? 'Tous les messages de la plateforme, avec leur destinataire : nouvelles annonces correspondant à une alerte, clôture prochaine d’un cycle, décisions de la commission d’attribution.'
          : 'Les messages qui vous sont adressés : nouvelles annonces correspondant à votre alerte, clôture prochaine d’un cycle, décisions de la commission d’attribution.'}
      </p>
      {mailbox?.delivery === 'demo' && (
        <p className="card" data-testid="demo-delivery">
          Démonstration : aucun serveur d’envoi n’est configuré, les messages ne partent pas par e-mail ; ils
          sont tous lisibles ici.
        </p>
      )}
      <AddressForm />
      <PreferencesForm />
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      <section aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>Messages</h2>
        <p aria-live="polite" data-testid="mail-count">
          {mailbox === null
            ? 'Chargement…'
            : mailbox.total === 0
              ? 'Aucun message pour le moment.'
              : `${mailbox.total} message${mailbox.total > 1 ? 's' : ''}${mailbox.total > mailbox.notifications.length ? `, les ${mailbox.notifications.length} plus récents affichés` : ''}.`}
        </p>
        <ul className="mail-list" style={{ listStyle: 'none', padding: 0 }}>
          {mailbox?.notifications.map((n, i) => (
            <li key={n.id} className="card" data-testid="mail">
              <h3 id={`${ids}-mail-${i}`} tabIndex={-1}>
                {n.subject}
              </h3>
              <p className="hint">
                {dateTimeText(n.createdAt)} — {n.kindLabel} — {statusText(n, mailbox.delivery)}
                {n.recipient && (
                  <>
                    {' '}
                    — destinataire : {n.recipient.name} ({n.recipient.identifier})
                  </>
                )}
                {n.lastError && <> — dernière erreur : {n.lastError}</>}
              </p>
              <details>
                <summary>Lire le message</summary>
                <div style={{ whiteSpace: 'pre-line' }}>{n.body}</div>
              </details>
            </li>
          ))}
        </ul>
        {mailbox && mailbox.notifications.length < mailbox.total && (
          <button
            type="button"
            className="button-secondary"
            disabled={loadingMore}
            onClick={() => void loadMore()}
          >
            Afficher les messages plus anciens
          </button>
        )}
      </section>
    </>
  );
}

/** Messages loaded at a time. */
const PAGE_SIZE = 50;

/** The address the account's messages are sent to. */
function AddressForm() {
  const { session } = useSession();
  const [email, setEmail] = useState('');
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { notice, ref, success, failure } = useNotice();
  const id = useId();

  useEffect(() => {
    getJson<{ email: string | null }>('/notifications/address')
      .then((r) => {
        setSaved(r.email);
        setEmail(r.email ?? '');
      })
      .catch(() => setSaved(null));
  }, []);

  if (!session) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFieldError(null);
    try {
      const r = await sendJson<{ email: string | null }>(
        'PUT',
        '/notifications/address',
        { email: email.trim() === '' ? null : email.trim() },
        session.csrfToken,
      );
      setSaved(r.email);
      success(r.email ? `Vos messages seront envoyés à ${r.email}.` : 'Adresse effacée.');
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        setFieldError('Indiquez une adresse de la forme nom@domaine.fr, ou laissez le champ vide.');
        document.getElementById(`${id}-email`)?.focus();
      } else failure(e);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>Adresse de réception</h2>
      <div className="field">
        <label htmlFor={`${id}-email`}>Adresse électronique où recevoir vos messages</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="email"
          value={email}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? `${id}-email-error` : `${id}-email-hint`}
          onChange={(e) => setEmail(e.target.value)}
        />
        <p className="hint" id={`${id}-email-hint`}>
          {saved === undefined
            ? ' '
            : saved
              ? `Adresse actuelle : ${saved}.`
              : 'Aucune adresse : les messages restent lisibles sur cette page seulement.'}
        </p>
        {fieldError && (
          <p className="field-error" id={`${id}-email-error`}>
            {fieldError}
          </p>
        )}
      </div>
      <button type="submit" className="button-secondary">
        Enregistrer l’adresse
      </button>
      <NoticeBox notice={notice} noticeRef={ref} testId="address-notice" />
    </form>
  );
}

/** What the account chooses to receive: the cycle-closing reminders can be turned off. */
function PreferencesForm() {
  const { session } = useSession();
  const [reminders, setReminders] = useState<boolean | null>(null);
  const { notice, ref, success, failure } = useNotice();
  const id = useId();

  useEffect(() => {
    getJson<{ cycleReminders: boolean }>('/notifications/preferences')
      .then((r) => setReminders(r.cycleReminders))
      .catch(() => setReminders(true));
  }, []);

  if (!session || reminders === null) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const r = await sendJson<{ cycleReminders: boolean }>(
        'PUT',
        '/notifications/preferences',
        { cycleReminders: reminders },
        session.csrfToken,
      );
      success(
        r.cycleReminders
          ? 'Vous serez prévenu 48 heures avant la clôture d’un cycle.'
          : 'Vous ne recevrez plus de rappel avant la clôture d’un cycle.',
      );
    } catch (e) {
      failure(e);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Messages reçus</h2>
      <div className="field field-checkbox">
        <input
          id={`${id}-reminders`}
          type="checkbox"
          checked={reminders}
          aria-describedby={`${id}-reminders-hint`}
          onChange={(e) => setReminders(e.target.checked)}
        />
        <label htmlFor={`${id}-reminders`}>Me rappeler la clôture prochaine d’un cycle</label>
        <p className="hint" id={`${id}-reminders-hint`}>
          48 heures avant la clôture d’un cycle où vous avez candidaté ou qui a des annonces pour votre
          alerte. Les décisions de la commission vous sont toujours envoyées ; les nouvelles annonces suivent
          votre alerte.
        </p>
      </div>
      <button type="submit" className="button-secondary">
        Enregistrer
      </button>
      <NoticeBox notice={notice} noticeRef={ref} testId="preferences-notice" />
    </form>
  );
}
