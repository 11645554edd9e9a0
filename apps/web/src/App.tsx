import { type ComponentType, lazy, Suspense, useEffect, useRef, useState } from 'react';
import { DEMO_EPCI, type EpciSummary, getJson, ROLE_LABELS } from './api.ts';
import { DemoBanner } from './components/DemoBanner.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { Link, navigate, usePath } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';

type PageProps = { epci: EpciSummary | null };

/** Pages are loaded on demand: the first page needs only its own code (one chunk per page). */
function page<K extends string>(load: () => Promise<Record<K, ComponentType<PageProps>>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
const ActivationPage = page(() => import('./pages/ActivationPage.tsx'), 'ActivationPage');
const AuditPage = page(() => import('./pages/audit/AuditPage.tsx'), 'AuditPage');
const CotationPage = page(() => import('./pages/CotationPage.tsx'), 'CotationPage');
const CommissionPage = page(() => import('./pages/commission/CommissionPage.tsx'), 'CommissionPage');
const MyDemandPage = page(() => import('./pages/MyDemandPage.tsx'), 'MyDemandPage');
const MailboxPage = page(() => import('./pages/notifications/MailboxPage.tsx'), 'MailboxPage');
const ObservatoryPage = page(() => import('./pages/observatory/ObservatoryPage.tsx'), 'ObservatoryPage');
const OpenDataPage = page(() => import('./pages/open-data/OpenDataPage.tsx'), 'OpenDataPage');
const ResultsPage = page(() => import('./pages/results/ResultsPage.tsx'), 'ResultsPage');
const ReviewPage = page(() => import('./pages/review/ReviewPage.tsx'), 'ReviewPage');
const TerritoryPage = page(() => import('./pages/TerritoryPage.tsx'), 'TerritoryPage');
const AdvertsPage = page(() => import('./pages/letting/AdvertsPage.tsx'), 'AdvertsPage');
const ManageLettingPage = page(() => import('./pages/letting/ManageLettingPage.tsx'), 'ManageLettingPage');
const MyApplicationsPage = page(() => import('./pages/letting/MyApplicationsPage.tsx'), 'MyApplicationsPage');
const MyRelocationPage = page(() => import('./pages/relocation/MyRelocationPage.tsx'), 'MyRelocationPage');
const RelocationPage = page(() => import('./pages/relocation/RelocationPage.tsx'), 'RelocationPage');

const PAGES = [
  { path: '/', title: 'Accueil', component: HomePage },
  { path: '/territoire', title: 'Territoire', component: TerritoryPage },
  { path: '/observatoire', title: 'Observatoire', component: ObservatoryPage },
  { path: '/cotation', title: 'Cotation', component: CotationPage },
  { path: '/ma-demande', title: 'Ma demande', component: MyDemandPage },
  { path: '/bilan', title: 'Bilan CIA', component: ReviewPage },
  {
    path: '/audit',
    title: 'Audit d’égalité de traitement',
    component: AuditPage,
    roles: ['epci-analyst', 'admin'],
  },
  { path: '/donnees-ouvertes', title: 'Données ouvertes', component: OpenDataPage },
  { path: '/annonces', title: 'Logements à louer', component: AdvertsPage },
  {
    path: '/mes-candidatures',
    title: 'Mes candidatures',
    component: MyApplicationsPage,
    roles: ['applicant'],
  },
  {
    path: '/gestion-annonces',
    title: 'Gestion des annonces',
    component: ManageLettingPage,
    roles: ['landlord-agent', 'epci-analyst'],
  },
  {
    path: '/commission',
    title: 'Commission',
    component: CommissionPage,
    roles: ['landlord-agent', 'epci-analyst', 'admin'],
  },
  {
    path: '/relogement',
    title: 'Relogement',
    component: RelocationPage,
    roles: ['relocation-officer', 'epci-analyst', 'landlord-agent', 'admin'],
  },
  {
    path: '/mon-relogement',
    title: 'Mon relogement',
    component: MyRelocationPage,
    roles: ['applicant'],
  },
  {
    path: '/e-mails-envoyes',
    title: 'E-mails envoyés',
    component: MailboxPage,
    roles: ['applicant', 'admin'],
  },
] as const;

/** Pages reached from links rather than the main navigation. */
const OTHER_PAGES = [
  { path: '/resultats-attributions', title: 'Résultats des attributions', component: ResultsPage },
  { path: '/connexion', title: 'Connexion', component: LoginPage },
  { path: '/activation', title: 'Activer mon compte', component: ActivationPage },
] as const;

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

/** The signed-in user and a sign-out button, or a link to sign in. */
function SessionBlock() {
  const { session, signOut } = useSession();
  if (session === undefined) return <div className="session" />;
  if (session === null) {
    return (
      <div className="session">
        <Link href="/connexion">Se connecter</Link>
      </div>
    );
  }
  return (
    <div className="session">
      <span>
        {session.user.displayName} <span className="sr-only">, rôle :</span>({ROLE_LABELS[session.user.role]})
      </span>
      <button
        type="button"
        className="button-link"
        onClick={() => {
          void signOut().then(() => navigate('/'));
        }}
      >
        Se déconnecter
      </button>
    </div>
  );
}

function Shell() {
  const path = usePath();
  const { session } = useSession();
  const page = [...PAGES, ...OTHER_PAGES].find((p) => p.path === path);
  const [epci, setEpci] = useState<EpciSummary | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    getJson<EpciSummary>(`/territories/${DEMO_EPCI}`, controller.signal)
      .then(setEpci)
      .catch(() => {});
    return () => controller.abort();
  }, []);

  useEffect(() => {
    document.title = `${page?.title ?? 'Page introuvable'} — Mosaïque`;
    // After client-side navigation, move focus to the new page so screen readers announce it.
    if (firstRender.current) firstRender.current = false;
    else mainRef.current?.focus();
  }, [page]);

  const Page = page?.component ?? NotFoundPage;
  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <div className="inner">
          <Link className="brand" href="/">
            <svg aria-hidden="true" width="28" height="28" viewBox="0 0 32 32">
              <rect width="14" height="14" x="1" y="1" fill="#ffffff" />
              <rect width="14" height="14" x="17" y="1" fill="#f0a57f" />
              <rect width="14" height="14" x="1" y="17" fill="#8fd1c1" />
              <rect width="14" height="14" x="17" y="17" fill="#f2d98a" />
            </svg>
            Mosaïque
          </Link>
          <nav className="site-nav" aria-label="Navigation principale">
            <ul>
              {PAGES.filter(
                (p) =>
                  !('roles' in p) || (session && (p.roles as readonly string[]).includes(session.user.role)),
              ).map((p) => (
                <li key={p.path}>
                  <Link href={p.path} aria-current={p.path === path ? 'page' : undefined}>
                    {p.title}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <SessionBlock />
        </div>
      </header>
      <DemoBanner sources={epci?.sources ?? null} />
      <main id="contenu" ref={mainRef} tabIndex={-1}>
        <Suspense fallback={<p className="page-loading">Chargement de la page…</p>}>
          <Page epci={epci} />
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="inner">
          Mosaïque — logiciel libre (AGPL-3.0). Données réelles sous Licence Ouverte 2.0, sources citées sur
          chaque page. <a href="/api/docs">Documentation de l’API</a>
        </div>
      </footer>
    </>
  );
}
