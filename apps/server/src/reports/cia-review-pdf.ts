import type { ciaReviewReport } from '@mosaique/db';
import type { ReviewBreakdownRow, TargetOutcome } from '@mosaique/domain/review';
import { Report } from './pdf.ts';

type ReviewReport = Awaited<ReturnType<typeof ciaReviewReport>>;

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1).replace('.', ',')} %`);
const frDate = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' });
const gap = (o: TargetOutcome) =>
  o.missingHouseholds > 0 ? `${integer.format(o.missingHouseholds)} manquants` : 'atteint';

/**
 * The annual CIA review as the document an EPCI puts before its intercommunal conference (CIL):
 * the three targets of CCH L441-1 with the gap in households, the breakdowns, the trend.
 */
export async function ciaReviewPdf(
  report: ReviewReport,
  epciName: string,
  generated: boolean,
): Promise<Buffer> {
  const until = frDate(report.until);
  const doc = new Report(
    `Bilan de la convention intercommunale d’attribution — ${epciName}, ${report.year}`,
    `Mosaïque — bilan CIA ${report.epci} ${report.year}, baux signés jusqu’au ${until}${generated ? ' — données de démonstration générées' : ''}`,
  );
  doc.paragraph(
    `Baux signés du 1er janvier au ${until} : ${integer.format(report.leases)}. Seuil du premier quartile : ${
      report.threshold.used === null
        ? 'non connu'
        : `${integer.format(report.threshold.used)} € par unité de consommation et par an`
    } (${report.threshold.origin === 'official' ? 'valeur de l’arrêté ministériel' : 'calculé à partir des demandes actives au 31 décembre précédent'}).`,
  );
  if (generated) {
    doc.paragraph(
      'Ce bilan porte sur la population de démonstration de Mosaïque : les ménages, demandes et baux sont générés et ne décrivent personne.',
      { muted: true },
    );
  }
  doc.heading('Objectifs de l’article L441-1 du code de la construction et de l’habitation');
  doc.bars([
    { label: 'Hors QPV : premier quartile ou relogés (objectif 25 %)', ...bar(report.outsideQpv) },
    { label: 'En QPV : autres quartiles (objectif 50 %)', ...bar(report.insideQpv) },
  ]);
  doc.table(
    [
      { header: 'Objectif', width: 0.34 },
      { header: 'Baux', width: 0.12, align: 'right' },
      { header: 'Ménages concernés', width: 0.16, align: 'right' },
      { header: 'Part', width: 0.12, align: 'right' },
      { header: 'Objectif', width: 0.1, align: 'right' },
      { header: 'Écart', width: 0.16, align: 'right' },
    ],
    [
      targetRow('Hors QPV : premier quartile ou relogés', report.outsideQpv),
      targetRow('En QPV : autres quartiles', report.insideQpv),
    ],
  );
  if (report.projection) {
    doc.paragraph(
      `Projection au 31 décembre au rythme actuel (${pct(report.projection.yearElapsed)} de l’année écoulée) : hors QPV ${pct(report.projection.outsideQpv.share)}, en QPV ${pct(report.projection.insideQpv.share)}.`,
    );
  }
  doc.heading('Publics prioritaires par réservataire (objectif 25 %)');
  doc.table(
    [
      { header: 'Réservataire', width: 0.34 },
      { header: 'Baux', width: 0.12, align: 'right' },
      { header: 'Prioritaires', width: 0.16, align: 'right' },
      { header: 'Part', width: 0.12, align: 'right' },
      { header: 'Objectif', width: 0.1, align: 'right' },
      { header: 'Écart', width: 0.16, align: 'right' },
    ],
    report.priorityByReservationHolder.map((r) =>
      targetRow(report.labels[r.reservationHolder] ?? r.reservationHolder, r),
    ),
  );
  for (const [title, rows] of [
    ['Par bailleur', report.byLandlord],
    ['Par commune', report.byCommune],
    ['Par typologie', report.byTypology],
  ] as const) {
    doc.heading(title);
    doc.table(
      [
        { header: title.replace('Par ', ''), width: 0.22 },
        { header: 'Baux hors QPV', width: 0.13, align: 'right' },
        { header: 'Q1 ou relogés', width: 0.17, align: 'right' },
        { header: 'Baux en QPV', width: 0.13, align: 'right' },
        { header: 'Autres quartiles', width: 0.17, align: 'right' },
        { header: 'Prioritaires', width: 0.18, align: 'right' },
      ],
      rows.map((r) => breakdownRow(r, report.labels)),
    );
  }
  doc.heading('Tendance');
  doc.table(
    [
      { header: 'Année', width: 0.2 },
      { header: 'Baux', width: 0.2, align: 'right' },
      { header: 'Hors QPV : Q1 ou relogés', width: 0.3, align: 'right' },
      { header: 'En QPV : autres quartiles', width: 0.3, align: 'right' },
    ],
    report.trend.map((t) => [
      String(t.year),
      integer.format(t.leases),
      pct(t.outsideQpvShare),
      pct(t.insideQpvShare),
    ]),
  );
  doc.paragraph(
    'Méthode : seuls les baux signés comptent (CCH L441-1). Un ménage relogé par le renouvellement urbain et logé hors QPV compte une fois. Le recalcul est possible à partir de l’export des baux (mosaique export lettings).',
    { muted: true },
  );
  return doc.end();
}

function bar(o: TargetOutcome) {
  return { share: o.share ?? 0, target: o.target, met: o.met, caption: `${pct(o.share)} (${gap(o)})` };
}

function targetRow(label: string, o: TargetOutcome): string[] {
  return [label, integer.format(o.leases), integer.format(o.qualifying), pct(o.share), pct(o.target), gap(o)];
}

function breakdownRow(r: ReviewBreakdownRow, labels: Record<string, string>): string[] {
  return [
    labels[r.key] ?? r.key,
    integer.format(r.outsideQpv.leases),
    `${pct(r.outsideQpv.share)}${r.outsideQpv.missingHouseholds ? ` (−${r.outsideQpv.missingHouseholds})` : ''}`,
    integer.format(r.insideQpv.leases),
    `${pct(r.insideQpv.share)}${r.insideQpv.missingHouseholds ? ` (−${r.insideQpv.missingHouseholds})` : ''}`,
    pct(r.priority.share),
  ];
}
