import type { Knex } from 'knex';
import type { z } from 'zod';
import { scoped } from '../db/scoped.js';
import { findField } from '../describe/service.js';
import type { SalesforceSession } from '../salesforce/connection.js';
import { findOrgRecords, type ExtraFields } from '../matching/candidates.js';
import { OBJECT_TYPES, type ObjectType } from '../matching/conditions.js';
import { decide, type NamedMatchingProfile } from '../matching/explain.js';
import { scoreRecords } from '../matching/scoring.js';
import { assertConditionsFit, conditionProblems, type FieldLookup } from './field-check.js';
import { loadProfile, toMatchingProfile } from './repo.js';
import type { MatchingPreview, MatchingPreviewInput, Profile } from './schemas.js';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Activity toggles that, when off, stop a match from being used: data, one line per toggle. */
const OFF_NOTES: { toggle: keyof Profile['activity']; when?: 'email' | 'meeting'; note: string }[] = [
  { toggle: 'intakeData', note: 'Intake Data is off: Roster does not collect activity for users on this profile.' },
  { toggle: 'pushData', note: 'Push Data is off: matched activity is not synced to Salesforce.' },
  { toggle: 'emailSync', when: 'email', note: 'Email Sync is off: matched emails are not synced to Salesforce.' },
  {
    toggle: 'meetingSync',
    when: 'meeting',
    note: 'Meeting Sync is off: matched meetings are not synced to Salesforce.',
  },
];
const notesFor = (profile: Profile, activity: 'email' | 'meeting') =>
  OFF_NOTES.filter((n) => (!n.when || n.when === activity) && !profile.activity[n.toggle]).map((n) => n.note);

/**
 * The fields each type's query reads: its eligibility conditions' fields (each checked against the org first, so a
 * field removed since the save is named on its condition, never met as a refused query) and the ranking groups'.
 * A ranking group for All names fields some types lack: those types simply have no value for it.
 */
async function fieldsToRead(orgId: string, profile: Profile, fields: FieldLookup): Promise<ExtraFields> {
  const extra = { Opportunity: [], Account: [], Lead: [] } as Record<ObjectType, string[]>;
  for (const type of OBJECT_TYPES) {
    const known = await fields(type, orgId);
    const e = profile.eligibility[type];
    if (e.state === 'filtered') {
      for (const g of e.groups) {
        if (known)
          assertConditionsFit(
            `The ${type} group "${g.name || 'Unnamed group'}"`,
            conditionProblems(type, known, g.conditions),
          );
        extra[type].push(...g.conditions.map((c) => c.field));
      }
    }
    profile.rankingGroups.forEach((g, i) => {
      if (g.target !== 'All' && g.target !== type) return;
      for (const c of g.conditions) {
        if (known && !findField(known, c.field)) {
          if (g.target === 'All') continue;
          assertConditionsFit(
            `Ranking group ${i + 1} "${g.name || 'Unnamed group'}"`,
            conditionProblems(type, known, g.conditions),
          );
        }
        extra[type].push(c.field);
      }
    });
  }
  return extra;
}

/** The matching preview: what the profile would match an activity with these participants to, and why. */
export function createMatchingPreview({
  db,
  fields,
  connect,
}: {
  db: Knex;
  fields: FieldLookup;
  connect: (orgId: string) => Promise<SalesforceSession>;
}) {
  return {
    async preview(orgId: string, profileId: string, input: z.infer<typeof MatchingPreviewInput>) {
      const profile = await loadProfile(scoped(db, orgId), profileId);
      const session = await connect(orgId);
      const emails = [...new Set(input.participants.map((p) => p.trim().toLowerCase()))];
      const records = await findOrgRecords(session, emails, await fieldsToRead(orgId, profile, fields));
      const decisions = decide(scoreRecords(records, input.subject ?? ''), {
        ...toMatchingProfile(profile),
        eligibility: profile.eligibility,
        rankingGroups: profile.rankingGroups.map((g) => ({ ...g })) as NamedMatchingProfile['rankingGroups'],
      });
      const people = [
        ...records.contacts.map((c) => ({
          objectType: 'Contact' as const,
          id: c.Id,
          name: text(c.Name),
          email: text(c.Email),
        })),
        ...records.leads.map((l) => ({
          objectType: 'Lead' as const,
          id: l.Id,
          name: text(l.Name),
          email: text(l.Email),
        })),
      ];
      const result: z.infer<typeof MatchingPreview> = {
        profileId,
        notes: notesFor(profile, input.activity),
        participants: emails.map((email) => ({
          email,
          records: people.filter((p) => p.email.toLowerCase() === email).map(({ email: _e, ...r }) => r),
        })),
        candidates: decisions.map((d) => ({
          id: d.candidate.id,
          objectType: d.candidate.objectType,
          name: d.candidate.name,
          score: d.candidate.score,
          signals: d.candidate.signals,
          outcome: d.outcome,
          rank: d.rank,
          why: d.why,
          placement: d.placement,
        })),
      };
      return result;
    },
  };
}
