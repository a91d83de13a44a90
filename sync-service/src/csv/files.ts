import type { Knex } from 'knex';
import { scoped } from '../db/scoped.js';
import { reportProgress } from '../jobs/progress.js';
import type { SalesforceClients } from '../salesforce/connection.js';
import { BadRequestError } from '../shared/errors.js';
import type { SalesforceActor } from '../shared/audit.js';
import { openFile, publishFile, USER_ID, type PublishedFile } from './salesforce-files.js';
import type { ImportReport } from './schemas.js';
import { createCsvService } from './service.js';
import { statusCounts } from '../users/counts.js';

const day = () => new Date().toISOString().slice(0, 10);

/**
 * CSV import and export through Salesforce Files, as the synchronous routes and the jobs (users.import.file,
 * users.export.file) both run them: a 100k-user file takes longer than Apex waits for one callout, so the screens
 * start a job and poll it. Progress is reported for the job's bar; outside a job it goes nowhere.
 */
export function createFileTransfers({ db, salesforce }: { db: Knex; salesforce: SalesforceClients }) {
  const csv = createCsvService({ db });

  return {
    /**
     * Reads the uploaded ContentVersion into the import (dry run or apply). In a job the per-row result also
     * becomes a Salesforce file shared with the admin: 100k rows of outcomes are more than Apex can pass through.
     */
    async importFile(
      orgId: string,
      actor: SalesforceActor,
      { contentVersionId, dryRun }: { contentVersionId: string; dryRun: boolean },
      { publishResult = false } = {},
    ): Promise<ImportReport> {
      reportProgress({ phase: 'Opening the file in Salesforce', done: 0 });
      const session = await salesforce.forOrg(orgId);
      const { file, stream } = await openFile(session, contentVersionId);
      const report = await csv.importUsers(orgId, actor, stream, dryRun, { size: file.size });
      if (!publishResult || !actor.sfUserId || !USER_ID.test(actor.sfUserId)) return report;
      // After an apply this is past the point of no return: no checkpoint, so a restart cannot undo half of it.
      reportProgress({ phase: 'Saving the result of each row as a file', done: 0, checkpoint: report.applied });
      const resultFile = await publishFile(session, {
        title: `Roster import result ${day()}`,
        fileName: `roster-import-result-${day()}.csv`,
        content: await csv.result(orgId, report.resultId),
        sfUserId: actor.sfUserId,
      });
      return { ...report, resultFile };
    },

    /** Every user into a new Salesforce file shared with the acting admin, who downloads it from the org. */
    async exportFile(orgId: string, actor: SalesforceActor, onError: (err: Error) => void): Promise<PublishedFile> {
      const sfUserId = actor.sfUserId ?? '';
      if (!USER_ID.test(sfUserId)) {
        throw new BadRequestError(
          'actor_id_required',
          'Sharing the file needs the Salesforce user id of the acting admin (X-Roster-Actor-Id).',
        );
      }
      const { total } = await statusCounts(scoped(db, orgId));
      const phase = 'Writing every user to the file';
      reportProgress({ phase, done: 0, total });
      const rows = csv.exportUsers(orgId, onError, (done) =>
        reportProgress({ phase, done: Math.min(done, total), total }),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of rows) chunks.push(Buffer.from(chunk as Buffer));
      reportProgress({ phase: 'Saving the file in Salesforce', done: 0 });
      const session = await salesforce.forOrg(orgId);
      return publishFile(session, {
        title: `Roster users ${day()}`,
        fileName: `roster-users-${day()}.csv`,
        content: Buffer.concat(chunks).toString('utf8'),
        sfUserId,
      });
    },
  };
}
