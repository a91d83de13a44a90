import type { Knex } from 'knex';
import type { OrgScope } from '../db/scoped.js';
import { healthRepo } from '../health/repo.js';
import { getManagementMode } from '../orgs/repo.js';
import type { Queue } from '../shared/queue.js';
import { syncStopState } from '../sync/stop.js';

/** Whether the service's parts answer, and where the org's sync and latest Integration Health check stand. */
export function createServiceStatus(deps: { db: Knex; queue: Queue | null }) {
  const database = () =>
    deps.db
      .raw('select 1')
      .then(() => 'ok' as const)
      .catch(() => 'down' as const);
  const queue = async () => {
    if (!deps.queue) return 'disabled' as const;
    return deps.queue.raw
      .getQueues()
      .then(() => 'ok' as const)
      .catch(() => 'down' as const);
  };

  async function sync(scope: OrgScope, mode: 'manual' | 'automatic') {
    if (mode !== 'automatic') return { state: 'manual' as const, message: null, missing: [] };
    const stop = await syncStopState(scope);
    return {
      state: stop.stopped ? ('stopped' as const) : ('running' as const),
      message: stop.message,
      missing: stop.missing,
    };
  }

  return {
    async forOrg(scope: OrgScope) {
      const mode = await getManagementMode(scope);
      const latest = await healthRepo.latestOverall(scope);
      return {
        database: await database(),
        queue: await queue(),
        integration: {
          overall: latest?.overall ?? ('unknown' as const),
          checkedAt: latest?.checkedAt ?? null,
        },
        managementMode: mode,
        sync: await sync(scope, mode),
      };
    },
  };
}
