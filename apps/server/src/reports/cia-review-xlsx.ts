import type { ciaReviewReport, Db } from '@mosaique/db';
import { CIA_SETTINGS, type ReviewBreakdownRow, type TargetOutcome } from '@mosaique/domain/review';
import { valueOn } from '@mosaique/domain/shared/dated.ts';
import ExcelJS from 'exceljs';

type ReviewReport = Awaited<ReturnType<typeof ciaReviewReport>>;

/** Number formats of the cells: the values stay numbers (shares between 0 and 1), only shown this way. */
const PERCENT = '0.0 %';
const INTEGER = '# ##0';
const EUROS = '# ##0 €';

/** A column of a sheet: its French header, width and number format. */
interface Column {
  header: string;
  width: number;
  numFmt?: string;
}

/** Names of the sheets, in order (tests and the documentation refer to them). */
export const XLSX_SHEETS = {
  targets: 'Objectifs',
  byLandlord: 'Par bailleur',
  byReservationHolder: 'Par réservataire',
  byCommune: 'Par commune',
  byTypology: 'Par typologie',
  trend: 'Tendance',
  projection: 'Projection',
  threshold: 'Seuil',
  sources: 'Sources',
} as const;

/** Headers of the target sheet; one row per target (the priority target once per reservation holder). */
export const TARGET_COLUMNS: readonly Column[] = [
  { header: 'Objectif', width: 46 },
  { header: 'Réservataire', width: 30 },
  { header: 'Baux', width: 10, numFmt: INTEGER },
  { header: 'Ménages concernés', width: 18, numFmt: INTEGER },
  { header: 'Part atteinte', width: 14, numFmt: PERCENT },
  { header: 'Objectif (part)', width: 14, numFmt: PERCENT },
  { header: 'Objectif atteint', width: 15 },
  { header: 'Écart (ménages manquants)', width: 24, numFmt: INTEGER },
];

const outcomeColumns = (prefix: string, qualifying: string): Column[] => [
  { header: `${prefix} : baux`, width: 14, numFmt: INTEGER },
  { header: `${prefix} : ${qualifying}`, width: 22, numFmt: INTEGER },
  { header: `${prefix} : part`, width: 14, numFmt: PERCENT },
  { header: `${prefix} : objectif`, width: 14, numFmt: PERCENT },
  { header: `${prefix} : ménages manquants`, width: 20, numFmt: INTEGER },
];

/** Headers of the breakdown sheets: the key, its name, then the three targets. */
export const BREAKDOWN_COLUMNS: readonly Column[] = [
  { header: 'Code', width: 16 },
  { header: 'Libellé', width: 34 },
  ...outcomeColumns('Hors QPV', 'premier quartile ou relogés'),
  ...outcomeColumns('En QPV', 'autres quartiles'),
  ...outcomeColumns('Tous baux', 'publics prioritaires'),
];

const yesNo = (b: boolean) => (b ? 'oui' : 'non');

const outcomeCells = (o: TargetOutcome) => [o.leases, o.qualifying, o.share, o.target, o.missingHouseholds];

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: readonly Column[], rows: unknown[][]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  // Empty cells stay empty (a share without leases is not 0 %).
  for (const row of rows) sheet.addRow(row.map((v) => (v === null || v === undefined ? null : v)));
  return sheet;
}

/**
 * The annual CIA review as a workbook (`GET …/cia-review.xlsx`, `mosaique review --xlsx`): one sheet
 * per part of the review, numbers as numbers (shares between 0 and 1 shown as percentages), French
 * headers, header rows frozen. Every figure is the JSON review's (a test reads the file back).
 */
export async function ciaReviewXlsx(
  report: ReviewReport,
  epciName: string,
  generated: boolean,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mosaïque';
  workbook.title = `Bilan de la CIA — ${epciName}, ${report.year}`;
  // A fixed date: the same review gives the same workbook.
  workbook.created = new Date(`${report.until}T00:00:00Z`);
  workbook.modified = workbook.created;
  const label = (key: string) => report.labels[key] ?? key;

  addSheet(workbook, XLSX_SHEETS.targets, TARGET_COLUMNS, [
    [
      'Hors QPV : premier quartile ou relogés par le renouvellement urbain',
      null,
      ...targetCells(report.outsideQpv),
    ],
    ['En QPV : ménages des autres quartiles', null, ...targetCells(report.insideQpv)],
    ...report.priorityByReservationHolder.map((r) => [
      'Publics prioritaires (DALO ou L441-1)',
      label(r.reservationHolder),
      ...targetCells(r),
    ]),
  ]);

  for (const [sheet, rows] of [
    [XLSX_SHEETS.byLandlord, report.byLandlord],
    [XLSX_SHEETS.byReservationHolder, report.byReservationHolder],
    [XLSX_SHEETS.byCommune, report.byCommune],
    [XLSX_SHEETS.byTypology, report.byTypology],
  ] as const) {
    addSheet(
      workbook,
      sheet,
      BREAKDOWN_COLUMNS,
      rows.map((r: ReviewBreakdownRow) => [
        r.key,
        label(r.key),
        ...outcomeCells(r.outsideQpv),
        ...outcomeCells(r.insideQpv),
        ...outcomeCells(r.priority),
      ]),
    );
  }

  addSheet(
    workbook,
    XLSX_SHEETS.trend,
    [
      { header: 'Année', width: 10 },
      { header: 'Baux signés', width: 14, numFmt: INTEGER },
      { header: 'Hors QPV : part premier quartile ou relogés', width: 26, numFmt: PERCENT },
      { header: 'En QPV : part autres quartiles', width: 26, numFmt: PERCENT },
    ],
    report.trend.map((t) => [t.year, t.leases, t.outsideQpvShare, t.insideQpvShare]),
  );

  const projection = report.projection;
  const projectionSheet = addSheet(
    workbook,
    XLSX_SHEETS.projection,
    [{ header: 'Projection au 31 décembre', width: 46 }, ...TARGET_COLUMNS.slice(2)],
    projection
      ? [
          ['Hors QPV : premier quartile ou relogés', ...targetCells(projection.outsideQpv)],
          ['En QPV : ménages des autres quartiles', ...targetCells(projection.insideQpv)],
        ]
      : [],
  );
  projectionSheet.addRow([]);
  if (projection) {
    const row = projectionSheet.addRow(['Part de l’année écoulée', projection.yearElapsed]);
    row.getCell(2).numFmt = PERCENT;
    projectionSheet.addRow([
      'Méthode : baux et ménages concernés de l’année à date, rapportés à l’année entière au rythme actuel.',
    ]);
  } else {
    projectionSheet.addRow([
      `Bilan de l’année entière (baux signés jusqu’au ${report.until}) : pas de projection.`,
    ]);
  }

  const t = report.threshold;
  const thresholdSheet = addSheet(
    workbook,
    XLSX_SHEETS.threshold,
    [
      { header: 'Seuil du premier quartile', width: 46 },
      { header: 'Valeur', width: 30 },
    ],
    [
      ['Seuil utilisé (€ par unité de consommation et par an)', t.used],
      [
        'Origine du seuil utilisé',
        t.origin === 'official'
          ? 'officiel (arrêté ministériel)'
          : t.origin === 'computed'
            ? 'calculé (demandes actives au 31 décembre précédent)'
            : 'non connu',
      ],
      ['Seuil calculé à partir du registre (€/UC/an)', t.computed],
      ['Seuil officiel enregistré (€/UC/an)', t.official],
    ],
  );
  for (const r of [2, 4, 5]) thresholdSheet.getRow(r).getCell(2).numFmt = EUROS;

  const settingsSource = valueOn('objectifs de la CIA', CIA_SETTINGS, report.until).source;
  addSheet(
    workbook,
    XLSX_SHEETS.sources,
    [
      { header: 'Élément', width: 34 },
      { header: 'Valeur', width: 100 },
    ],
    [
      ['EPCI', `${epciName} (SIREN ${report.epci})`],
      ['Année', report.year],
      ['Baux signés jusqu’au', report.until],
      ['Baux comptés', report.leases],
      ['Objectifs', settingsSource],
      ['Mutations comptées', yesNo(report.settings.countTransfers)],
      [
        'Méthode',
        'Seuls les baux signés comptent (CCH L441-1). Un ménage relogé par le renouvellement urbain et logé hors QPV compte une fois. Écart : plus petit nombre de ménages qui auraient fait atteindre l’objectif.',
      ],
      [
        'Recalcul',
        `Baux signés de l’année : GET /api/v1/territories/${report.epci}/lettings.csv?year=${report.year} ou mosaique export lettings`,
      ],
      [
        'Données',
        generated
          ? 'Population de démonstration générée (ménages, demandes et baux ne décrivent personne), calibrée sur INSEE Filosofi 2018 ; territoire INSEE/DGCL, IGN, ANCT (Licence Ouverte 2.0)'
          : 'Baux signés enregistrés dans Mosaïque par les bailleurs',
      ],
      ['Produit par', 'Mosaïque (AGPL-3.0-or-later)'],
    ],
  );

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Name of the EPCI and whether its data are the generated demo population (said in the PDF and the XLSX). */
export async function reviewEpci(db: Db, code: string): Promise<{ name: string; generated: boolean }> {
  const [epci] = await db.query<{ name: string; generated: boolean }>(
    `SELECT e.name, EXISTS (SELECT 1 FROM dataset d WHERE d.epci_code = e.code AND d.generated) AS generated
     FROM epci e WHERE e.code = $1`,
    [code],
  );
  return epci ?? { name: code, generated: false };
}

function targetCells(o: TargetOutcome): unknown[] {
  return [o.leases, o.qualifying, o.share, o.target, yesNo(o.met), o.missingHouseholds];
}
