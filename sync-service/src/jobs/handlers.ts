import { createFileTransfers } from '../csv/files.js';
import { createHealthService } from '../health/service.js';
import { exportPermissionErrorsFile } from '../mailbox/export-file.js';
import { createReapplyService } from '../rules/reapply.js';
import type { Queue } from '../shared/queue.js';
import { createRoleImportService } from '../sync/role-import.js';
import type { SyncDeps } from '../sync/runner.js';
import { SYNC_JOB } from '../sync/scheduler.js';
import { createSyncService } from '../sync/service.js';
import { createUserBulkService } from '../users/bulk.js';
import { reportProgress } from './progress.js';
import type { JobHandlers } from './runner.js';

/** Each kind of job is the service function the synchronous route calls: jobs only add the waiting room. */
export function createJobHandlers(deps: SyncDeps & { queue: Queue | null }): JobHandlers {
  const sync = createSyncService(deps);
  const roles = createRoleImportService(deps);
  const rules = createReapplyService({ db: deps.db });
  const health = createHealthService(deps);
  const files = createFileTransfers(deps);
  const bulk = createUserBulkService(deps);
  return {
    'mode.preview': ({ orgId, actor, params }) => sync.preview(orgId, params, actor),
    'mode.change': async ({ orgId, actor, params }) => {
      const state = await sync.setMode(orgId, actor, params);
      // The first incremental poll right away, as PUT /mode does.
      if (state.mode === 'automatic') await deps.queue?.sendOncePer(SYNC_JOB, orgId, 10, { orgId });
      return state;
    },
    'roles.refresh': ({ orgId }) => roles.refresh(orgId),
    'roles.import.preview': ({ orgId }) => roles.preview(orgId),
    'roles.import': ({ orgId, actor, params }) => roles.run(orgId, actor, params.previewToken),
    'rules.reapply.preview': ({ orgId, actor }) => rules.preview(orgId, actor),
    'rules.reapply': ({ orgId, actor, params }) =>
      rules.apply(orgId, actor, params.previewToken, params.excludeUserIds),
    'health.check': ({ orgId }) => health.run(orgId),
    'sync.decision': ({ orgId, actor, params }) => sync.decide(orgId, actor, params.approvalId, params.decision),
    'users.import.file': ({ orgId, actor, params }) => files.importFile(orgId, actor, params, { publishResult: true }),
    'users.bulk': ({ orgId, actor, params }) => {
      // One transaction: the count the admin confirmed is the size of the work.
      reportProgress({ phase: 'Changing the users', done: 0, total: params.expectedCount ?? null });
      return bulk.apply(orgId, actor, params);
    },
    'users.export.file': ({ orgId, actor }) =>
      files.exportFile(orgId, actor, (err) => deps.log.error({ err, orgId }, 'user export failed')),
    'permission-errors.export.file': ({ orgId, actor }) => exportPermissionErrorsFile(deps, orgId, actor.sfUserId),
  };
}
