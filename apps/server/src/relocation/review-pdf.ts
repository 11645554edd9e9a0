import { exportedFile, type StoredFile, type StoredOperation } from '@mosaique/db';
import {
  FILE_STAGE_LABELS,
  REFUSAL_REASON_LABELS,
  REFUSAL_REASONS,
  type Share,
  trajectoryIndicators,
} from '@mosaique/domain/relocation';
import { Report } from '../reports/pdf.ts';

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1).replace('.', ',')} %`);
const eur = (x: number | null) => (x === null ? '—' : `${decimal.format(x)} €`);
const signed = (x: number | null, unit: string) =>
  x === null ? '—' : `${x > 0 ? '+' : ''}${decimal.format(x)} ${unit}`;
const frDate = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' });
const shareText = (s: Share) => `${pct(s.share)} (${integer.format(s.count)} sur ${integer.format(s.of)})`;

/**
 * The relocation review of an operation, as put before the project's steering committee: calendar,
 * progress by stage, trajectory indicators against the first national programme's results, refusals.
 */
export async function relocationReviewPdf(
  op: StoredOperation,
  files: readonly StoredFile[],
  today: string,
): Promise<Buffer> {
  const exported = files.map(exportedFile);
  const ind = trajectoryIndicators(exported);
  const doc = new Report(
    `Bilan du relogement — ${op.name}`,
    `Mosaïque — bilan du relogement, ${op.qpvName} (${op.qpv}), au ${frDate(today)}${op.generated ? ' — données de démonstration générées' : ''}`,
  );
  doc.paragraph(
    `Quartier prioritaire ${op.qpvName} (${op.qpv}), bailleur ${op.landlordName}. Bâtiments : ${op.residences
      .map((r) => `${r.name} (${r.commune})`)
      .join(
        ', ',
      )}. Ménages à reloger : ${integer.format(ind.households)}, relogés : ${integer.format(ind.rehoused)}.`,
  );
  if (op.generated)
    doc.paragraph(
      'Opération fictive de la démonstration de Mosaïque : les ménages, logements et baux sont générés et ne décrivent personne.',
      { muted: true },
    );
  doc.heading('Calendrier');
  doc.table(
    [
      { header: 'Date', width: 0.2 },
      { header: 'Étape', width: 0.8 },
    ],
    op.milestones.map((m) => [frDate(m.date), `${m.label}${m.date > today ? ' (prévue)' : ''}`]),
  );
  doc.heading('Avancement des dossiers');
  const stages = Object.entries(FILE_STAGE_LABELS).map(([stage, label]) => [
    label,
    integer.format(exported.filter((f) => f.stage === stage).length),
  ]);
  doc.table(
    [
      { header: 'Stade', width: 0.7 },
      { header: 'Ménages', width: 0.3, align: 'right' },
    ],
    stages,
  );
  doc.heading('Trajectoires des ménages relogés');
  doc.bars([
    {
      label: 'Relogés hors site (résultat national : 52 %)',
      share: ind.offSite.share ?? 0,
      target: ind.national.offSiteShare,
      met: (ind.offSite.share ?? 0) >= ind.national.offSiteShare,
      caption: shareText(ind.offSite),
    },
    {
      label: 'Dans un logement neuf ou récent, moins de 5 ans (résultat national : 33 %)',
      share: ind.newOrRecent.share ?? 0,
      target: ind.national.newOrRecentShare,
      met: (ind.newOrRecent.share ?? 0) >= ind.national.newOrRecentShare,
      caption: shareText(ind.newOrRecent),
    },
  ]);
  doc.table(
    [
      { header: 'Indicateur', width: 0.6 },
      { header: 'Valeur', width: 0.4, align: 'right' },
    ],
    [
      ['Relogés hors QPV', shareText(ind.outsideQpv)],
      ['Relogés hors site (hors du QPV de l’opération)', shareText(ind.offSite)],
      ['Relogés dans un logement neuf ou récent (< 5 ans)', shareText(ind.newOrRecent)],
      [
        `Reste à charge mensuel (loyer + charges - aide au logement), ${ind.residualRent.households} ménages`,
        `avant ${eur(ind.residualRent.meanBeforeEur)}, après ${eur(ind.residualRent.meanAfterEur)} (médiane de l’écart ${signed(ind.residualRent.medianChangeEur, '€')})`,
      ],
      [
        'Surface par personne (moyenne)',
        ind.surfacePerPerson.meanBeforeM2 === null
          ? '—'
          : `avant ${decimal.format(ind.surfacePerPerson.meanBeforeM2)}, après ${decimal.format(ind.surfacePerPerson.meanAfterM2!)} m² (${signed(ind.surfacePerPerson.meanChangeM2, 'm²')})`,
      ],
      [
        'Délai du premier entretien au bail (médiane)',
        ind.daysToLease.median === null ? '—' : `${integer.format(ind.daysToLease.median)} jours`,
      ],
      [
        'Propositions par ménage relogé',
        ind.proposals.perRehousedHousehold === null
          ? '—'
          : decimal.format(ind.proposals.perRehousedHousehold),
      ],
    ],
  );
  doc.paragraph(`Comparaison : ${ind.national.programme}. Source : ${ind.national.source}.`, { muted: true });
  doc.heading(`Refus de propositions (${integer.format(ind.refusals.total)})`);
  doc.table(
    [
      { header: 'Motif', width: 0.7 },
      { header: 'Refus', width: 0.3, align: 'right' },
    ],
    REFUSAL_REASONS.map((r) => [REFUSAL_REASON_LABELS[r], integer.format(ind.refusals.byReason[r])]),
  );
  return doc.end();
}
