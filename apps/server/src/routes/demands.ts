import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  appendAudit,
  type Db,
  demandImportContext,
  generatedDemandSneNumbers,
  importDemandFile,
} from '@mosaique/db';
import { demandRejectsLines } from '@mosaique/domain/demand/import';
import { formatImportIssue } from '@mosaique/domain/shared/import-error.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireUser } from '../auth/plugin.ts';

/** Largest demand file accepted through the API (≈ 400,000 rows). */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Issues listed in an answer; the rejects file has them all. */
const SHOWN_ISSUES = 200;

/** Today's date in France (YYYY-MM-DD): no date of an imported file may be later. */
const todayInFrance = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());

const errorSchema = z.object({ error: z.string() });
const reportSchema = z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number() });

export const demandRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: MAX_UPLOAD_BYTES },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/territories/:code/demands/import',
      {
        schema: {
          tags: ['demandes'],
          summary:
            'Importe un fichier CSV de demandes (format : docs/formats/demands.md). Par défaut, rien n’est importé si une ligne est invalide ; avec skipInvalid=true, les lignes valides sont importées et les autres renvoyées avec leurs motifs.',
          consumes: ['text/csv'],
          params: z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') }),
          querystring: z.object({
            skipInvalid: z
              .enum(['true', 'false'])
              .default('false')
              .transform((v) => v === 'true'),
            fileName: z.string().max(200).default('demandes.csv'),
          }),
          body: z.string(),
          response: {
            200: z.object({
              report: reportSchema,
              rows: z.number(),
              rejected: z.number(),
              issues: z.array(z.string()),
              rejectsCsv: z.string().nullable(),
            }),
            401: errorSchema,
            403: errorSchema,
            422: z.object({
              error: z.string(),
              rows: z.number(),
              rejected: z.number(),
              issues: z.array(z.string()),
            }),
          },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const epci = request.params.code;
        if (!(user.role === 'admin' || (user.role === 'epci-analyst' && user.epciCode === epci))) {
          throw new HttpError(403, 'seuls les analystes de cet EPCI importent ses demandes');
        }
        const { skipInvalid, fileName } = request.query;
        // The importer streams from a file (as the command line does), so the upload goes through one.
        const file = path.join(os.tmpdir(), `mosaique-demandes-${randomUUID()}.csv`);
        await writeFile(file, request.body, 'utf8');
        try {
          const { validation, report } = await importDemandFile(db, file, {
            ...(await demandImportContext(db)),
            generatedSneNumbers: await generatedDemandSneNumbers(db),
            today: todayInFrance(),
            epci,
            skipInvalid,
          });
          // Messages name the uploaded file, not the temporary one.
          const issues = validation.issues
            .slice(0, SHOWN_ISSUES)
            .map((issue) => formatImportIssue({ ...issue, file: path.basename(fileName) }));
          if (validation.issues.length > SHOWN_ISSUES) {
            issues.push(`… et ${validation.issues.length - SHOWN_ISSUES} autre(s) erreur(s)`);
          }
          await appendAudit(db, {
            actorUserId: user.id,
            actorRole: user.role,
            action: report ? 'demands.import' : 'demands.import-refused',
            entity: 'demand-file',
            entityId: path.basename(fileName),
            epciCode: epci,
            details: { rows: validation.rows, rejected: validation.rejected.length, ...(report ?? {}) },
          });
          if (!report) {
            return reply.status(422).send({
              error: `Import refusé, ${validation.issues.length} erreur(s) ; rien n'a été modifié.`,
              rows: validation.rows,
              rejected: validation.rejected.length,
              issues,
            });
          }
          const rejectsCsv =
            skipInvalid && validation.rejected.length > 0
              ? `${[...demandRejectsLines(validation)].join('\n')}\n`
              : null;
          return { report, rows: validation.rows, rejected: validation.rejected.length, issues, rejectsCsv };
        } finally {
          await rm(file, { force: true });
        }
      },
    );
  };
