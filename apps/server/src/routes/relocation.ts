import {
  addOfficer,
  addStep,
  appendAudit,
  candidateHomes,
  type Db,
  exportedFile,
  fileIdOfDemand,
  findUserByIdentifier,
  listFiles,
  listOperations,
  relocationStock,
  reserveHome,
  type StoredFile,
  setConstraints,
  setDiagnosis,
  setMilestones,
  setWishes,
  stepsOf,
} from '@mosaique/db';
import {
  FILE_STAGE_LABELS,
  fileStage,
  filesCsv,
  matchHome,
  OPERATION_KIND_LABELS,
  REFUSAL_REASON_LABELS,
  REFUSAL_REASONS,
  type RefusalReason,
  STEP_LABELS,
  trajectoryIndicators,
} from '@mosaique/domain/relocation';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole, requireUser } from '../auth/plugin.ts';
import { relocationReviewPdf } from '../relocation/review-pdf.ts';
import {
  accessibleFile,
  answerHomeProposal,
  createOperationWithHouseholds,
  ProblemsError,
  proposeHome,
  readableOperation,
  signRelocationLease,
} from '../relocation/service.ts';
import { mayServeEpci } from './auth.ts';

/**
 * Urban-renewal relocation (docs/relocation.md). Rights: the relocation officers attached to an
 * operation manage its files; the EPCI's analysts create operations, attach officers and read; the
 * landlord's agents read and reserve homes; admins do everything; a household (applicant account
 * holding the file's demand) reads its own file and answers its own proposals. An operation or a file
 * a user may not read answers 404.
 */

const TAG = 'relogement';
const errorSchema = z.object({
  error: z.string(),
  details: z.union([z.array(z.string()), z.string()]).optional(),
});
const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
};
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue')
  .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), 'date inexistante');

/** Refuses commune codes the territory does not know, naming the field and the codes. */
async function checkCommunes(db: Db, field: string, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  const rows = await db.query<{ code: string }>('SELECT code FROM commune WHERE code = ANY($1::text[])', [
    codes,
  ]);
  const known = new Set(rows.map((r) => r.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) throw new HttpError(422, `${field} : commune(s) inconnue(s) ${unknown.join(', ')}`);
}
const idParams = z.object({ id: z.string().min(1).max(80) });
const commune = z.string().regex(/^\d[\dAB]\d{3}$/, 'code commune INSEE de 5 caractères attendu');
const euros = z.number().min(0, 'montant positif attendu').max(100_000);
const today = () => new Date().toISOString().slice(0, 10);
const notFuture = (field: string) => (d: string) => {
  if (d > today()) throw new HttpError(422, `${field} : date future refusée`);
};

const wishesBody = z.object({
  communes: z.array(commune).max(30),
  typologies: z.array(z.number().int().min(1).max(6)).max(6),
  maxFloorWithoutLift: z.number().int().min(0).max(50).nullable(),
  age: z.enum(['new-or-recent', 'older', 'either']),
  maxRentWithChargesEur: euros.nullable(),
});
const constraintsBody = z.object({
  workCommunes: z.array(commune).max(10),
  schoolCommunes: z.array(commune).max(10),
  healthCare: z.boolean(),
  wheelchairAccess: z.boolean(),
  reducedMobility: z.boolean(),
});

/** A file as the API shows it (the household sees the same file as the officer: it is about them). */
function fileView(f: StoredFile) {
  const stage = fileStage({
    diagnosisOn: f.diagnosisOn,
    leaseSignedOn: f.lease?.signedOn ?? null,
    proposals: f.proposals,
  });
  return {
    ...f,
    stage,
    stageLabel: FILE_STAGE_LABELS[stage],
    proposals: f.proposals.map((p) => ({
      ...p,
      refusalLabel: p.refusalReason ? REFUSAL_REASON_LABELS[p.refusalReason] : null,
    })),
  };
}

async function matchingHomes(db: Db, file: StoredFile) {
  const date = today();
  const homes = await candidateHomes(db, file.operationId, file.epci);
  return homes
    .map((h) => ({ ...h, match: matchHome(h, file.wishes, file.constraints, date) }))
    .filter((h) => !file.proposals.some((p) => p.homeId === h.homeId))
    .sort(
      (a, b) =>
        Number(b.match.matches) - Number(a.match.matches) || a.match.unmet.length - b.match.unmet.length,
    );
}

export function relocationRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      if (error instanceof ProblemsError)
        return reply.status(400).send({ error: error.message, details: error.problems });
      if ((error as { code?: string }).code === '23505')
        return reply
          .status(409)
          .send({ error: 'enregistrement en conflit avec un autre : rechargez la page' });
      throw error;
    });

    app.get(
      '/relocation/reference',
      {
        schema: {
          tags: [TAG],
          summary: 'Motifs de refus, étapes et stades d’un dossier de relogement, en français',
        },
      },
      async () => ({
        refusalReasons: REFUSAL_REASONS.map((code) => ({ code, label: REFUSAL_REASON_LABELS[code] })),
        steps: STEP_LABELS,
        stages: FILE_STAGE_LABELS,
        kinds: OPERATION_KIND_LABELS,
      }),
    );

    app.get(
      '/relocation/operations',
      {
        schema: {
          tags: [TAG],
          summary:
            'Opérations de renouvellement urbain visibles : celles du chargé de relogement, de l’EPCI de l’analyste, du bailleur de l’agent ; toutes pour l’administration',
          querystring: z.object({
            epci: z
              .string()
              .regex(/^\d{9}$/)
              .optional(),
          }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireRole(
          request,
          'relocation-officer',
          'epci-analyst',
          'landlord-agent',
          'admin',
        );
        const epci = request.query.epci;
        const filter =
          user.role === 'relocation-officer'
            ? { officerUserId: user.id, epci }
            : user.role === 'epci-analyst'
              ? { epci: user.epciCode ?? '—' }
              : user.role === 'landlord-agent'
                ? { landlordId: user.landlordId!, epci }
                : { epci };
        return { operations: await listOperations(db, filter) };
      },
    );

    app.post(
      '/relocation/operations',
      {
        schema: {
          tags: [TAG],
          summary:
            'Crée une opération (démolition ou restructuration) et y inscrit les ménages occupant ses bâtiments (analyste de l’EPCI, administration)',
          body: z.object({
            epci: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu'),
            name: z.string().trim().min(3).max(200),
            kind: z.enum(['demolition', 'restructuring']),
            qpv: z.string().regex(/^QN\d{5}[A-Z]$/, 'code QPV (QNdddddX) attendu'),
            landlordId: z.string().trim().min(1).max(60),
            residenceIds: z.array(z.string().trim().min(1).max(60)).min(1, 'au moins un bâtiment').max(50),
            milestones: z
              .array(z.object({ label: z.string().trim().min(3).max(200), date: isoDate }))
              .max(30),
            officers: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
          }),
          response: { 201: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'epci-analyst', 'admin');
        const body = request.body;
        if (!(await mayServeEpci(db, user, body.epci)))
          throw new HttpError(403, 'cette opération relève d’un territoire où vous n’intervenez pas');
        const created = await db.transaction(async (tx) => {
          const officers = [];
          for (const identifier of body.officers) {
            const officer = await findUserByIdentifier(tx, identifier);
            if (officer?.role !== 'relocation-officer')
              throw new ProblemsError('chargés de relogement refusés', [
                `officers : ${identifier} n’est pas un compte de chargé de relogement`,
              ]);
            if (officer.epciCode !== body.epci)
              throw new ProblemsError('chargés de relogement refusés', [
                `officers : ${identifier} n’est pas chargé de relogement sur ce territoire`,
              ]);
            officers.push(officer.id);
          }
          const result = await createOperationWithHouseholds(tx, body, user, today());
          for (const id of officers) await addOfficer(tx, result.id, id);
          return result;
        });
        return reply.status(201).send({ id: created.id, households: created.households });
      },
    );

    app.get(
      '/relocation/stock',
      {
        schema: {
          tags: [TAG],
          summary:
            'De quoi composer une opération : les QPV de l’EPCI, leurs bâtiments sociaux (bailleur, logements, ménages occupants, opération qui les concerne déjà) et les chargés de relogement du territoire (analyste de l’EPCI, administration)',
          querystring: z.object({ epci: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') }),
          response: {
            200: z.object({
              qpvs: z.array(
                z.object({
                  code: z.string(),
                  name: z.string(),
                  residences: z.array(
                    z.object({
                      id: z.string(),
                      name: z.string(),
                      communeName: z.string(),
                      landlordId: z.string(),
                      landlordName: z.string(),
                      homes: z.number().int(),
                      households: z.number().int(),
                      operationName: z.string().nullable(),
                    }),
                  ),
                }),
              ),
              officers: z.array(
                z.object({ id: z.string(), identifier: z.string(), displayName: z.string() }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'epci-analyst', 'admin');
        if (!(await mayServeEpci(db, user, request.query.epci)))
          throw new HttpError(403, 'ce territoire n’est pas le vôtre');
        return relocationStock(db, request.query.epci);
      },
    );

    app.get(
      '/relocation/operations/:id',
      {
        schema: {
          tags: [TAG],
          summary:
            'Une opération : calendrier, bâtiments, chargés de relogement, dossiers des ménages (résumé)',
          params: idParams,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { op, rights } = await readableOperation(db, user, request.params.id);
        const files = await listFiles(db, { operationId: op.id });
        return {
          ...op,
          kindLabel: OPERATION_KIND_LABELS[op.kind],
          rights,
          files: files.map((f) => {
            const v = fileView(f);
            return {
              id: v.id,
              householdId: v.householdId,
              sneNumber: v.sneNumber,
              persons: v.persons,
              originHomeId: v.origin.homeId,
              residenceName: v.origin.residenceName,
              stage: v.stage,
              stageLabel: v.stageLabel,
              diagnosisOn: v.diagnosisOn,
              proposals: v.proposals.length,
              leaseSignedOn: v.lease?.signedOn ?? null,
            };
          }),
        };
      },
    );

    app.put(
      '/relocation/operations/:id/milestones',
      {
        schema: {
          tags: [TAG],
          summary:
            'Remplace le calendrier de l’opération (chargés de relogement de l’opération, EPCI, administration)',
          params: idParams,
          body: z.object({
            milestones: z
              .array(z.object({ label: z.string().trim().min(3).max(200), date: isoDate }))
              .max(30),
          }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { op, rights } = await readableOperation(db, user, request.params.id);
        if (!rights.writeFiles && !rights.administer)
          throw new HttpError(403, 'action non autorisée pour votre rôle');
        await db.transaction(async (tx) => {
          await setMilestones(tx, op.id, request.body.milestones);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'relocation.milestones.update',
            entity: 'relocation-operation',
            entityId: op.id,
            epciCode: op.epci,
            details: { milestones: request.body.milestones.length },
          });
        });
        return { milestones: (await readableOperation(db, user, op.id)).op.milestones };
      },
    );

    app.post(
      '/relocation/operations/:id/officers',
      {
        schema: {
          tags: [TAG],
          summary: 'Rattache un chargé de relogement à l’opération (analyste de l’EPCI, administration)',
          params: idParams,
          body: z.object({ identifier: z.string().trim().min(1).max(200) }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { op, rights } = await readableOperation(db, user, request.params.id);
        if (!rights.administer)
          throw new HttpError(403, 'seuls l’EPCI et l’administration rattachent les chargés de relogement');
        const officer = await findUserByIdentifier(db, request.body.identifier);
        if (officer?.role !== 'relocation-officer')
          throw new HttpError(422, 'identifier : ce compte n’est pas celui d’un chargé de relogement');
        if (officer.epciCode !== op.epci)
          throw new HttpError(422, 'identifier : ce chargé de relogement n’intervient pas sur ce territoire');
        await db.transaction(async (tx) => {
          await addOfficer(tx, op.id, officer.id);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'relocation.officer.add',
            entity: 'relocation-operation',
            entityId: op.id,
            epciCode: op.epci,
            details: { officer: officer.id },
          });
        });
        return { ok: true };
      },
    );

    app.post(
      '/relocation/operations/:id/reserved-homes',
      {
        schema: {
          tags: [TAG],
          summary:
            'Réserve un logement vacant aux ménages de l’opération (chargé de relogement, bailleur, EPCI)',
          params: idParams,
          body: z.object({ homeId: z.string().trim().min(1).max(60) }),
          response: { 201: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const { op, rights } = await readableOperation(db, user, request.params.id);
        if (!rights.reserveHomes) throw new HttpError(403, 'action non autorisée pour votre rôle');
        const { homeId } = request.body;
        const [home] = await db.query<{ epci: string; occupied: boolean; own: boolean }>(
          `SELECT m.epci_code AS epci, EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id) AS occupied,
                  EXISTS (SELECT 1 FROM relocation_operation_residence x WHERE x.operation_id = $2 AND x.residence_id = m.residence_id) AS own
           FROM home m WHERE m.id = $1`,
          [homeId, op.id],
        );
        if (!home || home.epci !== op.epci)
          throw new HttpError(422, 'homeId : logement inconnu dans l’EPCI de l’opération');
        if (home.occupied) throw new HttpError(409, 'homeId : logement occupé');
        if (home.own) throw new HttpError(422, 'homeId : logement d’un bâtiment de l’opération elle-même');
        const added = await db.transaction(async (tx) => {
          const ok = await reserveHome(tx, op.id, homeId, user.id);
          if (ok)
            await appendAudit(tx, {
              actorUserId: user.id,
              actorRole: user.role,
              action: 'relocation.home.reserve',
              entity: 'relocation-operation',
              entityId: op.id,
              epciCode: op.epci,
              details: { homeId },
            });
          return ok;
        });
        if (!added) throw new HttpError(409, 'homeId : logement déjà réservé à l’opération');
        return reply.status(201).send({ homeId });
      },
    );

    app.get(
      '/relocation/operations/:id/indicators',
      {
        schema: {
          tags: [TAG],
          summary:
            'Indicateurs de trajectoire de l’opération (hors QPV, hors site, neuf ou récent, reste à charge, surface par personne, délai, propositions, refus) face aux résultats nationaux du premier programme',
          params: idParams,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { op } = await readableOperation(db, user, request.params.id);
        const files = await listFiles(db, { operationId: op.id });
        return { operationId: op.id, indicators: trajectoryIndicators(files.map(exportedFile)) };
      },
    );

    app.get(
      '/relocation/indicators',
      {
        schema: {
          tags: [TAG],
          summary:
            'Indicateurs de trajectoire de toutes les opérations d’un EPCI (analyste de l’EPCI, administration)',
          querystring: z.object({ epci: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'epci-analyst', 'admin');
        if (!(await mayServeEpci(db, user, request.query.epci)))
          throw new HttpError(403, 'ce territoire n’est pas le vôtre');
        const files = await listFiles(db, { epci: request.query.epci });
        const operations = await listOperations(db, { epci: request.query.epci });
        return {
          epci: request.query.epci,
          operations: operations.length,
          indicators: trajectoryIndicators(files.map(exportedFile)),
        };
      },
    );

    app.get(
      '/relocation/operations/:id/files.csv',
      {
        schema: {
          tags: [TAG],
          summary:
            'Les dossiers de l’opération, un ménage par ligne, sans notes libres : de quoi recalculer les indicateurs',
          params: idParams,
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV'), ...errors },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const { op } = await readableOperation(db, user, request.params.id);
        const files = await listFiles(db, { operationId: op.id });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="relogement-${op.id}.csv"`)
          .send(filesCsv(files.map(exportedFile)));
      },
    );

    app.get(
      '/relocation/operations/:id/review.pdf',
      {
        schema: {
          tags: [TAG],
          summary:
            'Le bilan du relogement de l’opération en PDF (calendrier, avancement, indicateurs, résultats nationaux)',
          params: idParams,
          produces: ['application/pdf'],
          response: { 200: z.unknown().describe('document PDF'), ...errors },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const { op } = await readableOperation(db, user, request.params.id);
        const files = await listFiles(db, { operationId: op.id });
        const pdf = await relocationReviewPdf(op, files, today());
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="bilan-relogement-${op.id}.pdf"`)
          .send(pdf);
      },
    );

    app.get(
      '/relocation/my-file',
      {
        schema: {
          tags: [TAG],
          summary:
            'Le dossier de relogement du ménage connecté (demandeur dont la demande est celle du dossier)',
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'applicant');
        const id = user.sneNumber ? await fileIdOfDemand(db, user.sneNumber) : null;
        if (!id) throw new HttpError(404, 'aucun dossier de relogement pour votre demande');
        const file = await accessibleFile(db, user, id);
        return { ...fileView(file), steps: await stepsOf(db, id) };
      },
    );

    app.get(
      '/relocation/files/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'Un dossier de relogement avec toutes ses étapes datées',
          params: idParams,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const file = await accessibleFile(db, user, request.params.id);
        return { ...fileView(file), steps: await stepsOf(db, file.id) };
      },
    );

    app.get(
      '/relocation/files/:id/matching-homes',
      {
        schema: {
          tags: [TAG],
          summary:
            'Logements ouverts au ménage (annonces publiées et logements réservés à l’opération), ceux qui répondent à ses souhaits d’abord, avec les écarts nommés',
          params: idParams,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const file = await accessibleFile(db, user, request.params.id);
        return { homes: await matchingHomes(db, file) };
      },
    );

    /**
     * Updates one part of a file, with its dated step (`on`, not in the future) and audit entry;
     * `communes` are the commune fields of the part, refused unless the territory knows them.
     */
    const update = async (
      request: FastifyRequest,
      fileId: string,
      action: string,
      step: {
        kind: 'diagnosis' | 'wishes' | 'constraints' | 'note';
        onDate: string;
        note?: string | null;
        details?: Record<string, unknown>;
      },
      write: (tx: Db, file: StoredFile) => Promise<void>,
      communes: Record<string, readonly string[]> = {},
    ) => {
      notFuture('on')(step.onDate);
      for (const [field, codes] of Object.entries(communes)) await checkCommunes(db, field, codes);
      const { user } = requireUser(request);
      await db.transaction(async (tx) => {
        const file = await accessibleFile(tx, user, fileId, { write: true, forUpdate: true });
        await write(tx, file);
        await addStep(tx, { fileId: file.id, ...step, by: user.id });
        await appendAudit(tx, {
          actorUserId: user.id,
          actorRole: user.role,
          action,
          entity: 'relocation-file',
          entityId: file.id,
          epciCode: file.epci,
          details: step.details ?? {},
        });
      });
      return fileView(await accessibleFile(db, user, fileId));
    };

    app.put(
      '/relocation/files/:id/diagnosis',
      {
        schema: {
          tags: [TAG],
          summary: 'Enregistre l’entretien de diagnostic social (date, notes, aide au logement perçue)',
          params: idParams,
          body: z.object({
            on: isoDate,
            notes: z.string().trim().max(5000).nullable(),
            housingBenefitEur: euros.nullable(),
          }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) =>
        update(
          request,
          request.params.id,
          'relocation.diagnosis.record',
          { kind: 'diagnosis', onDate: request.body.on },
          (tx, f) => setDiagnosis(tx, f.id, request.body),
        ),
    );

    app.put(
      '/relocation/files/:id/wishes',
      {
        schema: {
          tags: [TAG],
          summary: 'Enregistre les souhaits du ménage (communes, typologies, étage, neuf ou ancien, budget)',
          params: idParams,
          body: wishesBody.extend({ on: isoDate }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { on, ...wishes } = request.body;
        return update(
          request,
          request.params.id,
          'relocation.wishes.record',
          { kind: 'wishes', onDate: on, details: wishes },
          (tx, f) => setWishes(tx, f.id, wishes),
          { communes: wishes.communes },
        );
      },
    );

    app.put(
      '/relocation/files/:id/constraints',
      {
        schema: {
          tags: [TAG],
          summary: 'Enregistre les contraintes du ménage (travail, école, santé, handicap)',
          params: idParams,
          body: constraintsBody.extend({ on: isoDate }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { on, ...constraints } = request.body;
        return update(
          request,
          request.params.id,
          'relocation.constraints.record',
          { kind: 'constraints', onDate: on, details: constraints },
          (tx, f) => setConstraints(tx, f.id, constraints),
          { workCommunes: constraints.workCommunes, schoolCommunes: constraints.schoolCommunes },
        );
      },
    );

    app.post(
      '/relocation/files/:id/notes',
      {
        schema: {
          tags: [TAG],
          summary: 'Ajoute une note de suivi datée au dossier',
          params: idParams,
          body: z.object({ on: isoDate, text: z.string().trim().min(1, 'note vide').max(5000) }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) =>
        update(
          request,
          request.params.id,
          'relocation.note.add',
          { kind: 'note', onDate: request.body.on, note: request.body.text },
          async () => {},
        ),
    );

    app.post(
      '/relocation/files/:id/proposals',
      {
        schema: {
          tags: [TAG],
          summary:
            'Propose un logement au ménage (trois propositions au plus, une à la fois) ; `decisionId` lie la proposition à la décision de la commission qui attribue ce logement à ce ménage',
          params: idParams,
          body: z.object({
            homeId: z.string().trim().min(1).max(60),
            advertId: z.string().uuid('identifiant d’annonce invalide').nullable().default(null),
            decisionId: z.string().trim().min(1).max(80).nullable().default(null),
            proposedOn: isoDate,
          }),
          response: { 201: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        notFuture('proposedOn')(request.body.proposedOn);
        const rank = await proposeHome(db, request.params.id, request.body, user);
        return reply.status(201).send({ rank });
      },
    );

    app.post(
      '/relocation/files/:id/proposals/:rank/answer',
      {
        schema: {
          tags: [TAG],
          summary:
            'Réponse à une proposition : acceptée, ou refusée avec son motif (le ménage lui-même ou son chargé de relogement)',
          params: idParams.extend({ rank: z.coerce.number().int().min(1).max(3) }),
          body: z.object({
            response: z.enum(['accepted', 'refused']),
            answeredOn: isoDate,
            refusalReason: z
              .enum(REFUSAL_REASONS as unknown as [RefusalReason, ...RefusalReason[]])
              .nullable()
              .default(null),
          }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        notFuture('answeredOn')(request.body.answeredOn);
        await answerHomeProposal(db, request.params.id, request.params.rank, request.body, user);
        return fileView(await accessibleFile(db, user, request.params.id));
      },
    );

    app.post(
      '/relocation/files/:id/lease',
      {
        schema: {
          tags: [TAG],
          summary:
            'Enregistre le nouveau bail du ménage sur la proposition acceptée : bail compté au bilan de la CIA comme relogement',
          params: idParams,
          body: z.object({
            rank: z.number().int().min(1).max(3),
            signedOn: isoDate,
            housingBenefitEur: euros.nullable(),
          }),
          response: { 201: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        notFuture('signedOn')(request.body.signedOn);
        const leaseId = await db.transaction((tx) =>
          signRelocationLease(tx, request.params.id, request.body, user),
        );
        return reply.status(201).send({ leaseId });
      },
    );
  };
}
