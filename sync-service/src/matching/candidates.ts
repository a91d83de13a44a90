import type { SalesforceSession } from '../salesforce/connection.js';
import type { ObjectType } from './conditions.js';
import { soqlLiteral } from './soql.js';
import { chunks } from '../shared/chunks.js';

type SfRecord = Record<string, unknown> & { Id: string };

/** What the org holds for an activity's participants: who they are, their Accounts, and those Accounts' open deals. */
export interface OrgRecords {
  contacts: SfRecord[];
  leads: SfRecord[];
  accounts: SfRecord[];
  opportunities: SfRecord[];
  /** The participants' Contacts' roles on Opportunities (OpportunityContactRole). */
  contactRoles: { OpportunityId: string; ContactId: string }[];
}

/** The fields each query reads besides the ones matching always needs (conditions' fields, by type). */
export type ExtraFields = Record<ObjectType, readonly string[]>;

const BASE: Record<ObjectType | 'Contact', string[]> = {
  Contact: ['Id', 'Name', 'Email', 'AccountId'],
  Lead: ['Id', 'Name', 'Email', 'Company'],
  Account: ['Id', 'Name'],
  Opportunity: ['Id', 'Name', 'AccountId'],
};
const select = (type: keyof typeof BASE, extra: readonly string[] = []) => {
  const seen = new Set<string>();
  return [...BASE[type], ...extra].filter((f) => !seen.has(f.toLowerCase()) && seen.add(f.toLowerCase())).join(', ');
};
const IN_CHUNK = 200;

/** Every record of `WHERE <field> IN (values)`, asked a chunk at a time and every page read. */
async function queryIn(session: SalesforceSession, head: string, field: string, values: string[], rest = '') {
  const out: SfRecord[] = [];
  for (const part of chunks(values, IN_CHUNK))
    out.push(
      ...(await session.queryAll<SfRecord>(`${head} WHERE ${field} IN (${part.map(soqlLiteral).join(', ')})${rest}`)),
    );
  return out;
}

/**
 * Finds the records an activity with these participants could be matched to, through the org's jsforce session:
 * Contacts and unconverted Leads by email, the Contacts' Accounts, those Accounts' open Opportunities and the open
 * Opportunities a participant has a contact role on.
 */
export async function findOrgRecords(
  session: SalesforceSession,
  emails: string[],
  extra: ExtraFields,
): Promise<OrgRecords> {
  if (!emails.length) return { contacts: [], leads: [], accounts: [], opportunities: [], contactRoles: [] };
  const contacts = await queryIn(session, `SELECT ${select('Contact')} FROM Contact`, 'Email', emails);
  const leads = await queryIn(
    session,
    `SELECT ${select('Lead', extra.Lead)} FROM Lead`,
    'Email',
    emails,
    ' AND IsConverted = false',
  );
  const accountIds = [
    ...new Set(contacts.map((c) => c.AccountId).filter((id): id is string => typeof id === 'string')),
  ];
  const accounts = accountIds.length
    ? await queryIn(session, `SELECT ${select('Account', extra.Account)} FROM Account`, 'Id', accountIds)
    : [];
  const contactRoles = contacts.length
    ? ((await queryIn(
        session,
        'SELECT Id, OpportunityId, ContactId FROM OpportunityContactRole',
        'ContactId',
        contacts.map((c) => c.Id),
      )) as unknown as OrgRecords['contactRoles'])
    : [];
  const openOpportunities = (field: string, ids: string[]) =>
    ids.length
      ? queryIn(
          session,
          `SELECT ${select('Opportunity', extra.Opportunity)} FROM Opportunity`,
          field,
          ids,
          ' AND IsClosed = false',
        )
      : Promise.resolve([]);
  // Open deals on the participants' Accounts, and those a participant has a role on wherever they are.
  const onAccounts = await openOpportunities('AccountId', accountIds);
  const known = new Set(onAccounts.map((o) => o.Id));
  const withRoles = await openOpportunities('Id', [
    ...new Set(contactRoles.map((r) => r.OpportunityId).filter((id) => !known.has(id))),
  ]);
  return { contacts, leads, accounts, opportunities: [...onAccounts, ...withRoles], contactRoles };
}
