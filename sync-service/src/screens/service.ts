import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { scoped } from '../db/scoped.js';
import { AppError } from '../shared/errors.js';
import type { HealthService } from '../health/service.js';
import type { JobRunner } from '../jobs/runner.js';
import type { MailboxService } from '../mailbox/service.js';
import type { ProfilesService } from '../profiles/service.js';
import type { RulesService } from '../rules/service.js';
import type { createRoleImportService } from '../sync/role-import.js';
import type { SyncService } from '../sync/service.js';
import type { createCustomTeamsService } from '../teams/custom.js';
import type { createTeamsService } from '../teams/service.js';
import { UserListQuery } from '../users/schemas.js';
import type { UsersService } from '../users/service.js';

export interface ScreensDeps {
  db: Knex;
  log: FastifyBaseLogger;
  users: UsersService;
  teams: ReturnType<typeof createTeamsService>;
  customTeams: ReturnType<typeof createCustomTeamsService>;
  profiles: ProfilesService;
  rules: RulesService;
  sync: SyncService;
  roles: ReturnType<typeof createRoleImportService>;
  health: HealthService;
  mailbox: MailboxService;
  jobs: JobRunner;
}

type Team = { managerUserId: string | null; children?: Team[] };

/** Every team of the tree, depth first, the Unassigned team last. */
function allTeams(tree: { top: Team; unassigned: Team }): Team[] {
  const out: Team[] = [];
  const visit = (team: Team) => {
    out.push(team);
    (team.children ?? []).forEach(visit);
  };
  visit(tree.top);
  out.push(tree.unassigned);
  return out;
}

/**
 * Awaits every part side by side and answers them under the same names, each on its own: a part that fails
 * unexpectedly is answered null and named in `failedParts` (its error logged with the request), so the screen shows
 * the rest. A refusal (4xx: the admin's own query is wrong) still refuses the whole answer, in its own words.
 */
async function eachOf<T extends Record<string, Promise<unknown>>>(
  parts: T,
  log: FastifyBaseLogger,
): Promise<{ [K in keyof T]: Awaited<T[K]> | null } & { failedParts: (keyof T & string)[] }> {
  const keys = Object.keys(parts) as (keyof T & string)[];
  const settled = await Promise.allSettled(keys.map((k) => parts[k]));
  const failedParts: (keyof T & string)[] = [];
  const values = settled.map((result, i) => {
    if (result.status === 'fulfilled') return result.value;
    if (result.reason instanceof AppError && result.reason.statusCode < 500) throw result.reason;
    log.error({ err: result.reason, part: keys[i] }, 'a part of a screen could not be read');
    failedParts.push(keys[i]!);
    return null;
  });
  return { ...Object.fromEntries(keys.map((k, i) => [k, values[i]])), failedParts } as {
    [K in keyof T]: Awaited<T[K]> | null;
  } & { failedParts: (keyof T & string)[] };
}

/**
 * Each admin screen's first load as one answer, composed from the domain services (each part is what its own
 * endpoint answers): Apex allows few callouts per page load, so a screen asks once. Reads only, run side by side.
 */
export function createScreensService(deps: ScreensDeps) {
  const { users, teams, profiles, sync, jobs } = deps;
  const scope = (orgId: string) => scoped(deps.db, orgId);
  const runningJobs = async (orgId: string) => ({ items: await jobs.listActive(orgId) });

  /** Only the users named by id (at most 500 per page of the list, as the screens asked before). */
  async function named(orgId: string, ids: (string | null | undefined)[]) {
    const unique = [...new Set(ids.filter((id): id is string => !!id))].slice(0, 500);
    if (!unique.length) return [];
    const page = await users.list(orgId, UserListQuery.parse({ ids: unique.join(','), limit: unique.length }));
    return page.items;
  }

  return {
    async usersAndTeams(orgId: string, query: Omit<UserListQuery, 'ids' | 'cursor'>) {
      return eachOf(
        {
          users: users.list(orgId, query),
          counts: users.counts(orgId),
          teams: teams.tree(orgId),
          profiles: profiles.list(orgId),
          mode: sync.modeState(orgId),
          approvals: sync.listApprovals(orgId),
          conflicts: sync.listConflicts(orgId, 'open'),
          health: deps.health.latest(scope(orgId)),
          permissionErrors: deps.mailbox.permissionErrors(scope(orgId), { limit: 1000, offset: 0 }),
          mailbox: deps.mailbox.stats(scope(orgId)),
          runningJobs: runningJobs(orgId),
        },
        deps.log,
      );
    },

    async teamHierarchy(orgId: string) {
      const [tree, customTeams, mode] = await Promise.all([
        teams.tree(orgId),
        deps.customTeams.list(orgId),
        sync.modeState(orgId),
      ]);
      const [managers, topTeamHistory] = await Promise.all([
        named(
          orgId,
          allTeams(tree).map((t) => t.managerUserId),
        ),
        teams.history(orgId, tree.top.id, 200),
      ]);
      return { teams: tree, managers, customTeams, topTeamHistory, mode };
    },

    async roleHierarchy(orgId: string) {
      const roles = await deps.roles.list(orgId);
      // After the tree: a background refresh it has just started is among the running jobs.
      return { roles, runningJobs: await runningJobs(orgId) };
    },

    async integrationHealth(orgId: string) {
      const [health, runs, approvals, conflicts, drift, mode, running] = await Promise.all([
        deps.health.latest(scope(orgId)),
        sync.listRuns(orgId, 50),
        sync.listApprovals(orgId),
        sync.listConflicts(orgId, 'open'),
        sync.drift(orgId),
        sync.modeState(orgId),
        runningJobs(orgId),
      ]);
      const conflictUsers = await named(
        orgId,
        conflicts.items.map((c: { userId: string | null }) => c.userId),
      );
      return { health, runs, approvals, conflicts, conflictUsers, drift, mode, runningJobs: running };
    },

    async userSettingsRules(orgId: string) {
      const [rules, tree, profileList, running] = await Promise.all([
        deps.rules.list(orgId),
        teams.tree(orgId),
        profiles.list(orgId),
        runningJobs(orgId),
      ]);
      const ruleUsers = await named(
        orgId,
        rules.rules.flatMap((r) => r.filters.filter((f) => f.field === 'team_manager').map((f) => f.value)),
      );
      return { rules, teams: tree, profiles: profileList, ruleUsers, runningJobs: running };
    },
  };
}

export type ScreensService = ReturnType<typeof createScreensService>;
