import type { OrgScope } from '../db/scoped.js';
import { reportProgress } from '../jobs/progress.js';
import type { Actor } from '../shared/audit.js';
import { fromDatabaseError } from '../shared/database-errors.js';
import { ConflictError } from '../shared/errors.js';
import { refuseCustomTeamsPastCap } from '../teams/custom-cap.js';
import { createUsers, deleteUsers, updateUsers } from '../users/write-repo.js';
import { suspendUsers } from '../users/status.js';
import { loadProfileNames, loadTeamNames, loadUsersByEmail } from './load.js';
import type { ImportPlan, PlanBasis } from './plan.js';
import type { NewUserFields } from '../users/repo.js';
import { chunks } from '../shared/chunks.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The emails, team names and profile names whose state differs from what the plan was made from; `written`: emails
 * this import already added (their check was made before they were written).
 */
async function changedSince(scope: OrgScope, basis: PlanBasis, written?: ReadonlySet<string>): Promise<string[]> {
  const changed: string[] = [];
  const emails = [...basis.users.keys()].filter((email) => !written?.has(email));
  // A chunk at a time: the users as they are now are compared and dropped, never all held beside the basis.
  for (const part of chunks(emails)) {
    const now = await loadUsersByEmail(scope, part);
    for (const email of part) if (!same(basis.users.get(email), now.get(email))) changed.push(email);
  }
  if (basis.teams.length) {
    const teams = await loadTeamNames(scope);
    for (const [name, ids] of basis.teams) if (!same(ids, teams.get(name) ?? [])) changed.push(`team "${name}"`);
  }
  if (basis.profiles.length) {
    const profiles = await loadProfileNames(scope);
    for (const [name, id] of basis.profiles)
      if (!same(id, profiles.get(name))) changed.push(`configuration profile "${name}"`);
  }
  return changed;
}

/**
 * Writes exactly `plan`, set by set, in the caller's transaction (so the import lands entirely or not at all). The
 * plan was checked against the org as `basis` records it; if any user, team or profile the file names changed since,
 * nothing is written and the admin is told which, so the file is checked again instead of half-applying stale rows.
 */
export async function applyImport(
  scope: OrgScope,
  actor: Actor,
  plan: ImportPlan,
  basis: PlanBasis,
  early: { written: ReadonlySet<string>; changed: readonly string[]; teams?: ReadonlySet<string | null> } = {
    written: new Set(),
    changed: [],
  },
): Promise<void> {
  const changed = [...early.changed, ...(await changedSince(scope, basis, early.written))];
  if (changed.length)
    throw new ConflictError(
      'import_stale',
      `Roster changed while the file was being checked (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? `, and ${changed.length - 5} more` : ''}); nothing was imported. Import the file again.`,
      { changed },
    );
  // A job's progress; an interrupt here rolls the whole transaction back, and the job runs again.
  const total = plan.adds.length + plan.edits.length + plan.suspends.length + plan.deletes.length;
  let done = 0;
  const step = (n = 0) => reportProgress({ phase: 'Applying the changes', done: (done += n), total });
  step();
  if (plan.adds.length) await addUsers(scope, actor, plan.adds);
  step(plan.adds.length);
  if (plan.edits.length) await updateUsers(scope, actor, plan.edits);
  step(plan.edits.length);
  const byReason = new Map<string, string[]>();
  for (const s of plan.suspends) (byReason.get(s.reason) ?? byReason.set(s.reason, []).get(s.reason)!).push(s.id);
  for (const [reason, ids] of byReason) {
    await suspendUsers(scope, actor, ids, reason);
    step(ids.length);
  }
  if (plan.deletes.length) await deleteUsers(scope, actor, plan.deletes);
  step(plan.deletes.length);
  await refuseCustomTeamsPastCap(scope, [
    ...(early.teams ?? []),
    ...plan.adds.map((a) => a.teamId),
    ...plan.edits.filter((e) => e.after.teamId !== e.before.teamId).map((e) => e.after.teamId),
  ]);
}

// Another admin adding the same email after the check loses to the unique index: 409 naming the field, here too
// (a job reports the error it is given, so the database's error is mapped before it leaves).
const addUsers = (scope: OrgScope, actor: Actor, adds: readonly NewUserFields[]) =>
  createUsers(scope, actor, adds, 'csv').catch((err: unknown) => {
    throw fromDatabaseError(err) ?? err;
  });

/**
 * Writes an import's Add rows while the rest of the file is still being read and checked, in the transaction of
 * `scope` (the database inserts one chunk while the service parses the next, instead of waiting for the whole file):
 * `add` queues a chunk of adds, checked first against the org as it is now (an email taken since the file was
 * planned is reported, not written); `finish` waits for them and applies the rest of the plan (applyImport). A row
 * found wrong later must roll the transaction back: the caller throws before `finish`, and nothing is kept.
 */
export function createImportWriter(scope: OrgScope, actor: Actor) {
  const written = new Set<string>();
  const changed: string[] = [];
  const teams = new Set<string | null>();
  let queue: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  return {
    add(adds: readonly NewUserFields[]): void {
      if (adds.length === 0) return;
      queue = queue
        .then(async () => {
          // Once a write failed or an email was taken, the import will be refused: nothing more is written.
          if (failure || changed.length) return;
          const emails = adds.map((a) => a.email.toLowerCase());
          const now = await loadUsersByEmail(scope, emails);
          changed.push(...emails.filter((email) => now.has(email)));
          if (changed.length) return;
          await addUsers(scope, actor, adds);
          for (const email of emails) written.add(email);
          for (const a of adds) teams.add(a.teamId);
        })
        .catch((error: unknown) => {
          failure ??= { error };
        });
    },
    /** Waits for the queued adds; then writes the rest of `plan` (its adds not yet written), or throws. */
    async finish(plan: ImportPlan, basis: PlanBasis): Promise<void> {
      await queue;
      if (failure) throw failure.error;
      await applyImport(scope, actor, plan, basis, { written, changed, teams });
    },
    /** Waits for the queued adds and drops their outcome (the transaction is being rolled back). */
    settle: () => queue,
  };
}
