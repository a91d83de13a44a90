import type { OrgScope } from '../db/scoped.js';
import { customTeamsPastCapAfter } from '../teams/custom-cap.js';
import { CUSTOM_TEAM_MAX_PEOPLE } from '../teams/schemas.js';
import type { ColumnKey } from './columns.js';
import type { Validated } from './plan.js';

/**
 * A dry run's check of the 100-people cap the apply holds the file to (refused whole with 409
 * custom_team_too_large): every row that would bring someone into a custom team the file takes past the cap is an
 * error on its Team cell, naming the custom team and the people it would hold, so the admin learns before applying.
 * The checked plan is the file's whole effect, so adds, team moves and deletes are counted together.
 */
export async function reportCustomTeamsPastCap(
  scope: OrgScope,
  checked: Validated,
  columnOf: (key: ColumnKey) => string,
): Promise<void> {
  const { plan, outcomes, errors, summary } = checked;
  const adds = plan.adds.map((a) => ({ email: a.email, userId: null, to: a.teamId! }));
  const moves = plan.edits
    .filter((e) => e.after.teamId !== null && e.after.teamId !== e.before.teamId)
    .map((e) => ({ email: e.after.email, userId: e.id, to: e.after.teamId! }));
  if (!adds.length && !moves.length) return;
  const past = await customTeamsPastCapAfter(scope, {
    adds: adds.map((a) => ({ teamId: a.to })),
    moves: moves.map((m) => ({ userId: m.userId, to: m.to })),
    deletes: plan.deletes,
  });
  if (!past.length) return;
  const outcomeOf = new Map(outcomes.map((o) => [o.email.toLowerCase(), o]));
  const column = columnOf('team');
  for (const team of past) {
    const joining = [...adds, ...moves].filter(
      (r) => team.now.teamIds.has(r.to) && !(r.userId && team.now.people.has(r.userId)),
    );
    for (const row of joining) {
      const outcome = outcomeOf.get(row.email.toLowerCase());
      if (!outcome) continue;
      const message = `${row.email} would join custom team "${team.name}" with this row's team, taking it to ${team.people} people, past ${CUSTOM_TEAM_MAX_PEOPLE}: move fewer people into its teams, or remove members from the custom team first.`;
      if (outcome.outcome !== 'error') summary[outcome.outcome] -= 1;
      outcome.outcome = 'error';
      outcome.messages = [...outcome.messages, message];
      errors.push({ line: outcome.line, column, code: 'custom_team_too_large', message });
    }
  }
  errors.sort((a, b) => a.line - b.line);
}
