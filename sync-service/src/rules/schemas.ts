import { z } from 'zod';
import { PreviewSummary } from '../shared/preview-token.js';
import { LICENSES, VISIBILITIES } from '../users/vocabulary.js';

/** The roles a rule may give a new user: Data is not among a rule's choices. */
export const ROLES = ['admin', 'manager', 'member'] as const;

const Id = z.uuid();
const JobTitleValue = z.union([z.string().trim().min(1).max(200), z.array(z.string())]);

export const RuleFilter = z
  .discriminatedUnion('field', [
    z.object({ field: z.literal('team_name'), operator: z.enum(['is', 'is_not', 'is_under']), value: Id }).strict(),
    z.object({ field: z.literal('team_manager'), operator: z.enum(['is', 'is_not']), value: Id }).strict(),
    z
      .object({
        field: z.literal('job_title'),
        operator: z.enum(['equals', 'not_equals', 'contains', 'does_not_contain', 'starts_with']),
        value: JobTitleValue,
      })
      .strict(),
  ])
  .superRefine((f, ctx) => {
    if (f.field === 'job_title' && Array.isArray(f.value)) {
      const message =
        f.operator === 'contains' || f.operator === 'does_not_contain'
          ? `Job Title ${f.operator === 'contains' ? 'Contains' : 'Does Not Contain'} takes exactly one value per clause; create a separate rule for each further value.`
          : 'Job Title takes one value per clause.';
      ctx.addIssue({ code: 'custom', path: ['value'], message });
    }
  })
  .transform((f) => f as RuleFilterValue);

export type RuleFilterValue =
  | { field: 'team_name'; operator: 'is' | 'is_not' | 'is_under'; value: string }
  | { field: 'team_manager'; operator: 'is' | 'is_not'; value: string }
  | {
      field: 'job_title';
      operator: 'equals' | 'not_equals' | 'contains' | 'does_not_contain' | 'starts_with';
      value: string;
    };

export const RuleFilterOut = z.object({ field: z.string(), operator: z.string(), value: z.string() });

export const Assignments = z
  .object({
    profileId: Id,
    role: z.enum(ROLES),
    visibility: z.enum(VISIBILITIES),
    licenses: z
      .array(z.enum(LICENSES))
      .max(LICENSES.length)
      .refine((l) => new Set(l).size === l.length, 'Each license once.'),
  })
  .strict();
export type Assignments = z.infer<typeof Assignments>;

const Name = z.string().trim().min(1).max(120);
const Description = z.string().trim().max(1000);

export const RuleInput = z
  .object({
    name: Name,
    description: Description.default(''),
    filters: z
      .array(RuleFilter)
      .min(1, 'A rule needs at least one filter; the catch-all covers everyone else.')
      .max(20),
    assignments: Assignments,
    /** 0-based place among the ordered rules; the end (just above the catch-all) when omitted. */
    position: z.number().int().min(0).optional(),
  })
  .strict();
export const RulePatch = z
  .object({
    name: Name.optional(),
    description: Description.optional(),
    filters: z.array(RuleFilter).max(20).optional(),
    assignments: Assignments.optional(),
  })
  .strict();

export const RuleProblem = z.object({
  code: z.string(),
  message: z.string(),
  clause: z.object({ index: z.number().int(), text: z.string() }).optional(),
});
export const Rule = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  isCatchAll: z.boolean(),
  filters: z.array(RuleFilterOut),
  assignments: z.object({
    profileId: z.string(),
    role: z.string(),
    visibility: z.string(),
    licenses: z.array(z.string()),
  }),
  valid: z.boolean(),
  problems: z.array(RuleProblem),
});
export const RuleList = z.object({ rules: z.array(Rule), invalidCount: z.number().int() });
export const RuleOrder = z.object({ ids: z.array(Id).max(1000) }).strict();
export const RuleParams = z.object({ id: Id });

/** A rule as drafted in the editor: an existing rule by id (with optional edits) or a new one. */
export const DraftRule = z
  .object({
    id: Id.optional(),
    name: Name.optional(),
    description: Description.optional(),
    filters: z.array(RuleFilter).max(20).optional(),
    assignments: Assignments.optional(),
  })
  .strict();

export const SimulateInput = z
  .object({
    userId: Id.optional(),
    sfUserId: z
      .string()
      .regex(/^[a-zA-Z0-9]{15,18}$/, 'A Salesforce user id has 15 or 18 letters and digits.')
      .optional(),
    all: z.literal(true).optional(),
    rules: z.array(DraftRule).max(200).optional(),
  })
  .strict()
  .refine(
    (b) => [b.userId, b.sfUserId, b.all].filter((x) => x !== undefined).length === 1,
    'Name exactly one of userId, sfUserId or all: true.',
  );

export const Clause = z.object({
  index: z.number().int(),
  field: z.string(),
  operator: z.string(),
  value: z.string(),
  text: z.string(),
});
export const SimulationResult = z.object({
  subject: z.object({
    userId: z.string().nullable(),
    sfUserId: z.string().nullable(),
    email: z.string(),
    name: z.string(),
    jobTitle: z.string(),
    teamId: z.string().nullable(),
    teamName: z.string().nullable(),
  }),
  rule: z.object({ id: z.string(), name: z.string(), isCatchAll: z.boolean() }),
  decidingClause: Clause.nullable(),
  assignments: Assignments,
  passedOver: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), failedClause: Clause })).optional(),
});
export const Simulation = z.object({
  results: z.array(SimulationResult),
  summary: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), users: z.number().int() })),
});

export const ReapplyChange = z.object({
  userId: z.string(),
  email: z.string(),
  rule: z.object({ id: z.string(), name: z.string() }),
  changes: z.array(
    z.object({ field: z.enum(['profileId', 'role', 'visibility', 'licenses']), from: z.unknown(), to: z.unknown() }),
  ),
});
export const ReapplyPreview = z.object({
  /** Send it with the apply: the apply refuses (409 preview_stale, with the new preview) a plan that changed. */
  previewToken: z.string(),
  summary: PreviewSummary,
  total: z.number().int(),
  unchanged: z.number().int(),
  changes: z.array(ReapplyChange),
  warnings: z.array(z.string()),
});
export const ReapplyInput = z
  .object({
    confirm: z.literal(true),
    previewToken: z.string().max(1000).optional(),
    /** Users of the previewed diff the admin chose to leave as they are. */
    excludeUserIds: z.array(z.uuid()).max(100_000).optional(),
  })
  .strict();
export const ReapplyResult = z.object({
  applied: z.number().int(),
  unchanged: z.number().int(),
  /** Users the diff would have changed that the admin excluded. */
  excluded: z.number().int(),
});
