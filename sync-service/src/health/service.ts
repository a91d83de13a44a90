import type { Connection } from 'jsforce';
import type { Knex } from 'knex';
import { scoped, type OrgScope } from '../db/scoped.js';
import { AppError } from '../shared/errors.js';
import { reportForConnectionFailure, runHealthCheck } from './check.js';
import { healthRepo } from './repo.js';
import type { StoredHealthReport } from './schemas.js';

export interface HealthServiceDeps {
  db: Knex;
  /** The org's authorized Salesforce session (app.salesforce); throws 409 salesforce_not_connected without one. */
  salesforce: { forOrg(orgId: string): Promise<{ conn: Connection }> };
}

export function createHealthService({ db, salesforce }: HealthServiceDeps) {
  return {
    /** The latest result, or null while none has run (a new org is not an error: the screen offers the first run). */
    async latest(scope: OrgScope): Promise<StoredHealthReport | null> {
      return (await healthRepo.latest(scope)) ?? null;
    },

    /** Runs the check as the integration user and keeps the result; a refused login is a result too ('unavailable'). */
    async run(orgId: string): Promise<StoredHealthReport> {
      let conn: Connection;
      try {
        conn = (await salesforce.forOrg(orgId)).conn;
      } catch (err) {
        if (err instanceof AppError && err.code === 'salesforce_not_connected') throw err;
        return healthRepo.insert(scoped(db, orgId), reportForConnectionFailure(err));
      }
      return healthRepo.insert(scoped(db, orgId), await runHealthCheck(conn));
    },

    history: (scope: OrgScope, query: { limit: number; before?: string | undefined }) =>
      healthRepo.history(scope, query),
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
