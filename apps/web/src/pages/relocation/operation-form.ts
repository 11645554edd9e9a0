/**
 * The form creating an urban-renewal operation (POST /relocation/operations): its state, its problems
 * in French by field, and the body sent. Pure, unit-tested (apps/web/test/relocation.test.ts).
 */

export interface StockResidence {
  id: string;
  name: string;
  communeName: string;
  landlordId: string;
  landlordName: string;
  homes: number;
  households: number;
  operationName: string | null;
}

/** GET /relocation/stock?epci= */
export interface RelocationStock {
  qpvs: { code: string; name: string; residences: StockResidence[] }[];
  officers: { id: string; identifier: string; displayName: string }[];
}

export interface OperationForm {
  name: string;
  kind: 'demolition' | 'restructuring';
  qpv: string;
  landlordId: string;
  residenceIds: string[];
  milestones: { label: string; date: string }[];
  officers: string[];
}

export type OperationField = 'name' | 'qpv' | 'landlordId' | 'residenceIds' | 'milestones';
export type OperationProblems = Partial<Record<OperationField, string>>;

export const OPERATION_FIELDS: readonly OperationField[] = [
  'name',
  'qpv',
  'landlordId',
  'residenceIds',
  'milestones',
];

export function emptyOperationForm(): OperationForm {
  return {
    name: '',
    kind: 'demolition',
    qpv: '',
    landlordId: '',
    residenceIds: [],
    milestones: [{ label: '', date: '' }],
    officers: [],
  };
}

/** The landlords owning buildings in the QPV, each once, by name. */
export function landlordsOfQpv(stock: RelocationStock, qpv: string): { id: string; name: string }[] {
  const residences = stock.qpvs.find((q) => q.code === qpv)?.residences ?? [];
  const byId = new Map(residences.map((r) => [r.landlordId, r.landlordName]));
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** The buildings an operation of this QPV and landlord may concern. */
export function residencesOf(stock: RelocationStock, qpv: string, landlordId: string): StockResidence[] {
  return (stock.qpvs.find((q) => q.code === qpv)?.residences ?? []).filter(
    (r) => r.landlordId === landlordId,
  );
}

const isDate = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d);

/** The calendar rows kept: those with a label or a date (blank rows are ignored). */
const filledMilestones = (form: OperationForm) =>
  form.milestones.filter((m) => m.label.trim() !== '' || m.date !== '');

/** Problems of the form, by field, in French naming the field and the rule (empty when it can be sent). */
export function operationFormProblems(form: OperationForm, stock: RelocationStock): OperationProblems {
  const problems: OperationProblems = {};
  const name = form.name.trim();
  if (name.length < 3) problems.name = 'Nom de l’opération : 3 caractères au moins';
  else if (name.length > 200) problems.name = 'Nom de l’opération : 200 caractères au plus';
  if (!stock.qpvs.some((q) => q.code === form.qpv))
    problems.qpv = 'Quartier prioritaire : choisissez un QPV du territoire';
  else if (!landlordsOfQpv(stock, form.qpv).some((l) => l.id === form.landlordId))
    problems.landlordId = 'Bailleur : choisissez un bailleur possédant des bâtiments dans ce quartier';
  if (!problems.qpv && !problems.landlordId) {
    const open = new Map(residencesOf(stock, form.qpv, form.landlordId).map((r) => [r.id, r]));
    const chosen = form.residenceIds.filter((id) => open.has(id));
    const taken = chosen.map((id) => open.get(id)!).filter((r) => r.operationName !== null);
    if (chosen.length === 0)
      problems.residenceIds = 'Bâtiments concernés : cochez au moins un bâtiment du quartier et du bailleur';
    else if (taken.length)
      problems.residenceIds = `Bâtiments concernés : ${taken.map((r) => r.name).join(', ')} déjà concerné(s) par une autre opération`;
  }
  const rows = form.milestones
    .map((m, i) => ({ ...m, n: i + 1 }))
    .filter((m) => m.label.trim() !== '' || m.date !== '');
  const badLabel = rows.find((m) => m.label.trim().length < 3);
  const badDate = rows.find((m) => !isDate(m.date));
  if (badLabel) problems.milestones = `Calendrier, étape ${badLabel.n} : libellé de 3 caractères au moins`;
  else if (badDate)
    problems.milestones = `Calendrier, étape ${badDate.n} : date à indiquer (jour, mois, année)`;
  else if (rows.length > 30) problems.milestones = 'Calendrier : 30 étapes au plus';
  return problems;
}

/** The chosen buildings (only those of the QPV and landlord still offered). */
export function chosenResidences(form: OperationForm, stock: RelocationStock): StockResidence[] {
  return residencesOf(stock, form.qpv, form.landlordId).filter((r) => form.residenceIds.includes(r.id));
}

/** The body of POST /relocation/operations. */
export function operationBody(form: OperationForm, stock: RelocationStock, epci: string) {
  return {
    epci,
    name: form.name.trim(),
    kind: form.kind,
    qpv: form.qpv,
    landlordId: form.landlordId,
    residenceIds: chosenResidences(form, stock).map((r) => r.id),
    milestones: filledMilestones(form).map((m) => ({ label: m.label.trim(), date: m.date })),
    officers: stock.officers.filter((o) => form.officers.includes(o.id)).map((o) => o.identifier),
  };
}
