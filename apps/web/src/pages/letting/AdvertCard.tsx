import { formatEuros, formatInteger } from '../../lib/format.ts';
import { floorText, frDateTime } from './letting-lib.ts';
import type { Advert } from './types.ts';
import { ChanceText } from './ui.tsx';

/** One advert: the home, its cycle and, for a signed-in applicant, eligibility, chance and actions. */
export function AdvertCard({
  advert,
  applicant,
  busy,
  onApply,
  onWithdraw,
}: {
  advert: Advert;
  applicant: boolean;
  busy: boolean;
  onApply: (advert: Advert) => void;
  onWithdraw: (advert: Advert) => void;
}) {
  const h = advert.home;
  const titleId = `advert-${advert.id}-title`;
  const eligibility = advert.eligibility;
  const applied = Boolean(advert.myApplicationId);
  const open = advert.status === 'published' && advert.cycle.status === 'open';
  return (
    <article
      className="card letting-advert"
      aria-labelledby={titleId}
      data-testid="advert-card"
      id={`annonce-${advert.id}`}
      tabIndex={-1}
    >
      <h3 id={titleId}>
        T{h.typology} de {formatInteger(h.surfaceM2)} m² à {h.communeName}
      </h3>
      <AdvertPhotos advert={advert} />
      <p className="letting-rent">
        <strong>{formatEuros(h.rentEur + h.chargesEur)} par mois</strong>{' '}
        <span className="muted">
          (loyer {formatEuros(h.rentEur)} + charges {formatEuros(h.chargesEur)})
        </span>
      </p>
      <dl className="letting-facts">
        <dt>Étage</dt>
        <dd>{floorText(h.floor, h.lift)}</dd>
        <dt>Accessibilité</dt>
        <dd>{h.accessible ? 'accessible en fauteuil roulant' : 'non adapté au fauteuil roulant'}</dd>
        <dt>Étiquette énergie</dt>
        <dd>{advert.energyLabel ?? 'non renseignée'}</dd>
        <dt>Quartier prioritaire (QPV)</dt>
        <dd>{h.qpv ? 'oui' : 'non'}</dd>
        <dt>Résidence</dt>
        <dd>
          {h.residenceName} ({advert.landlordName})
        </dd>
        <dt>Financement</dt>
        <dd>{h.financing}</dd>
        <dt>Candidatures jusqu’au</dt>
        <dd>{frDateTime(advert.cycle.closesAt)}</dd>
        <dt>Cycle</dt>
        <dd>
          {advert.cycle.name} ({advert.cycle.maxActiveApplications} candidature
          {advert.cycle.maxActiveApplications > 1 ? 's' : ''} en cours au plus par demandeur)
        </dd>
      </dl>
      <p className="letting-description">{advert.description}</p>
      {eligibility && (
        <div
          className={`letting-eligibility letting-eligibility-${eligibility.eligible === false ? 'no' : eligibility.eligible === null ? 'unknown' : 'yes'}`}
        >
          <p>
            <strong>
              {eligibility.eligible === false
                ? 'Vous n’êtes pas éligible à ce logement'
                : eligibility.eligible === null
                  ? 'Éligibilité à vérifier'
                  : 'Vous êtes éligible à ce logement'}
            </strong>
            {eligibility.reasons.length > 0 && ' :'}
          </p>
          {eligibility.reasons.length > 0 && (
            <ul data-testid="ineligibility-reasons">
              {eligibility.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {applicant && advert.chance && (
        <p data-testid="chance">
          <ChanceText chance={advert.chance} ifApplying={!applied} />
        </p>
      )}
      {applicant && (
        <div className="letting-actions">
          {applied ? (
            <>
              <span className="badge">Vous avez candidaté</span>
              <button
                type="button"
                className="button-secondary"
                disabled={busy}
                onClick={() => onWithdraw(advert)}
                aria-describedby={titleId}
              >
                Retirer ma candidature
              </button>
            </>
          ) : (
            open &&
            eligibility?.eligible !== false && (
              <button
                type="button"
                className="button-primary"
                disabled={busy}
                onClick={() => onApply(advert)}
                aria-describedby={titleId}
              >
                Candidater
              </button>
            )
          )}
        </div>
      )}
    </article>
  );
}

/** The advert's photos as thumbnails, each a link to the larger image; the alternative text is the landlord's. */
export function AdvertPhotos({ advert }: { advert: Pick<Advert, 'id' | 'photos'> }) {
  if (!advert.photos?.length) return null;
  return (
    <ul className="letting-photos" aria-label="Photos du logement">
      {advert.photos.map((p) => (
        <li key={p.id}>
          <a href={`/api/v1/adverts/${advert.id}/photos/${p.id}/large`}>
            <img
              src={`/api/v1/adverts/${advert.id}/photos/${p.id}/thumb`}
              alt={p.altText}
              width={p.thumbnailWidth}
              height={p.thumbnailHeight}
              loading="lazy"
              decoding="async"
              data-testid="advert-photo"
            />
          </a>
        </li>
      ))}
    </ul>
  );
}
