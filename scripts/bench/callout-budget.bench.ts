/**
 * Every Apex callout waits at most 10 s (RosterServiceClient.TIMEOUT_MS), so every synchronous controller method
 * must be answered within that at real org sizes: this times, on 100k users, the service calls of the controller
 * methods whose work grows with the org, exactly as the preview's Apex table (scripts/preview/apexRoutes.ts) makes
 * them. Long work (mode switch, role import, re-apply, health check, CSV files) runs as jobs and is not here.
 */
import { apexRoutes } from '../preview/apexRoutes.js';
import type { Benchmark, Measurement } from './run.js';
import { benchApp, benchDatabase, seed } from './users-list.bench.js';

const APEX_WAIT_S = 10;

const bench: Benchmark = async () => {
  const database = await benchDatabase();
  const { app, org } = await benchApp(database.url);
  try {
    const teamId = await seed(app, org);
    const otherTeam = (await app.db('teams').where({ org_id: org.orgId, name: 'Team 1' }).first('id')).id;
    const someUser = (
      await app.db('users').where({ org_id: org.orgId }).whereNot('email', 'admin@bench.example').first('id')
    ).id;
    const everyActive = { filters: { status: 'active' } };
    // Controller method → its Apex parameters, for the methods whose cost grows with the users.
    const calls: [string, Record<string, unknown>][] = [
      ['ScreensController.getUsersAndTeamsScreen', { query: { limit: 50 } }],
      ['ScreensController.getTeamHierarchyScreen', {}],
      ['ScreensController.getUserSettingsRulesScreen', {}],
      ['UsersController.listUsers', { query: { limit: 50, search: 'last0123' } }],
      ['UsersController.getUserCounts', {}],
      ['TeamsController.getTeamTree', {}],
      ['TeamsController.getTeamHistory', { teamId }],
      ['AuditController.listAuditLog', { query: {} }],
      ['PermissionErrorsController.listPermissionErrors', {}],
      ['ProfilesController.getProfileSummary', { profileId: org.defaultProfileId }],
      ['ProfilesController.getEligibilityPreview', { profileId: org.defaultProfileId }],
      ['RulesController.simulateRules', { request: { userId: someUser } }],
      [
        'UsersController.bulkUpdateUsers',
        {
          request: {
            selection: everyActive,
            change: { action: 'set_visibility', objectVisibility: 'team' },
            dryRun: true,
          },
        },
      ],
      // Only the count is a callout: the apply is a users.bulk job (it took 14-15 s here as a callout).
      [
        'UsersController.bulkUpdateUsers',
        {
          request: {
            selection: { filters: {} },
            change: { action: 'set_licenses', licenses: ['foundation', 'forecasting'] },
            dryRun: true,
          },
        },
      ],
      ['PermissionErrorsController.getMailboxStats', {}],
      ['TeamsController.deleteTeam', { teamId: otherTeam, moveMembersTo: teamId }],
    ];
    const out: Measurement[] = [];
    for (const [method, params] of calls) {
      const call = apexRoutes[method]!(params);
      const url = new URL(`/api/v1${call.path}`, 'http://service');
      for (const [k, v] of Object.entries(call.query ?? {}))
        if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
      const started = performance.now();
      const res = await app.inject({
        method: call.method,
        url: url.pathname + url.search,
        headers: {
          authorization: `Bearer ${org.apiKey}`,
          'x-roster-actor': 'admin@bench.example',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        payload: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      const seconds = (performance.now() - started) / 1000;
      const bulk = call.body as { dryRun?: boolean; selection?: { filters?: object } };
      const label =
        method === 'UsersController.bulkUpdateUsers'
          ? `${method}.${bulk.dryRun ? 'dry_run' : 'apply'}.${Object.keys(bulk.selection?.filters ?? {}).length ? 'active' : 'everyone'}`
          : method;
      out.push({
        name: `callout.${database.kind}.${label}`,
        value: seconds,
        unit: `s (HTTP ${res.statusCode})`,
        target: `< ${APEX_WAIT_S} s, the Apex callout timeout`,
        ok: res.statusCode < 500 && seconds < APEX_WAIT_S,
      });
    }
    return out;
  } finally {
    await app.close();
    await database.drop();
  }
};
export default bench;
