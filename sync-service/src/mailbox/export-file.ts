import type { Knex } from 'knex';
import { publishFile, type PublishedFile } from '../csv/salesforce-files.js';
import { scoped } from '../db/scoped.js';
import { reportProgress } from '../jobs/progress.js';
import type { SalesforceClients } from '../salesforce/connection.js';
import { permissionErrorsCsv } from './csv.js';
import { permissionErrorList } from './permission-errors.js';

const day = () => new Date().toISOString().slice(0, 10);

/**
 * The Permission Errors CSV as a Salesforce file shared with the acting admin, who downloads it from the org: an
 * org-wide condition puts every user in the list, 100k rows, more than Apex's heap or a data: URI holds.
 */
export async function exportPermissionErrorsFile(
  { db, salesforce }: { db: Knex; salesforce: SalesforceClients },
  orgId: string,
  sfUserId: string | null | undefined,
): Promise<PublishedFile> {
  reportProgress({ phase: 'Writing every user with a permission error to the file', done: 0 });
  const { items } = await permissionErrorList(scoped(db, orgId), { limit: 1_000_000, offset: 0 });
  const content = permissionErrorsCsv(items);
  reportProgress({ phase: 'Saving the file in Salesforce', done: 0 });
  return publishFile(await salesforce.forOrg(orgId), {
    title: `Roster permission errors ${day()}`,
    fileName: `roster-permission-errors-${day()}.csv`,
    content,
    sfUserId: sfUserId ?? '',
  });
}
