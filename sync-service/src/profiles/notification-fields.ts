import type { OrgField } from '../describe/schemas.js';
import { findField } from '../describe/service.js';
import { UnprocessableError } from '../shared/errors.js';
import type { FieldLookup } from './field-check.js';
import type { Notifications } from './schemas.js';

/** Meetings are Salesforce Events: their category is saved on the Event. */
export const CATEGORY_OBJECTS = ['Event'] as const;
/** A follow-up answer is saved on the meeting's Event or on its follow-up Task. */
export const ANSWER_OBJECTS = ['Event', 'Task'] as const;

/** Why a field cannot hold what Roster writes there, or null when one of the objects has it writable. */
function problem(described: { objectType: string; fields: OrgField[] }[], name: string): string | null {
  const found = described.map((d) => findField(d.fields, name)).filter((f): f is OrgField => !!f);
  const where = described.map((d) => d.objectType).join(' or ');
  if (!found.length) return `${where} has no field "${name}" in this Salesforce org.`;
  if (!found.some((f) => f.updateable)) return `${found[0]!.label} (${name}) is read-only on ${where}.`;
  return null;
}

/**
 * Refuses, before the save, a meeting category field or an answer field the org's Events and Tasks do not have
 * (or cannot be written): 422 naming the setting or the question by its number. Nothing to check without a connection.
 */
export async function assertNotificationFields(fields: FieldLookup | undefined, orgId: string, input: Notifications) {
  if (!fields) return;
  const describe = async (types: readonly string[]) => {
    const out: { objectType: string; fields: OrgField[] }[] = [];
    for (const objectType of types) {
      const known = await fields(objectType, orgId);
      if (!known) return null;
      out.push({ objectType, fields: known });
    }
    return out;
  };
  const problems: { setting: string; field: string; message: string }[] = [];
  if (input.meetingCategoryField) {
    const events = await describe(CATEGORY_OBJECTS);
    if (!events) return;
    const p = problem(events, input.meetingCategoryField);
    if (p) problems.push({ setting: 'meetingCategoryField', field: input.meetingCategoryField, message: p });
  }
  if (input.followUpQuestions.length) {
    const targets = await describe(ANSWER_OBJECTS);
    if (!targets) return;
    input.followUpQuestions.forEach((q, i) => {
      const p = problem(targets, q.answerField);
      if (p) problems.push({ setting: `followUpQuestions.${i}.answerField`, field: q.answerField, message: p });
    });
  }
  if (!problems.length) return;
  const named = (s: string) =>
    s === 'meetingCategoryField' ? 'Meeting category field' : `Follow-up question ${Number(s.split('.')[1]) + 1}`;
  throw new UnprocessableError('unknown_field', problems.map((p) => `${named(p.setting)}: ${p.message}`).join(' '), {
    fields: problems,
  });
}
