import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { getJson, sendJson } from '../../api.ts';
import { formatEuros, formatInteger } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { AdvertPhotos } from './AdvertCard.tsx';
import { AdvertPhotosEditor, PhotoFields, photoFormProblems, uploadPhoto } from './AdvertPhotosEditor.tsx';
import {
  ADVERT_STATUS,
  advertEditable,
  cycleFormProblems,
  descriptionProblem,
  ENERGY_LABELS,
  floorText,
  frDate,
  frDateTime,
  toLocalInput,
} from './letting-lib.ts';
import { type ApplicationRow, ApplicationsTable, loadApplications } from './MyApplicationsPage.tsx';
import type { Advert, Application, Cycle, ShortlistEntry, VacantHome } from './types.ts';
import { NoticeBox, useNotice } from './ui.tsx';

type Notify = ReturnType<typeof useNotice>;

/**
 * Letting management for landlord agents (cycles, adverts of vacant homes, shortlists, assisted
 * applying) and EPCI analysts (cycles of the EPCI, shortlists, assisted applying).
 */
export function ManageLettingPage() {
  const { session } = useSession();
  const role = session?.user.role;
  const landlord = role === 'landlord-agent';
  const agent = landlord || role === 'epci-analyst';
  /** The EPCIs where the agent works (a landlord's: where it has homes), from GET /letting-cycles. */
  const [epcis, setEpcis] = useState<{ code: string; name: string }[]>([]);
  const [cycles, setCycles] = useState<Cycle[] | null>(null);
  const [adverts, setAdverts] = useState<Advert[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const notify = useNotice();

  const reload = useCallback(async () => {
    try {
      const [c, a] = await Promise.all([
        getJson<{ cycles: Cycle[]; epcis: { code: string; name: string }[] }>('/letting-cycles'),
        getJson<{ adverts: Advert[] }>('/adverts?status=draft,published,withdrawn,closed&limit=200'),
      ]);
      setCycles(c.cycles);
      setEpcis(c.epcis);
      setAdverts(a.adverts);
      setLoadError(null);
    } catch (e) {
      setLoadError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    if (agent) void reload();
  }, [agent, reload]);

  if (session === undefined) return <p>Chargement…</p>;
  if (!session || !agent) {
    return (
      <>
        <h1>Gestion des annonces</h1>
        <p>
          Cette page est celle des agents de bailleur et des analystes de l’EPCI.{' '}
          {session === null && <Link href="/connexion">Se connecter</Link>}
        </p>
      </>
    );
  }
  const csrf = session.csrfToken;
  const mine = (c: Cycle) =>
    landlord ? c.landlordId === session.user.landlordId || c.landlordId === null : true;
  const myCycles = (cycles ?? []).filter(mine);
  const openCycles = myCycles.filter((c) => c.status === 'open');
  const current = adverts?.find((a) => a.id === selected) ?? null;

  return (
    <>
      <h1>Gestion des annonces</h1>
      <p className="lead">
        {landlord
          ? 'Ouvrez un cycle de location, publiez les logements vacants de votre bailleur, clôturez le cycle et lisez la liste des candidats de chaque annonce.'
          : 'Cycles de l’EPCI, listes des candidats et candidatures assistées.'}
      </p>
      <NoticeBox notice={notify.notice} noticeRef={notify.ref} testId="letting-notice" />
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      <CyclesSection
        cycles={myCycles}
        loaded={cycles !== null}
        epcis={epcis}
        csrf={csrf}
        closable={(c) => c.status === 'open' && (!landlord || c.landlordId === session.user.landlordId)}
        notify={notify}
        onChange={reload}
      />
      {landlord && (
        <NewAdvertSection
          cycles={openCycles}
          csrf={csrf}
          notify={notify}
          onChange={reload}
          reloadKey={adverts}
        />
      )}
      <AdvertsSection
        adverts={adverts}
        onSelect={(id) => {
          setSelected(id);
          requestAnimationFrame(() => document.getElementById('advert-detail-title')?.focus());
        }}
      />
      {current && (
        <AdvertDetail
          key={current.id}
          advert={current}
          landlord={landlord && current.landlordId === session.user.landlordId}
          openCycles={openCycles}
          csrf={csrf}
          notify={notify}
          onChange={reload}
        />
      )}
      <AssistedSection adverts={adverts ?? []} csrf={csrf} notify={notify} onChange={reload} />
    </>
  );
}

function CyclesSection({
  cycles,
  loaded,
  epcis,
  csrf,
  closable,
  notify,
  onChange,
}: {
  cycles: Cycle[];
  loaded: boolean;
  epcis: { code: string; name: string }[];
  csrf: string;
  closable: (c: Cycle) => boolean;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const ids = useId();
  const [form, setForm] = useState(() => {
    const now = new Date();
    now.setSeconds(0, 0);
    return {
      name: '',
      opensAt: toLocalInput(now),
      closesAt: toLocalInput(new Date(now.getTime() + 14 * 86_400_000)),
      max: '3',
    };
  });
  const [problems, setProblems] = useState<ReturnType<typeof cycleFormProblems>>({});
  const [busy, setBusy] = useState(false);
  const [chosenEpci, setChosenEpci] = useState('');
  const epci = epcis.some((e) => e.code === chosenEpci) ? chosenEpci : (epcis[0]?.code ?? '');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const found = cycleFormProblems(form);
    setProblems(found);
    const first = (['name', 'opensAt', 'closesAt', 'max'] as const).find((k) => found[k]);
    if (first) {
      document.getElementById(`${ids}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const cycle = await sendJson<Cycle>(
        'POST',
        '/letting-cycles',
        {
          epci,
          name: form.name.trim(),
          opensAt: new Date(form.opensAt).toISOString(),
          closesAt: new Date(form.closesAt).toISOString(),
          maxActiveApplications: Number(form.max),
        },
        csrf,
      );
      await onChange();
      setForm({ ...form, name: '' });
      notify.success(`Cycle « ${cycle.name} » ouvert jusqu’au ${frDateTime(cycle.closesAt)}.`);
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };

  const close = async (cycle: Cycle) => {
    if (
      !window.confirm(
        `Clôturer le cycle « ${cycle.name} » maintenant ? Les candidatures s’arrêtent et la liste des candidats de chaque annonce est construite.`,
      )
    )
      return;
    setBusy(true);
    try {
      const result = await sendJson<{ adverts: { shortlisted: number; excluded: number }[] }>(
        'POST',
        `/letting-cycles/${cycle.id}/close`,
        undefined,
        csrf,
      );
      await onChange();
      const kept = result.adverts.reduce((s, a) => s + a.shortlisted, 0);
      const out = result.adverts.reduce((s, a) => s + a.excluded, 0);
      notify.success(
        `Cycle « ${cycle.name} » clos : ${result.adverts.length} annonce(s), ${kept} candidat(s) retenu(s) sur les listes, ${out} écarté(s). Ouvrez une annonce pour lire sa liste.`,
      );
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: 'name' | 'opensAt' | 'closesAt' | 'max') => ({
    id: `${ids}-${key}`,
    value: form[key],
    'aria-invalid': problems[key] ? true : undefined,
    'aria-describedby': problems[key] ? `${ids}-${key}-error` : undefined,
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const error = (key: 'name' | 'opensAt' | 'closesAt' | 'max') =>
    problems[key] && (
      <p className="field-error" id={`${ids}-${key}-error`}>
        {problems[key]}
      </p>
    );

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Cycles de location</h2>
      {!loaded ? (
        <p>Chargement…</p>
      ) : cycles.length === 0 ? (
        <p>Aucun cycle pour l’instant.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="cycles-table">
            <caption>
              Cycles de location : dates, nombre de candidatures en cours permis par demandeur, statut
            </caption>
            <thead>
              <tr>
                <th scope="col">Cycle</th>
                <th scope="col">Ouverture</th>
                <th scope="col">Clôture</th>
                <th scope="col" className="num">
                  Candidatures par demandeur
                </th>
                <th scope="col">Statut</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {cycles.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    {c.name}
                    {c.landlordId === null && <div className="muted">cycle de l’EPCI</div>}
                  </th>
                  <td>{frDateTime(c.opensAt)}</td>
                  <td>{frDateTime(c.closesAt)}</td>
                  <td className="num">{c.maxActiveApplications}</td>
                  <td>{c.status === 'open' ? 'ouvert' : 'clos'}</td>
                  <td>
                    {closable(c) && (
                      <button
                        type="button"
                        className="button-secondary"
                        disabled={busy}
                        onClick={() => void close(c)}
                      >
                        Clôturer « {c.name} »
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="form card" onSubmit={create} noValidate aria-labelledby={`${ids}-new`}>
        <h3 id={`${ids}-new`}>Ouvrir un cycle</h3>
        {epcis.length > 1 ? (
          <div className="field">
            <label htmlFor={`${ids}-epci`}>Territoire (EPCI)</label>
            <select id={`${ids}-epci`} value={epci} onChange={(e) => setChosenEpci(e.target.value)}>
              {epcis.map((e) => (
                <option key={e.code} value={e.code}>
                  {e.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          epcis[0] && <p className="hint">Territoire : {epcis[0].name}</p>
        )}
        <div className="field">
          <label htmlFor={`${ids}-name`}>Nom du cycle</label>
          <input {...field('name')} maxLength={200} />
          {error('name')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-opensAt`}>Ouverture des candidatures</label>
          <input type="datetime-local" {...field('opensAt')} />
          {error('opensAt')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-closesAt`}>Clôture des candidatures</label>
          <input type="datetime-local" {...field('closesAt')} />
          {error('closesAt')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-max`}>Candidatures en cours permises par demandeur</label>
          <p className="hint" id={`${ids}-max-hint`}>
            De 1 à 20 ; 3 par défaut.
          </p>
          <input type="number" min={1} max={20} step={1} {...field('max')} />
          {error('max')}
        </div>
        <button className="button-primary" type="submit" disabled={busy}>
          Ouvrir le cycle
        </button>
      </form>
    </section>
  );
}

function AdvertTextFields({
  ids,
  description,
  energyLabel,
  problem,
  onDescription,
  onEnergy,
}: {
  ids: string;
  description: string;
  energyLabel: string;
  problem: string | null;
  onDescription: (v: string) => void;
  onEnergy: (v: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${ids}-description`}>Description</label>
        <p className="hint" id={`${ids}-description-hint`}>
          De 20 à 4 000 caractères : pièces, exposition, quartier, transports, écoles…
        </p>
        <textarea
          id={`${ids}-description`}
          rows={5}
          value={description}
          maxLength={4000}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${ids}-description-hint${problem ? ` ${ids}-description-error` : ''}`}
          onChange={(e) => onDescription(e.target.value)}
        />
        {problem && (
          <p className="field-error" id={`${ids}-description-error`}>
            {problem}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-energy`}>Étiquette énergie (DPE)</label>
        <select id={`${ids}-energy`} value={energyLabel} onChange={(e) => onEnergy(e.target.value)}>
          <option value="">non renseignée</option>
          {ENERGY_LABELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

function NewAdvertSection({
  cycles,
  csrf,
  notify,
  onChange,
  reloadKey,
}: {
  cycles: Cycle[];
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
  /** Changes when the adverts change: the vacant homes are read again. */
  reloadKey: unknown;
}) {
  const ids = useId();
  const [homes, setHomes] = useState<VacantHome[] | null>(null);
  const [homeId, setHomeId] = useState('');
  const [cycleId, setCycleId] = useState('');
  const [description, setDescription] = useState('');
  const [energyLabel, setEnergyLabel] = useState('');
  const [publish, setPublish] = useState(false);
  const [photo, setPhoto] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const [formKey, setFormKey] = useState(0);
  const [problems, setProblems] = useState<{
    home?: string;
    cycle?: string;
    description?: string;
    photo?: string;
    alt?: string;
  }>({});
  const [busy, setBusy] = useState(false);
  const chosenCycle = cycles.some((c) => c.id === cycleId) ? cycleId : (cycles[0]?.id ?? '');
  const cycleEpci = cycles.find((c) => c.id === chosenCycle)?.epci;
  const offered = (homes ?? []).filter((h) => !cycleEpci || h.epci === cycleEpci);

  useEffect(() => {
    void reloadKey;
    getJson<{ homes: VacantHome[] }>('/vacant-homes')
      .then((r) => setHomes(r.homes))
      .catch(() => setHomes([]));
  }, [reloadKey]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof problems = {};
    if (!offered.some((h) => h.id === homeId)) found.home = 'Choisissez le logement vacant à proposer.';
    if (!chosenCycle) found.cycle = 'Ouvrez d’abord un cycle de location.';
    const d = descriptionProblem(description);
    if (d) found.description = d;
    Object.assign(found, photoFormProblems(photo, alt, false));
    setProblems(found);
    const first = (['home', 'cycle', 'description', 'photo', 'alt'] as const).find((k) => found[k]);
    if (first) {
      document.getElementById(`${ids}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      // With a photo, the advert is published once the photo is in (applicants see both at once).
      let advert = await sendJson<Advert>(
        'POST',
        '/adverts',
        {
          homeId,
          cycleId: chosenCycle,
          description: description.trim(),
          energyLabel: energyLabel || null,
          publish: publish && !photo,
        },
        csrf,
      );
      if (photo) {
        advert = await uploadPhoto(advert.id, photo, alt, csrf);
        if (publish)
          advert = await sendJson<Advert>('PATCH', `/adverts/${advert.id}`, { publish: true }, csrf);
      }
      await onChange();
      setHomeId('');
      setDescription('');
      setEnergyLabel('');
      setPhoto(null);
      setAlt('');
      setFormKey((k) => k + 1);
      notify.success(
        `Annonce ${publish ? 'publiée' : 'enregistrée comme brouillon'} : T${advert.home.typology} à ${advert.home.communeName} (logement ${advert.home.id})${photo ? ', avec sa photo' : ''}.`,
      );
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Nouvelle annonce</h2>
      <form className="form card" onSubmit={submit} noValidate key={formKey}>
        <p className="hint">
          Le loyer, les charges, la typologie, la surface, l’étage, l’ascenseur, l’accessibilité, le
          financement, la commune, le QPV et le réservataire sont repris du logement : l’annonce ne les
          recopie pas.
        </p>
        <div className="field">
          <label htmlFor={`${ids}-cycle`}>Cycle de location</label>
          <select
            id={`${ids}-cycle`}
            value={chosenCycle}
            aria-invalid={problems.cycle ? true : undefined}
            aria-describedby={problems.cycle ? `${ids}-cycle-error` : undefined}
            onChange={(e) => setCycleId(e.target.value)}
          >
            {cycles.length === 0 && <option value="">aucun cycle ouvert</option>}
            {cycles.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} (jusqu’au {frDate(c.closesAt)})
              </option>
            ))}
          </select>
          {problems.cycle && (
            <p className="field-error" id={`${ids}-cycle-error`}>
              {problems.cycle}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-home`}>Logement vacant</label>
          <p className="hint" id={`${ids}-home-hint`}>
            {homes === null
              ? 'Chargement des logements vacants…'
              : `${offered.length} logement${offered.length > 1 ? 's' : ''} vacant${offered.length > 1 ? 's' : ''} de votre bailleur sans annonce en cours${cycleEpci ? ' sur le territoire du cycle' : ''}.`}
          </p>
          <select
            id={`${ids}-home`}
            value={homeId}
            aria-invalid={problems.home ? true : undefined}
            aria-describedby={`${ids}-home-hint${problems.home ? ` ${ids}-home-error` : ''}`}
            onChange={(e) => setHomeId(e.target.value)}
            data-testid="vacant-home"
          >
            <option value="">choisir un logement</option>
            {groupBy(offered, (h) => h.communeName).map(([commune, list]) => (
              <optgroup key={commune} label={commune}>
                {list.map((h) => (
                  <option key={h.id} value={h.id}>
                    {vacantHomeText(h)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {problems.home && (
            <p className="field-error" id={`${ids}-home-error`}>
              {problems.home}
            </p>
          )}
        </div>
        <AdvertTextFields
          ids={ids}
          description={description}
          energyLabel={energyLabel}
          problem={problems.description ?? null}
          onDescription={setDescription}
          onEnergy={setEnergyLabel}
        />
        <PhotoFields
          ids={ids}
          alt={alt}
          problems={problems}
          onFile={setPhoto}
          onAlt={setAlt}
          required={false}
        />
        <label className="radio">
          <input type="checkbox" checked={publish} onChange={(e) => setPublish(e.target.checked)} />
          Publier tout de suite (sinon : brouillon)
        </label>
        <button className="button-primary" type="submit" disabled={busy}>
          Créer l’annonce
        </button>
      </form>
    </section>
  );
}

const vacantHomeText = (h: VacantHome) =>
  `T${h.typology}, ${formatInteger(h.surfaceM2)} m², ${h.residenceName}, ${floorText(h.floor, h.lift)}, ${formatEuros(h.rentEur + h.chargesEur)} par mois (${h.id})`;

function groupBy<T>(items: T[], key: (item: T) => string): [string, T[]][] {
  const by = new Map<string, T[]>();
  for (const item of items) by.set(key(item), [...(by.get(key(item)) ?? []), item]);
  return [...by];
}

function AdvertsSection({ adverts, onSelect }: { adverts: Advert[] | null; onSelect: (id: string) => void }) {
  const ids = useId();
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Annonces</h2>
      {adverts === null ? (
        <p>Chargement…</p>
      ) : adverts.length === 0 ? (
        <p>Aucune annonce.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="adverts-table">
            <caption>
              Annonces, tous statuts : ouvrez-en une pour la modifier, la retirer ou lire ses candidats
            </caption>
            <thead>
              <tr>
                <th scope="col">Logement</th>
                <th scope="col">Cycle</th>
                <th scope="col">Statut</th>
                <th scope="col" className="num">
                  Candidatures en cours
                </th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {adverts.map((a) => {
                const label = `T${a.home.typology} à ${a.home.communeName} (${a.home.id})`;
                return (
                  <tr key={a.id}>
                    <th scope="row">{label}</th>
                    <td>{a.cycle.name}</td>
                    <td>{ADVERT_STATUS[a.status]}</td>
                    <td className="num">{formatInteger(a.activeApplications)}</td>
                    <td>
                      <button
                        type="button"
                        className="button-secondary"
                        onClick={() => onSelect(a.id)}
                        aria-label={`Ouvrir l’annonce ${label}`}
                      >
                        Ouvrir
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AdvertDetail({
  advert,
  landlord,
  openCycles,
  csrf,
  notify,
  onChange,
}: {
  advert: Advert;
  landlord: boolean;
  openCycles: Cycle[];
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const ids = useId();
  const h = advert.home;
  const editable = advertEditable(advert);
  const [description, setDescription] = useState(advert.description);
  const [energyLabel, setEnergyLabel] = useState(advert.energyLabel ?? '');
  const [cycleId, setCycleId] = useState(advert.cycle.id);
  const [problem, setProblem] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonProblem, setReasonProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [applications, setApplications] = useState<Application[] | null>(null);
  const [shortlist, setShortlist] = useState<ShortlistEntry[] | null>(null);

  useEffect(() => {
    if (advert.status === 'closed')
      getJson<{ entries: ShortlistEntry[] }>(`/adverts/${advert.id}/shortlist`)
        .then((r) => setShortlist(r.entries))
        .catch(() => setShortlist([]));
    else
      getJson<{ applications: Application[] }>(`/adverts/${advert.id}/applications`)
        .then((r) => setApplications(r.applications))
        .catch(() => setApplications([]));
  }, [advert]);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      await onChange();
      notify.success(done);
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };

  const save = (publish: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    const p = descriptionProblem(description);
    setProblem(p);
    if (p) {
      document.getElementById(`${ids}-description`)?.focus();
      return;
    }
    void run(
      () =>
        sendJson(
          'PATCH',
          `/adverts/${advert.id}`,
          {
            description: description.trim(),
            energyLabel: energyLabel || null,
            ...(cycleId !== advert.cycle.id ? { cycleId } : {}),
            ...(publish ? { publish: true } : {}),
          },
          csrf,
        ),
      publish ? 'Annonce publiée.' : 'Annonce modifiée.',
    );
  };

  const withdraw = (event: FormEvent) => {
    event.preventDefault();
    const p = reason.trim().length < 5 ? 'Indiquez le motif du retrait (5 caractères au moins).' : null;
    setReasonProblem(p);
    if (p) {
      document.getElementById(`${ids}-reason`)?.focus();
      return;
    }
    void run(
      () => sendJson('POST', `/adverts/${advert.id}/withdraw`, { reason: reason.trim() }, csrf),
      'Annonce retirée ; ses candidatures en cours sont retirées et les demandeurs retrouvent leur place.',
    );
  };

  return (
    <section
      aria-labelledby="advert-detail-title"
      className="card letting-detail"
      data-testid="advert-detail"
    >
      <h2 id="advert-detail-title" tabIndex={-1}>
        Annonce : T{h.typology} de {formatInteger(h.surfaceM2)} m² à {h.communeName} (
        {ADVERT_STATUS[advert.status]})
      </h2>
      <dl className="letting-facts">
        <dt>Logement</dt>
        <dd>
          {h.id}, {h.residenceName}
        </dd>
        <dt>Loyer et charges</dt>
        <dd>
          {formatEuros(h.rentEur)} + {formatEuros(h.chargesEur)} = {formatEuros(h.rentEur + h.chargesEur)} par
          mois
        </dd>
        <dt>Étage</dt>
        <dd>{floorText(h.floor, h.lift)}</dd>
        <dt>Accessibilité</dt>
        <dd>{h.accessible ? 'accessible en fauteuil roulant' : 'non adapté au fauteuil roulant'}</dd>
        <dt>Financement</dt>
        <dd>{h.financing}</dd>
        <dt>QPV</dt>
        <dd>{h.qpv ?? 'non'}</dd>
        <dt>Réservataire</dt>
        <dd>{h.reservationHolderName}</dd>
        <dt>Cycle</dt>
        <dd>
          {advert.cycle.name}, clôture le {frDateTime(advert.cycle.closesAt)}
        </dd>
        {advert.withdrawnReason && (
          <>
            <dt>Motif du retrait</dt>
            <dd>{advert.withdrawnReason}</dd>
          </>
        )}
      </dl>
      {landlord && (advert.status === 'draft' || advert.status === 'published') ? (
        <AdvertPhotosEditor
          advert={advert}
          editable={editable}
          csrf={csrf}
          onDone={async (message) => {
            await onChange();
            notify.success(message);
          }}
          onError={notify.failure}
        />
      ) : (
        <AdvertPhotos advert={advert} />
      )}
      {landlord && editable && (
        <form className="form" onSubmit={save(false)} noValidate aria-labelledby={`${ids}-edit`}>
          <h3 id={`${ids}-edit`}>Modifier</h3>
          <AdvertTextFields
            ids={ids}
            description={description}
            energyLabel={energyLabel}
            problem={problem}
            onDescription={setDescription}
            onEnergy={setEnergyLabel}
          />
          <div className="field">
            <label htmlFor={`${ids}-cycle`}>Cycle de location</label>
            <select id={`${ids}-cycle`} value={cycleId} onChange={(e) => setCycleId(e.target.value)}>
              {!openCycles.some((c) => c.id === advert.cycle.id) && (
                <option value={advert.cycle.id}>{advert.cycle.name}</option>
              )}
              {openCycles.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="letting-actions">
            <button className="button-primary" type="submit" disabled={busy}>
              Enregistrer les modifications
            </button>
            {advert.status === 'draft' && (
              <button className="button-secondary" type="button" disabled={busy} onClick={() => save(true)()}>
                Enregistrer et publier
              </button>
            )}
          </div>
        </form>
      )}
      {landlord && !editable && (advert.status === 'published' || advert.status === 'draft') && (
        <p className="hint">
          Des demandeurs ont candidaté sur la foi de cette annonce : elle ne peut plus être modifiée,
          seulement retirée avec un motif.
        </p>
      )}
      {landlord && (advert.status === 'draft' || advert.status === 'published') && (
        <form className="form" onSubmit={withdraw} noValidate aria-labelledby={`${ids}-withdraw`}>
          <h3 id={`${ids}-withdraw`}>Retirer l’annonce</h3>
          <div className="field">
            <label htmlFor={`${ids}-reason`}>Motif du retrait</label>
            <p className="hint" id={`${ids}-reason-hint`}>
              Les candidatures en cours seront retirées et les demandeurs retrouveront leur place.
            </p>
            <textarea
              id={`${ids}-reason`}
              rows={2}
              value={reason}
              maxLength={1000}
              aria-invalid={reasonProblem ? true : undefined}
              aria-describedby={`${ids}-reason-hint${reasonProblem ? ` ${ids}-reason-error` : ''}`}
              onChange={(e) => setReason(e.target.value)}
            />
            {reasonProblem && (
              <p className="field-error" id={`${ids}-reason-error`}>
                {reasonProblem}
              </p>
            )}
          </div>
          <button className="button-secondary" type="submit" disabled={busy}>
            Retirer l’annonce
          </button>
        </form>
      )}
      <h3>{advert.status === 'closed' ? 'Liste des candidats' : 'Candidatures'}</h3>
      {advert.status === 'closed' ? (
        <ShortlistTable entries={shortlist} />
      ) : (
        <CurrentApplications applications={applications} />
      )}
    </section>
  );
}

function CurrentApplications({ applications }: { applications: Application[] | null }) {
  if (applications === null) return <p>Chargement des candidatures…</p>;
  if (applications.length === 0) return <p>Aucune candidature pour l’instant.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="advert-applications">
        <caption>Candidatures, dans l’ordre qu’aurait la liste si le cycle était clos maintenant</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Rang
            </th>
            <th scope="col">Numéro unique</th>
            <th scope="col">Statut</th>
            <th scope="col">Déposée le</th>
          </tr>
        </thead>
        <tbody>
          {applications.map((a) => (
            <tr key={a.id}>
              <td className="num">{a.rank ?? '—'}</td>
              <th scope="row">
                {a.sneNumber}
                {a.assisted && <div className="muted">candidature assistée</div>}
              </th>
              <td>{a.status === 'active' ? 'en cours' : a.status === 'withdrawn' ? 'retirée' : a.status}</td>
              <td>{frDate(a.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ShortlistTable({ entries }: { entries: ShortlistEntry[] | null }) {
  if (entries === null) return <p>Chargement de la liste…</p>;
  if (entries.length === 0) return <p>Personne n’avait candidaté : la liste est vide.</p>;
  const built = entries[0]!.builtOn;
  return (
    <div className="table-wrap">
      <table data-testid="shortlist-table">
        <caption>
          Liste des candidats établie à la clôture ({frDate(built)}) : les éligibles classés par note de
          cotation puis ancienneté de la demande ; les non éligibles écartés avec la règle non remplie
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Rang
            </th>
            <th scope="col">Numéro unique</th>
            <th scope="col" className="num">
              Note
            </th>
            <th scope="col">Demande enregistrée le</th>
            <th scope="col">Éligibilité</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.sneNumber}>
              <td className="num">{e.rank ?? 'écarté'}</td>
              <th scope="row">{e.sneNumber}</th>
              <td className="num">
                {e.score === null ? 'sans note' : formatInteger(e.score)}
                {e.gridVersion !== null && <div className="muted">grille v{e.gridVersion}</div>}
              </td>
              <td>{frDate(e.registeredOn)}</td>
              <td>
                {e.eligible === true
                  ? 'éligible'
                  : e.eligible === null
                    ? 'à vérifier par la commission'
                    : 'non éligible'}
                {e.excludedReasons.length > 0 && (
                  <ul>
                    {e.excludedReasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AssistedSection({
  adverts,
  csrf,
  notify,
  onChange,
}: {
  adverts: Advert[];
  csrf: string;
  notify: Notify;
  onChange: () => Promise<void>;
}) {
  const ids = useId();
  const published = adverts.filter((a) => a.status === 'published' && a.cycle.status === 'open');
  const [sne, setSne] = useState('');
  const [advertId, setAdvertId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [rows, setRows] = useState<ApplicationRow[] | null>(null);
  const [followed, setFollowed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = published.some((a) => a.id === advertId) ? advertId : (published[0]?.id ?? '');
  const tableRef = useRef<HTMLDivElement>(null);

  const follow = async (number: string) => {
    setRows(await loadApplications(number));
    setFollowed(number);
  };

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const number = sne.trim();
    const p = number ? null : 'Indiquez le numéro unique de la demande.';
    setProblem(p);
    if (p) {
      document.getElementById(`${ids}-sne`)?.focus();
      return;
    }
    if (!chosen) {
      notify.failure(new Error('Aucune annonce publiée dans un cycle ouvert.'));
      return;
    }
    setBusy(true);
    try {
      await sendJson('POST', `/adverts/${chosen}/applications`, { sneNumber: number }, csrf);
      await Promise.all([follow(number), onChange()]);
      notify.success(`Candidature assistée enregistrée pour la demande ${number}.`);
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };

  const lookup = async () => {
    const number = sne.trim();
    if (!number) {
      setProblem('Indiquez le numéro unique de la demande.');
      document.getElementById(`${ids}-sne`)?.focus();
      return;
    }
    setProblem(null);
    try {
      await follow(number);
      tableRef.current?.focus();
    } catch (e) {
      notify.failure(e);
    }
  };

  const withdraw = async (row: ApplicationRow) => {
    setBusy(true);
    try {
      await sendJson('DELETE', `/applications/${row.application.id}`, undefined, csrf);
      await Promise.all([followed ? follow(followed) : null, onChange()]);
      notify.success(`Candidature retirée pour la demande ${row.application.sneNumber}.`);
    } catch (e) {
      notify.failure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Candidature assistée</h2>
      <p>
        Pour un demandeur sans accès à internet : la candidature est faite en son nom, marquée « assistée » et
        inscrite au journal avec votre nom.
      </p>
      <form className="form card" onSubmit={apply} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-sne`}>Numéro unique de la demande</label>
          <input
            id={`${ids}-sne`}
            value={sne}
            maxLength={40}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${ids}-sne-error` : undefined}
            onChange={(e) => setSne(e.target.value)}
          />
          {problem && (
            <p className="field-error" id={`${ids}-sne-error`}>
              {problem}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-advert`}>Annonce</label>
          <select id={`${ids}-advert`} value={chosen} onChange={(e) => setAdvertId(e.target.value)}>
            {published.length === 0 && <option value="">aucune annonce publiée</option>}
            {published.map((a) => (
              <option key={a.id} value={a.id}>
                T{a.home.typology} à {a.home.communeName} ({a.home.id}), {a.cycle.name}
              </option>
            ))}
          </select>
        </div>
        <div className="letting-actions">
          <button className="button-primary" type="submit" disabled={busy}>
            Candidater pour ce demandeur
          </button>
          <button className="button-secondary" type="button" onClick={() => void lookup()}>
            Voir ses candidatures
          </button>
        </div>
      </form>
      {rows && followed && (
        <div ref={tableRef} tabIndex={-1} className="letting-followed">
          <ApplicationsTable
            rows={rows}
            busy={busy}
            onWithdraw={(r) => void withdraw(r)}
            caption={`Candidatures de la demande ${followed}`}
          />
        </div>
      )}
    </section>
  );
}
