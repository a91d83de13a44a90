import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../shared/errors.js';
import { withSalesforceId } from '../plugins/actor.js';
import { createFileTransfers } from './files.js';
import { CsvFileBody, FileExport, FileImportBody, ImportQuery, ImportReport, ImportResultParams } from './schemas.js';
import { createCsvService } from './service.js';

const tags = ['users'];
// Browsers label .csv uploads differently (Excel on Windows says vnd.ms-excel); all of them stream into csv-parse.
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel', 'text/plain'];

/** CSV export and import of users. The body is handed on as a stream, never buffered, so files have no size cap. */
const csvRoutes: FastifyPluginAsyncZod = async (app) => {
  const csv = createCsvService({ db: app.db });
  const files = createFileTransfers({ db: app.db, salesforce: app.salesforce });
  app.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));

  app.get('/api/v1/users/export.csv', { schema: { tags, produces: ['text/csv'] } }, async (req, reply) =>
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="users.csv"')
      .send(csv.exportUsers(req.org.id, (err) => req.log.error({ err }, 'user export failed'))),
  );

  app.post(
    '/api/v1/users/import',
    {
      schema: {
        tags,
        consumes: CSV_TYPES,
        body: CsvFileBody,
        querystring: ImportQuery,
        response: { 200: ImportReport },
      },
    },
    async (req) => {
      if (!(req.body instanceof Readable)) {
        throw new AppError(
          415,
          'unsupported_media_type',
          'Send the CSV file as the request body with Content-Type: text/csv.',
        );
      }
      return csv.importUsers(req.org.id, req.actor!, req.body, req.query.dryRun);
    },
  );

  // The same import, reading a Salesforce file (a ContentVersion the admin uploaded) as the integration user.
  app.post(
    '/api/v1/users/import/salesforce-file',
    { schema: { tags, body: FileImportBody, response: { 200: ImportReport } } },
    (req) => files.importFile(req.org.id, req.actor!, req.body),
  );

  // The export as a Salesforce file shared with the acting admin, who downloads it from the org.
  app.post('/api/v1/users/export/salesforce-file', { schema: { tags, response: { 200: FileExport } } }, (req) =>
    files.exportFile(req.org.id, withSalesforceId(req.actor!, req.headers), (err) =>
      req.log.error({ err }, 'user export failed'),
    ),
  );

  app.get(
    '/api/v1/users/import/:id/result.csv',
    { schema: { tags, params: ImportResultParams, produces: ['text/csv'] } },
    async (req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${req.params.id}.csv"`)
        .send(await csv.result(req.org.id, req.params.id)),
  );
};

export default csvRoutes;
