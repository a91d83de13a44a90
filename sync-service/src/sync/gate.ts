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
