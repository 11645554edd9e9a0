import { type FormEvent, useState } from 'react';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

export function ActivationPage() {
  const { activate } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('confirmation'))) {
      setError('les deux mots de passe ne sont pas identiques');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await activate(String(form.get('sneNumber')), String(form.get('code')), password);
      navigate('/');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>Activer mon compte</h1>
      <p>
        Le bailleur ou le service habitat de l’intercommunalité vous a remis un code d’activation. Il sert une
        seule fois et reste valable 14 jours.
      </p>
      <form className="form card" onSubmit={submit}>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="field">
          <label htmlFor="sneNumber">Numéro unique de demande</label>
          <input id="sneNumber" name="sneNumber" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="code">Code d’activation</label>
          <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required />
        </div>
        <div className="field">
          <label htmlFor="new-password">Mot de passe</label>
          <p className="hint" id="password-hint">
            Au moins 12 caractères.
          </p>
          <input
            id="new-password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            aria-describedby="password-hint"
          />
        </div>
        <div className="field">
          <label htmlFor="confirmation">Confirmation du mot de passe</label>
          <input id="confirmation" name="confirmation" type="password" autoComplete="new-password" required />
        </div>
        <button className="button-primary" type="submit" disabled={busy}>
          {busy ? 'Activation…' : 'Activer mon compte'}
        </button>
      </form>
    </>
  );
}
