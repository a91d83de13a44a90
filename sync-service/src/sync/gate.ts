import type { Connection } from 'jsforce';
import { checkSyncGate, gateBlockedMessage } from '../health/gate.js';
import type { FieldFilter } from './fetch.js';

/** The fields the sync needs beyond the integration-health manifest: required ones block the run, the rest warn. */
const SYNC_FIELDS = {
  User: {
    required: ['Id', 'Email', 'LastName', 'IsActive', 'UserType', 'UserRoleId', 'SystemModstamp'],
    recommended: ['FirstName', 'Title', 'ManagerId', 'ProfileId', 'Username'],
  },
  UserRole: {
    required: ['Id', 'Name', 'ParentRoleId', 'PortalType', 'SystemModstamp'],
    recommended: ['DeveloperName'],
  },
};

export interface GateResult {
  blocked: boolean;
  message: string | null;
  warnings: string[];
  filter: FieldFilter;
}

/**
 * The gate's describes per org, kept between polls (describe is one API call; an idle poll must stay at about one):
 * described again with every full health check, at least every 15 minutes, and whenever a query names a field the
 * org no longer shows (INVALID_FIELD), since cached describes go stale.
 */
const cached = new Map<string, { at: number; gate: GateResult }>();
const GATE_MAX_AGE_MS = 15 * 60_000;

export async function cachedGate(orgId: string, conn: Connection, opts: { fresh?: boolean } = {}): Promise<GateResult> {
  // Keyed on the Salesforce org and user too: a connection saved anew (another org or user) describes again.
  const key = `${orgId}|${conn.instanceUrl}|${conn.userInfo?.id ?? ''}`;
  const hit = cached.get(key);
  if (hit && !opts.fresh && Date.now() - hit.at < GATE_MAX_AGE_MS) return hit.gate;
  const gate = await runGate(conn);
  cached.set(key, { at: Date.now(), gate });
  return gate;
}

/** The integration-health gate before every sync (one /composite of describes); its SELECT lists drive the queries. */
export async function runGate(conn: Connection): Promise<GateResult> {
  const gate = await checkSyncGate(conn, ['User', 'UserRole'], { extra: SYNC_FIELDS });
  const readable = {
    User: new Set(gate.selectList('User')),
    UserRole: new Set(gate.selectList('UserRole')),
  };
  const filter: FieldFilter = (object, fields) =>
    fields.filter((f) => {
      // A parent path is readable when its lookup field is (describe lists ProfileId, not Profile).
      const [head, ...rest] = f.split('.');
      return readable[object].has(rest.length ? `${head}Id` : f);
    });
  return {
    blocked: gate.blocked,
    message: gate.blocked ? gateBlockedMessage(gate) : null,
    warnings: gate.missingRecommended.map((f) => `The integration user cannot read ${f}; it is left out of the sync.`),
    filter,
  };
}
