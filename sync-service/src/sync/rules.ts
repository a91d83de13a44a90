import type { OrgScope } from '../db/scoped.js';
import { loadRuleSet } from '../rules/repo.js';
import type { License, Role, Visibility } from '../users/vocabulary.js';

/** What a User Settings Rule gives a user the sync creates (and which rule did it). */
export interface Assignment {
  ruleId: string | null;
  profileId: string;
  role: Role;
  objectVisibility: Visibility;
  licenses: License[];
}

export interface RuleSubject {
  jobTitle: string;
  teamId: string;
}

export type AssignFn = (subject: RuleSubject) => Assignment;

/**
 * The org's rules as one function, loaded in the run's transaction after its teams are in place (Team Name and
 * Team Manager filters see them). An invalid rule makes loadRuleSet throw UnprocessableError 'invalid_rule', which
 * fails the run naming the rule: never a silent skip.
 */
export async function loadAssigner(scope: OrgScope): Promise<AssignFn> {
  const ruleSet = await loadRuleSet(scope);
  return (subject) => {
    const { rule, assignments: a } = ruleSet.evaluate(subject);
    return {
      ruleId: rule.id,
      profileId: a.profileId,
      role: a.role,
      objectVisibility: a.visibility,
      licenses: [...a.licenses],
    };
  };
}
