import { z } from 'zod';
import { checkOperatorValue, Condition, conditionShape, FieldName, OBJECT_TYPES } from '../matching/conditions.js';
import { ACTIVITY_TOGGLES } from '../orgs/builtins.js';

export const ObjectType = z.enum(OBJECT_TYPES);
export const EligibilityState = z.enum(['all', 'filtered', 'none']);
export const RankingTarget = z.enum([...OBJECT_TYPES, 'All']);
export const Recipients = z.enum(['owner_only', 'all_participants']);

const Name = z.string().trim().min(1).max(120);
const Id = z.uuid();

/** The eight activity data toggles; a partial object changes only the toggles it names. */
export const Activity = z.object(
  Object.fromEntries(ACTIVITY_TOGGLES.map((t) => [t, z.boolean()])) as Record<
    (typeof ACTIVITY_TOGGLES)[number],
    z.ZodBoolean
  >,
);
export const ActivityPatch = Activity.partial().strict();
export type Activity = z.infer<typeof Activity>;

export const TOGGLE_LABELS: Record<(typeof ACTIVITY_TOGGLES)[number], string> = {
  intakeData: 'Intake Data',
  transcriptIntake: 'Transcript Intake',
  displayData: 'Display Data',
  pushData: 'Push Data',
  emailSync: 'Email Sync',
  meetingSync: 'Meeting Sync',
  contactCreation: 'Contact Creation',
  contactRoleCreation: 'Contact Role Creation',
};

export const EligibilityGroupInput = z
  .object({
    objectType: ObjectType,
    name: z.string().trim().max(120).default(''),
    conditions: z.array(Condition).min(1).max(50),
  })
  .strict();
/** A patch that changes nothing is a mistake worth telling (and an empty UPDATE the database refuses). */
const someField = (patch: object) => Object.keys(patch).length > 0;
const SOME_FIELD = { message: 'Send at least one field to change.' };

export const EligibilityGroupPatch = z
  .object({ name: z.string().trim().max(120).optional(), conditions: z.array(Condition).min(1).max(50).optional() })
  .strict()
  .refine(someField, SOME_FIELD);
export const EligibilityGroup = z.object({
  id: Id,
  objectType: ObjectType,
  name: z.string(),
  position: z.number().int(),
  conditions: z.array(Condition),
});
export type EligibilityGroup = z.infer<typeof EligibilityGroup>;

export const SortCondition = z
  .object({ kind: z.literal('sort'), field: FieldName, direction: z.enum(['asc', 'desc']) })
  .strict();
export const RankingCondition = z.discriminatedUnion('kind', [
  SortCondition,
  z
    .object({ kind: z.literal('select'), ...conditionShape })
    .strict()
    .superRefine(checkOperatorValue),
]);
export const RankingGroupInput = z
  .object({
    name: z.string().trim().max(120).default(''),
    target: RankingTarget,
    conditions: z.array(RankingCondition).min(1).max(20),
  })
  .strict();
export const RankingGroupPatch = z
  .object({
    name: z.string().trim().max(120).optional(),
    target: RankingTarget.optional(),
    conditions: z.array(RankingCondition).min(1).max(20).optional(),
  })
  .strict()
  .refine(someField, SOME_FIELD);
export const RankingGroup = z.object({
  id: Id,
  name: z.string(),
  position: z.number().int(),
  target: RankingTarget,
  kind: z.enum(['sort', 'select']),
  conditions: z.array(RankingCondition),
});
export type RankingGroup = z.infer<typeof RankingGroup>;
export const Order = z.object({ ids: z.array(Id).max(1000) }).strict();

export const FollowUpQuestion = z
  .object({
    crmCategory: z.string().trim().min(1).max(120),
    question: z.string().trim().min(1).max(1000),
    answerField: FieldName,
  })
  .strict();
export const Notifications = z
  .object({
    meetingCategoryField: FieldName.nullable(),
    creationRecipients: Recipients,
    completionRecipients: Recipients,
    followUpQuestions: z.array(FollowUpQuestion).max(50),
  })
  .strict();
export type Notifications = z.infer<typeof Notifications>;

export const ProfileInput = z.object({ name: Name, copyFromId: Id.optional() }).strict();
export const ProfilePatch = z
  .object({
    name: Name.optional(),
    // min_score is numeric(10, 4): six digits before the point.
    minScore: z.number().finite().min(0).max(999_999.9999).optional(),
    activity: ActivityPatch.optional(),
  })
  .strict();

const TypeEligibility = z.object({ state: EligibilityState, groups: z.array(EligibilityGroup) });
export const Profile = z.object({
  id: Id,
  name: z.string(),
  isBuiltin: z.boolean(),
  userCount: z.number().int(),
  activity: Activity,
  minScore: z.number(),
  eligibility: z.object({ Opportunity: TypeEligibility, Account: TypeEligibility, Lead: TypeEligibility }),
  rankingGroups: z.array(RankingGroup),
  notifications: Notifications,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Profile = z.infer<typeof Profile>;

export const ProfileListItem = z.object({
  id: Id,
  name: z.string(),
  isBuiltin: z.boolean(),
  userCount: z.number().int(),
});
export const ProfileList = z.object({ profiles: z.array(ProfileListItem) });

/** For the Users and Teams hover preview: which settings are on and off. */
export const ProfileSummary = z.object({
  id: Id,
  name: z.string(),
  enabled: z.array(z.string()),
  disabled: z.array(z.string()),
  eligibility: z.object({ Opportunity: EligibilityState, Account: EligibilityState, Lead: EligibilityState }),
  rankingGroupCount: z.number().int(),
  followUpQuestionCount: z.number().int(),
  userCount: z.number().int(),
});

export const AssignInput = z.object({ userIds: z.array(Id).min(1).max(10000) }).strict();
export const AssignResult = z.object({ assigned: z.number().int(), unchanged: z.number().int() });

export const EligibilityPreview = z.object({
  profileId: Id,
  counts: z.array(
    z.object({
      objectType: ObjectType,
      state: EligibilityState,
      eligible: z.number().int(),
      soql: z.string().nullable(),
    }),
  ),
});

export const ProfileParams = z.object({ id: Id });
export const GroupParams = z.object({ id: Id, groupId: Id });
export const TypeParams = z.object({ id: Id, objectType: ObjectType });

/** An email's or meeting's participants (and its subject), as the admin would see them on the activity. */
export const MatchingPreviewInput = z
  .object({
    participants: z.array(z.email().max(254)).min(1).max(50),
    subject: z.string().trim().max(255).optional(),
    /** Which activity it is: the profile's Email Sync or Meeting Sync decides whether its match reaches Salesforce. */
    activity: z.enum(['email', 'meeting']).default('email'),
  })
  .strict();

export const MatchingPreview = z.object({
  profileId: Id,
  /** What the profile's activity settings mean for this activity, when they stop a match from being used. */
  notes: z.array(z.string()),
  /** Who each participant is in the org: Contacts and Leads with that email (none: not in Salesforce). */
  participants: z.array(
    z.object({
      email: z.string(),
      records: z.array(z.object({ objectType: z.enum(['Contact', 'Lead']), id: z.string(), name: z.string() })),
    }),
  ),
  /** Kept candidates in ranked order, then the dropped ones. */
  candidates: z.array(
    z.object({
      id: z.string(),
      objectType: ObjectType,
      name: z.string(),
      score: z.number(),
      signals: z.array(z.object({ points: z.number(), reason: z.string() })),
      outcome: z.enum(['kept', 'dropped']),
      rank: z.number().int().nullable(),
      why: z.array(z.string()),
      placement: z.array(z.string()),
    }),
  ),
});
