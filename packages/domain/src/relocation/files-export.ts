import { csvLine, parseCsv } from '../shared/csv.ts';
import type { TrajectoryFile } from './indicators.ts';
import {
  type FileStage,
  type ProposalResponse,
  REFUSAL_REASONS,
  type RefusalReason,
  type RelocationConstraints,
  type RelocationWishes,
} from './types.ts';

/**
 * The relocation files of an operation as CSV, one row per household, without any free-text note
 * (diagnosis and follow-up notes stay in the application): enough to recompute every trajectory
 * indicator (`trajectoryFilesFromCsv` then `trajectoryIndicators`).
 */
export interface ExportedFile extends TrajectoryFile {
  fileId: string;
  householdId: string;
  sneNumber: string | null;
  stage: FileStage;
  originHomeId: string;
  wishes: RelocationWishes;
  constraints: RelocationConstraints;
  newHomeId: string | null;
}

export const FILES_COLUMNS = [
  'file_id',
  'operation_id',
  'household_id',
  'sne_number',
  'stage',
  'site_qpv',
  'persons',
  'first_interview_on',
  'origin_home_id',
  'origin_surface_m2',
  'origin_rent_eur',
  'origin_charges_eur',
  'origin_housing_benefit_eur',
  'wished_communes',
  'wished_typologies',
  'wished_max_floor_without_lift',
  'wished_age',
  'wished_max_rent_with_charges_eur',
  'constraint_work_communes',
  'constraint_school_communes',
  'constraint_health_care',
  'constraint_wheelchair_access',
  'constraint_reduced_mobility',
  'proposals',
  'proposal_responses',
  'lease_signed_on',
  'new_home_id',
  'new_qpv',
  'new_construction_year',
  'new_surface_m2',
  'new_rent_eur',
  'new_charges_eur',
  'new_housing_benefit_eur',
] as const;

const list = (xs: readonly (string | number)[]) => xs.join(';');
/** A proposal's answer as exported: `pending`, `accepted`, or `refused:<reason>`. */
const response = (p: TrajectoryFile['proposals'][number]) =>
  p.response === 'refused' ? `refused:${p.refusalReason ?? 'other'}` : p.response;

export function filesCsv(files: readonly ExportedFile[]): string {
  const lines = [csvLine([...FILES_COLUMNS])];
  for (const f of files) {
    const r = f.rehousing;
    lines.push(
      csvLine([
        f.fileId,
        f.operationId,
        f.householdId,
        f.sneNumber,
        f.stage,
        f.siteQpv,
        f.persons,
        f.firstInterviewOn,
        f.originHomeId,
        f.origin.surfaceM2,
        f.origin.rentEur,
        f.origin.chargesEur,
        f.origin.housingBenefitEur,
        list(f.wishes.communes),
        list(f.wishes.typologies),
        f.wishes.maxFloorWithoutLift,
        f.wishes.age,
        f.wishes.maxRentWithChargesEur,
        list(f.constraints.workCommunes),
        list(f.constraints.schoolCommunes),
        f.constraints.healthCare,
        f.constraints.wheelchairAccess,
        f.constraints.reducedMobility,
        f.proposals.length,
        list(f.proposals.map(response)),
        r?.signedOn ?? null,
        f.newHomeId,
        r?.qpv ?? null,
        r?.constructionYear ?? null,
        r?.surfaceM2 ?? null,
        r?.rentEur ?? null,
        r?.chargesEur ?? null,
        r?.housingBenefitEur ?? null,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Reads files.csv back into what the indicators need (throws naming the line and column on a bad value). */
export function trajectoryFilesFromCsv(text: string): TrajectoryFile[] {
  const [header, ...records] = parseCsv(text);
  if (!header) return [];
  const at = (name: (typeof FILES_COLUMNS)[number]) => {
    const i = header.fields.indexOf(name);
    if (i < 0) throw new Error(`colonne ${name} absente`);
    return i;
  };
  return records.map(({ line, fields }) => {
    const text = (name: (typeof FILES_COLUMNS)[number]) => fields[at(name)] ?? '';
    const num = (name: (typeof FILES_COLUMNS)[number]) => {
      const v = Number(text(name));
      if (text(name) === '' || !Number.isFinite(v))
        throw new Error(`ligne ${line}, ${name} : nombre attendu`);
      return v;
    };
    const optNum = (name: (typeof FILES_COLUMNS)[number]) => (text(name) === '' ? null : num(name));
    const proposals = text('proposal_responses')
      .split(';')
      .filter((s) => s !== '')
      .map((s) => {
        const [resp, reason] = s.split(':') as [ProposalResponse, string | undefined];
        if (reason !== undefined && !REFUSAL_REASONS.includes(reason as RefusalReason))
          throw new Error(`ligne ${line}, proposal_responses : motif ${reason} inconnu`);
        return { response: resp, refusalReason: (reason as RefusalReason | undefined) ?? null };
      });
    const signedOn = text('lease_signed_on');
    return {
      operationId: text('operation_id'),
      siteQpv: text('site_qpv'),
      persons: num('persons'),
      firstInterviewOn: text('first_interview_on') || null,
      origin: {
        surfaceM2: num('origin_surface_m2'),
        rentEur: num('origin_rent_eur'),
        chargesEur: num('origin_charges_eur'),
        housingBenefitEur: optNum('origin_housing_benefit_eur'),
      },
      proposals,
      rehousing: signedOn
        ? {
            signedOn,
            qpv: text('new_qpv') || null,
            constructionYear: num('new_construction_year'),
            surfaceM2: num('new_surface_m2'),
            rentEur: num('new_rent_eur'),
            chargesEur: num('new_charges_eur'),
            housingBenefitEur: optNum('new_housing_benefit_eur'),
          }
        : null,
    };
  });
}
