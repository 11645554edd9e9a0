import { Link } from '../router.tsx';

export function NotFoundPage() {
  return (
    <>
      <h1>Page introuvable</h1>
      <p>
        Cette adresse ne correspond à aucune page. <Link href="/">Retour à l’accueil</Link>
      </p>
    </>
  );
}
