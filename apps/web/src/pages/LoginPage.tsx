import { type FormEvent, useState } from 'react';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

export function LoginPage() {
  const { signIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('identifier')), String(form.get('password')));
      navigate('/');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>Connexion</h1>
      <form className="form card" onSubmit={submit} noValidate={false}>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="field">
          <label htmlFor="identifier">Identifiant</label>
          <p className="hint" id="identifier-hint">
            Votre adresse électronique (agents) ou votre numéro unique de demande (demandeurs).
          </p>
          <input
            id="identifier"
            name="identifier"
            autoComplete="username"
            required
            aria-describedby="identifier-hint"
          />
        </div>
        <div className="field">
          <label htmlFor="password">Mot de passe</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button className="button-primary" type="submit" disabled={busy}>
          {busy ? 'Connexion…' : 'Se connecter'}
        </button>
      </form>
      <p>
        Vous avez déposé une demande de logement social et reçu un code d’activation ?{' '}
        <Link href="/activation">Activer mon compte</Link>
      </p>
    </>
  );
}
