import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withSalesforceId } from '../plugins/actor.js';
import type { SalesforceActor } from '../shared/audit.js';
import { createRoleImportService, refreshThroughJobs } from './role-import.js';
import { startSyncScheduler, SYNC_JOB } from './scheduler.js';
import {
  ApprovalDecision,
  ApprovalList,
  BulkToggleBody,
  Conflict,
  ConflictList,
  ConflictListQuery,
  IdParam,
  ImportBody,
  ImportPreview,
  ImportResult,
  ModeChangeBody,
  ModePreview,
  ModePreviewBody,
  ModeState,
  ResolveBody,
  RoleParam,
  RoleTree,
  RunListQuery,
  SyncRun,
  SyncRunList,
  ToggleBody,
  DriftList,
} from './schemas.js';
import { createSyncService } from './service.js';

/** Role import (Manual Mode), management mode, and the Automatic Mode sync's runs, conflicts and approvals. */
const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { db: app.db, salesforce: app.salesforce, log: app.serviceLog };
  const roles = createRoleImportService({
    ...deps,
    refreshInBackground: refreshThroughJobs(app.jobs),
  });
  const sync = createSyncService(deps);
  if (app.queue) {
    const queue = app.queue;
    app.inBackground(() => startSyncScheduler(queue, deps));
  }

  const tags = ['salesforce'];
  app.get('/api/v1/salesforce/roles', { schema: { tags, response: { 200: RoleTree } } }, (req) =>
    roles.list(req.org.id),
  );
  app.put(
    '/api/v1/salesforce/roles/toggles',
    { schema: { tags, body: BulkToggleBody, response: { 200: RoleTree } } },
    (req) => roles.setToggles(req.org.id, req.actor!, req.body.toggles),
  );
  app.put(
    '/api/v1/salesforce/roles/:sfRoleId',
    { schema: { tags, params: RoleParam, body: ToggleBody, response: { 200: RoleTree } } },
    (req) =>
      roles.setToggles(req.org.id, req.actor!, [
        { sfRoleId: req.params.sfRoleId, importEnabled: req.body.importEnabled },
      ]),
  );
  app.post('/api/v1/salesforce/roles/import/preview', { schema: { tags, response: { 200: ImportPreview } } }, (req) =>
    roles.preview(req.org.id),
  );
  app.post(
    '/api/v1/salesforce/roles/import',
    // The body is optional: an import without the preview's token writes the plan without comparing.
    { schema: { tags, body: ImportBody.nullable(), response: { 200: ImportResult } } },
    (req) => roles.run(req.org.id, req.actor!, req.body?.previewToken),
  );

  const modeTags = ['mode'];
  app.get('/api/v1/mode', { schema: { tags: modeTags, response: { 200: ModeState } } }, (req) =>
    sync.modeState(req.org.id),
  );
  app.post(
    '/api/v1/mode/preview',
    { schema: { tags: modeTags, body: ModePreviewBody, response: { 200: ModePreview } } },
    (req) => sync.preview(req.org.id, req.body, switchingAdmin(req)),
  );
  app.put(
    '/api/v1/mode',
    { schema: { tags: modeTags, body: ModeChangeBody, response: { 200: ModeState } } },
    async (req) => {
      const state = await sync.setMode(req.org.id, switchingAdmin(req), req.body);
      if (state.mode === 'automatic') await app.queue?.sendOncePer(SYNC_JOB, req.org.id, 10, { orgId: req.org.id });
      return state;
    },
  );

  const syncTags = ['sync'];
  app.get(
    '/api/v1/sync/runs',
    { schema: { tags: syncTags, querystring: RunListQuery, response: { 200: SyncRunList } } },
    (req) => sync.listRuns(req.org.id, req.query.limit),
  );
  app.post('/api/v1/sync/run', { schema: { tags: syncTags, response: { 200: SyncRun } } }, (req) =>
    sync.runNow(req.org.id),
  );
  app.get(
    '/api/v1/sync/conflicts',
    { schema: { tags: syncTags, querystring: ConflictListQuery, response: { 200: ConflictList } } },
    (req) => sync.listConflicts(req.org.id, req.query.status),
  );
  app.post(
    '/api/v1/sync/conflicts/:id/resolve',
    { schema: { tags: syncTags, params: IdParam, body: ResolveBody, response: { 200: Conflict } } },
    (req) => sync.resolveConflict(req.org.id, req.actor!, req.params.id, req.body.action),
  );
  app.get('/api/v1/sync/drift', { schema: { tags: syncTags, response: { 200: DriftList } } }, (req) =>
    sync.drift(req.org.id),
  );
  app.get('/api/v1/sync/approvals', { schema: { tags: syncTags, response: { 200: ApprovalList } } }, (req) =>
    sync.listApprovals(req.org.id),
  );
  app.post(
    '/api/v1/sync/approvals/:id/approve',
    { schema: { tags: syncTags, params: IdParam, response: { 200: ApprovalDecision } } },
    (req) => sync.decide(req.org.id, req.actor!, req.params.id, 'approved'),
  );
  app.post(
    '/api/v1/sync/approvals/:id/reject',
    { schema: { tags: syncTags, params: IdParam, response: { 200: ApprovalDecision } } },
    (req) => sync.decide(req.org.id, req.actor!, req.params.id, 'rejected'),
  );
};

/** The mode switch checks that it cannot lock the acting admin out. */
const switchingAdmin = (req: FastifyRequest): SalesforceActor => withSalesforceId(req.actor!, req.headers);

export default syncRoutes;
