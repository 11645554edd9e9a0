import { useEffect, useId, useState } from 'react';
import { getJson, sendJson } from '../../api.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import type { AdvertFilters } from '../letting/letting-lib.ts';
import { NoticeBox, useNotice } from '../letting/ui.tsx';
import { criteriaFromFilters, type SavedAlert } from './notification-lib.ts';

/**
 * « M'alerter des nouvelles annonces »: an applicant saves the filters in use as an alert; each new
 * advert matching it that they are eligible for is then sent to them (see « E-mails envoyés »).
 */
export function AdvertAlert({ filters }: { filters: AdvertFilters }) {
  const { session } = useSession();
  const applicant = session?.user.role === 'applicant';
  const [alert, setAlert] = useState<SavedAlert | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const { notice, ref, success, failure } = useNotice();
  const id = useId();

  useEffect(() => {
    if (!applicant) return;
    getJson<{ alert: SavedAlert | null }>('/advert-alert')
      .then((r) => setAlert(r.alert))
      .catch(() => setAlert(null));
  }, [applicant]);

  if (!applicant || !session) return null;

  const save = async () => {
    setBusy(true);
    try {
      const saved = await sendJson<{ alert: SavedAlert }>(
        'PUT',
        '/advert-alert',
        criteriaFromFilters(filters),
        session.csrfToken,
      );
      setAlert(saved.alert);
      success(`Alerte enregistrée : ${saved.alert.description}.`);
    } catch (e) {
      failure(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await sendJson('DELETE', '/advert-alert', undefined, session.csrfToken);
      setAlert(null);
      success('Alerte supprimée : vous ne recevrez plus de message pour les nouvelles annonces.');
    } catch (e) {
      failure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="advert-alert">
      <h2 id={`${id}-title`}>Alerte sur les nouvelles annonces</h2>
      <p>
        {alert
          ? `Votre alerte : ${alert.description}. Chaque nouvelle annonce qui y correspond et à laquelle vous êtes éligible vous est envoyée.`
          : 'Recevez un message à chaque nouvelle annonce qui correspond aux filtres choisis ci-dessus et à laquelle vous êtes éligible.'}{' '}
        <Link href="/e-mails-envoyes">Voir mes messages</Link>.
      </p>
      <div className="letting-actions">
        <button type="button" className="button-primary" disabled={busy} onClick={() => void save()}>
          {alert ? 'Remplacer mon alerte par ces filtres' : 'M’alerter des nouvelles annonces'}
        </button>
        {alert && (
          <button type="button" className="button-secondary" disabled={busy} onClick={() => void remove()}>
            Supprimer mon alerte
          </button>
        )}
      </div>
      <NoticeBox notice={notice} noticeRef={ref} testId="alert-notice" />
    </section>
  );
}
