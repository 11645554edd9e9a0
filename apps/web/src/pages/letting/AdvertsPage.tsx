import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { DEMO_EPCI, getJson, sendJson } from '../../api.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { AdvertAlert } from '../notifications/AdvertAlert.tsx';
import { AdvertCard } from './AdvertCard.tsx';
import { AdvertsMap } from './AdvertsMap.tsx';
import {
  type AdvertFilters,
  type AdvertPlaces,
  advertQuery,
  filtersFromQuery,
  rentProblem,
} from './letting-lib.ts';
import type { Advert } from './types.ts';
import { NoticeBox, useNotice } from './ui.tsx';

type View = 'liste' | 'carte';
const PAGE = 50;
const MAX_LISTED = 200;
const viewFromQuery = (search: string): View =>
  new URLSearchParams(search).get('vue') === 'carte' ? 'carte' : 'liste';
/** The page's address for these filters and view (kept so that it can be bookmarked and shared). */
function pageQuery(filters: AdvertFilters, view: View): string {
  const query = new URLSearchParams(advertQuery(filters));
  if (view === 'carte') query.set('vue', 'carte');
  const text = query.toString();
  return `${window.location.pathname}${text ? `?${text}` : ''}`;
}

/**
 * The adverts of vacant homes (location choisie), filtered. A signed-in applicant sees by default the
 * homes they are eligible for, can show the others with the reason, sees their chance on each advert
 * and applies or withdraws.
 */
export function AdvertsPage() {
  const { session } = useSession();
  const applicant = session?.user.role === 'applicant';
  const [filters, setFilters] = useState<AdvertFilters>(() => filtersFromQuery(window.location.search));
  const [draft, setDraft] = useState<AdvertFilters>(filters);
  const [view, setView] = useState<View>(() => viewFromQuery(window.location.search));
  /** The advert opened from the map. */
  const [opened, setOpened] = useState<string | null>(null);
  const [adverts, setAdverts] = useState<Advert[] | null>(null);
  const [communes, setCommunes] = useState<{ code: string; name: string }[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [rentError, setRentError] = useState<string | null>(null);
  const { notice, ref, success, failure, clear } = useNotice();
  const ids = useId();

  // Communes offered in the filter: those with published adverts.
  useEffect(() => {
    getJson<{ communes: { code: string; name: string }[] }>('/advert-communes')
      .then((r) => setCommunes(r.communes))
      .catch(() => {});
  }, []);

  // One request: for an applicant, the list carries their chance and application on each advert.
  // « Afficher plus » asks for more at once (PAGE more each time, up to MAX_LISTED).
  const [pages, setPages] = useState(1);
  const [more, setMore] = useState(false);
  const load = useCallback(async () => {
    const query = advertQuery(filters);
    const limit = `limit=${Math.min(MAX_LISTED, pages * PAGE)}`;
    return getJson<{ adverts: Advert[]; nextOffset: number | null }>(
      `/adverts?${query ? `${query}&` : ''}${limit}`,
    );
  }, [filters, pages]);

  const reload = useCallback(() => {
    if (session === undefined) return Promise.resolve();
    return load()
      .then((r) => {
        setAdverts(r.adverts);
        setMore(r.nextOffset !== null);
        setLoadError(null);
      })
      .catch((e: Error) => setLoadError(e.message));
  }, [load, session]);

  useEffect(() => {
    void reload();
  }, [reload]);

  // When the list shows only the first adverts, every advert matching the filters is counted
  // (GET /advert-places): the count says how many there are, the map places them by commune.
  const [places, setPlaces] = useState<AdvertPlaces | null>(null);
  useEffect(() => {
    if (!more || session === undefined) return;
    let live = true;
    setPlaces(null);
    const query = advertQuery(filters);
    getJson<AdvertPlaces>(`/advert-places${query ? `?${query}` : ''}`)
      .then((p) => live && setPlaces(p))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [more, filters, session]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = rentProblem(draft.maxTotalRentEur);
    setRentError(problem);
    if (problem) {
      document.getElementById(`${ids}-rent`)?.focus();
      return;
    }
    search(draft);
  };

  const search = (next: AdvertFilters) => {
    window.history.replaceState(null, '', pageQuery(next, view));
    clear();
    setOpened(null);
    setPages(1);
    setAdverts(null);
    setFilters(next);
  };

  const apply = async (advert: Advert) => {
    if (!session) return;
    setBusy(true);
    try {
      await sendJson('POST', `/adverts/${advert.id}/applications`, {}, session.csrfToken);
      await reload();
      success(
        `Candidature enregistrée pour le T${advert.home.typology} à ${advert.home.communeName}. Vous pouvez la suivre dans « Mes candidatures ».`,
      );
    } catch (e) {
      failure(e);
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (advert: Advert) => {
    if (!session || !advert.myApplicationId) return;
    setBusy(true);
    try {
      await sendJson('DELETE', `/applications/${advert.myApplicationId}`, undefined, session.csrfToken);
      await reload();
      success(`Candidature retirée pour le T${advert.home.typology} à ${advert.home.communeName}.`);
    } catch (e) {
      failure(e);
    } finally {
      setBusy(false);
    }
  };

  const switchView = (next: View) => {
    setView(next);
    setOpened(null);
    window.history.replaceState(null, '', pageQuery(filters, next));
  };

  const openFromMap = (advert: Advert) => {
    setOpened(advert.id);
    requestAnimationFrame(() => document.getElementById(`annonce-${advert.id}`)?.focus());
  };
  const openedAdvert = adverts?.find((a) => a.id === opened) ?? null;
  const eligibleText = applicant && !filters.includeIneligible ? ' auxquelles vous êtes éligible' : '';
  const card = (a: Advert) => (
    <AdvertCard
      key={a.id}
      advert={a}
      applicant={applicant}
      busy={busy}
      onApply={(x) => void apply(x)}
      onWithdraw={(x) => void withdraw(x)}
    />
  );

  const toggle = <T,>(list: T[], item: T, on: boolean) =>
    on ? [...list, item] : list.filter((x) => x !== item);

  return (
    <>
      <h1>Logements à louer</h1>
      <p className="lead">
        Les logements sociaux vacants publiés par les bailleurs : chacun choisit ceux auxquels il candidate. À
        la clôture du cycle, les candidats éligibles sont classés par cotation puis ancienneté de la demande.
      </p>
      <p>
        <Link href="/resultats-attributions">Résultats des attributions passées</Link> : combien de candidats,
        quelle note et quelle ancienneté pour le ménage logé.
      </p>
      {session === null && (
        <p>
          <Link href="/connexion">Connectez-vous</Link> avec votre numéro unique pour voir les logements
          auxquels vous êtes éligible, votre chance et candidater.
        </p>
      )}
      {applicant && (
        <p>
          Vous pouvez avoir un nombre limité de candidatures en cours par cycle.{' '}
          <Link href="/mes-candidatures">Suivre mes candidatures</Link>.
        </p>
      )}
      <form className="card letting-filters" onSubmit={submit} aria-labelledby={`${ids}-filters`} noValidate>
        <h2 id={`${ids}-filters`}>Filtrer les annonces</h2>
        <div className="letting-filter-grid">
          <fieldset>
            <legend>Typologie</legend>
            {[1, 2, 3, 4, 5, 6].map((t) => (
              <label className="radio" key={t}>
                <input
                  type="checkbox"
                  checked={draft.typologies.includes(t)}
                  onChange={(e) =>
                    setDraft({ ...draft, typologies: toggle(draft.typologies, t, e.target.checked) })
                  }
                />
                T{t}
              </label>
            ))}
          </fieldset>
          <fieldset className="letting-communes">
            <legend>Communes</legend>
            {communes.length === 0 && <p className="hint">Aucune commune avec une annonce.</p>}
            {communes.map((c) => (
              <label className="radio" key={c.code}>
                <input
                  type="checkbox"
                  checked={draft.communes.includes(c.code)}
                  onChange={(e) =>
                    setDraft({ ...draft, communes: toggle(draft.communes, c.code, e.target.checked) })
                  }
                />
                {c.name}
              </label>
            ))}
          </fieldset>
          <div className="letting-filter-col">
            <div className="field">
              <label htmlFor={`${ids}-rent`}>Loyer charges comprises maximum (€ par mois)</label>
              <input
                id={`${ids}-rent`}
                inputMode="decimal"
                value={draft.maxTotalRentEur}
                aria-invalid={rentError ? true : undefined}
                aria-describedby={rentError ? `${ids}-rent-error` : undefined}
                onChange={(e) => setDraft({ ...draft, maxTotalRentEur: e.target.value })}
              />
              {rentError && (
                <p className="field-error" id={`${ids}-rent-error`}>
                  {rentError}
                </p>
              )}
            </div>
            <div className="field">
              <label htmlFor={`${ids}-floor`}>Étage et ascenseur</label>
              <select
                id={`${ids}-floor`}
                value={draft.floor}
                onChange={(e) => setDraft({ ...draft, floor: e.target.value })}
              >
                <option value="">indifférent</option>
                <option value="lift">avec ascenseur</option>
                <option value="0">rez-de-chaussée ou ascenseur</option>
                <option value="1">1er étage au plus sans ascenseur</option>
                <option value="2">2e étage au plus sans ascenseur</option>
                <option value="3">3e étage au plus sans ascenseur</option>
              </select>
            </div>
            <label className="radio">
              <input
                type="checkbox"
                checked={draft.accessible}
                onChange={(e) => setDraft({ ...draft, accessible: e.target.checked })}
              />
              Accessible en fauteuil roulant
            </label>
            {applicant && (
              <label className="radio">
                <input
                  type="checkbox"
                  checked={draft.includeIneligible}
                  onChange={(e) => setDraft({ ...draft, includeIneligible: e.target.checked })}
                />
                Afficher aussi les logements auxquels je ne suis pas éligible
              </label>
            )}
          </div>
        </div>
        <button className="button-primary" type="submit">
          Filtrer
        </button>
      </form>
      <AdvertAlert filters={filters} />
      <NoticeBox notice={notice} noticeRef={ref} testId="letting-notice" />
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      <section aria-labelledby={`${ids}-results`}>
        <h2 id={`${ids}-results`}>Annonces</h2>
        <p aria-live="polite" data-testid="advert-count">
          {adverts === null
            ? 'Chargement…'
            : adverts.length === 0
              ? 'Aucune annonce ne correspond à ces critères.'
              : more && places
                ? `Les ${adverts.length} premières des ${places.total} annonces${eligibleText}.`
                : `${adverts.length}${more ? ' premières' : ''} annonce${adverts.length > 1 ? 's' : ''}${eligibleText}.`}
        </p>
        {applicant && adverts && adverts.length > 0 && (
          <div className="letting-refresh">
            <p className="hint">
              Votre chance est votre rang parmi les candidats actuels, classés comme à la clôture (note de
              cotation, puis ancienneté) ; elle change quand d’autres candidatent ou se retirent.
            </p>
            <button type="button" className="button-secondary" onClick={() => void reload()}>
              Actualiser les chances
            </button>
          </div>
        )}
        <fieldset className="letting-view-switch">
          <legend>Affichage</legend>
          <button
            type="button"
            className="button-secondary"
            aria-pressed={view === 'liste'}
            onClick={() => switchView('liste')}
          >
            Liste
          </button>
          <button
            type="button"
            className="button-secondary"
            aria-pressed={view === 'carte'}
            onClick={() => switchView('carte')}
          >
            Carte
          </button>
        </fieldset>
        {view === 'liste' ? (
          <div className="letting-list">{adverts?.map(card)}</div>
        ) : (
          adverts && (
            <>
              <AdvertsMap
                epci={adverts[0]?.epci ?? session?.user.epciCode ?? DEMO_EPCI}
                adverts={adverts}
                places={places}
                complete={!more}
                onOpen={openFromMap}
                onCommune={(commune) => {
                  const next = { ...filters, communes: [commune] };
                  setDraft(next);
                  search(next);
                }}
              />
              {openedAdvert && (
                <div className="letting-list letting-opened" data-testid="opened-advert">
                  {card(openedAdvert)}
                </div>
              )}
            </>
          )
        )}
        {more && (
          <p className="letting-more">
            {pages * PAGE < MAX_LISTED ? (
              <button type="button" className="button-secondary" onClick={() => setPages((n) => n + 1)}>
                Afficher plus d’annonces
              </button>
            ) : (
              <span className="hint">
                D’autres annonces correspondent : précisez les filtres (commune, typologie, loyer).
              </span>
            )}
          </p>
        )}
      </section>
    </>
  );
}
