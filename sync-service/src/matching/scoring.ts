import type { Candidate } from './engine.js';
import type { OrgRecords } from './candidates.js';

/** How much each matching signal adds to a record's score: data, so a weight is a one-line change. */
export const SIGNAL_POINTS = {
  /** A participant is this Lead (by email). */
  participantIsLead: 10,
  /** A participant is a Contact of this Account, or of the Opportunity's Account. */
  participantAtAccount: 5,
  /** A participant has a contact role on this Opportunity. */
  participantHasRole: 8,
  /** The subject mentions the record's name. */
  subjectNamesRecord: 3,
} as const;

export interface Signal {
  points: number;
  reason: string;
}
export interface ScoredCandidate extends Candidate {
  name: string;
  signals: Signal[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
// Short names ("A", "Co") would be found in almost any subject.
const mentions = (subject: string, name: string) =>
  name.length >= 3 && subject.toLowerCase().includes(name.toLowerCase());

/** Scores every record found for an activity, each with the signals that gave it its points. Pure. */
export function scoreRecords(records: OrgRecords, subject = ''): ScoredCandidate[] {
  const contactsByAccount = new Map<string, string[]>();
  for (const c of records.contacts) {
    const account = text(c.AccountId);
    if (account) contactsByAccount.set(account, [...(contactsByAccount.get(account) ?? []), text(c.Email)]);
  }
  const candidate = (
    objectType: Candidate['objectType'],
    r: Record<string, unknown> & { Id: string },
    signals: Signal[],
  ): ScoredCandidate => {
    const name = text(r.Name);
    const all = mentions(subject, name)
      ? [...signals, { points: SIGNAL_POINTS.subjectNamesRecord, reason: `The subject mentions "${name}".` }]
      : signals;
    return { id: r.Id, objectType, name, fields: r, signals: all, score: all.reduce((n, s) => n + s.points, 0) };
  };
  const atAccount = (accountId: unknown, accountName: string) =>
    (contactsByAccount.get(text(accountId)) ?? []).map((email) => ({
      points: SIGNAL_POINTS.participantAtAccount,
      reason: `${email} is a Contact at ${accountName}.`,
    }));
  const accountNames = new Map(records.accounts.map((a) => [a.Id, text(a.Name)]));
  const emailOf = new Map(records.contacts.map((c) => [c.Id, text(c.Email)]));
  const roles = (opportunityId: string) =>
    records.contactRoles
      .filter((r) => r.OpportunityId === opportunityId && emailOf.has(r.ContactId))
      .map((r) => ({
        points: SIGNAL_POINTS.participantHasRole,
        reason: `${emailOf.get(r.ContactId)} has a contact role on this Opportunity.`,
      }));
  return [
    ...records.leads.map((l) =>
      candidate('Lead', l, [{ points: SIGNAL_POINTS.participantIsLead, reason: `${text(l.Email)} is this Lead.` }]),
    ),
    ...records.accounts.map((a) => candidate('Account', a, atAccount(a.Id, text(a.Name)))),
    ...records.opportunities.map((o) =>
      candidate('Opportunity', o, [
        ...atAccount(o.AccountId, accountNames.get(text(o.AccountId)) ?? 'its Account'),
        ...roles(o.Id),
      ]),
    ),
  ];
}
