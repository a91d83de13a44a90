import { z } from 'zod';
import { FileImportBody } from '../csv/schemas.js';
import { ReapplyInput } from '../rules/schemas.js';
import { BulkUserAction } from '../users/schemas.js';
import { ImportBody, ModeChangeBody, ModePreviewBody } from '../sync/schemas.js';

const NoParams = z.object({}).strict().default({});

/**
 * Every kind of job, its parameters, and its lane: jobs of one lane exclude each other per org (a preview and the
 * change it previews never run at once), so a second start is refused with the running job's id.
 */
export const JOB_KINDS = {
  'mode.preview': { lane: 'mode', params: ModePreviewBody },
  'mode.change': { lane: 'mode', params: ModeChangeBody },
  // Each of the three reads Salesforce into the one mirror: never two at once.
  'roles.refresh': { lane: 'roles', params: NoParams },
  'roles.import.preview': { lane: 'roles', params: NoParams },
  'roles.import': { lane: 'roles', params: ImportBody },
  'rules.reapply.preview': { lane: 'rules', params: NoParams },
  'rules.reapply': { lane: 'rules', params: ReapplyInput },
  'health.check': { lane: 'health', params: NoParams },
  // A CSV file in Salesforce Files (dry run or apply): one import per org at a time, as two would race on the users.
  'users.import.file': { lane: 'users.import', params: FileImportBody.strict() },
  'users.export.file': { lane: 'users.export', params: NoParams },
  // Every user with a permission error (all of them under an org-wide condition) into a Salesforce file.
  'permission-errors.export.file': { lane: 'permission-errors.export', params: NoParams },
  // A bulk change to every user matching the filters writes up to 100k users: longer than a callout waits.
  'users.bulk': { lane: 'users.bulk', params: BulkUserAction },
  // The admin's decision on a paused sync runs the sync at once (every Salesforce user read): in the mode lane, as
  // a mode switch runs a sync too.
  'sync.decision': {
    lane: 'mode',
    params: z.object({ approvalId: z.uuid(), decision: z.enum(['approved', 'rejected']) }).strict(),
  },
} as const;
export type JobKindName = keyof typeof JOB_KINDS;
export type JobParams<K extends JobKindName> = z.output<(typeof JOB_KINDS)[K]['params']>;

const names = Object.keys(JOB_KINDS) as [JobKindName, ...JobKindName[]];
export const JobKindSchema = z.enum(names);

export const StartJobBody = z.discriminatedUnion(
  'kind',
  names.map((kind) => z.object({ kind: z.literal(kind), params: JOB_KINDS[kind].params }).strict()) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<JobKindName>; params: z.ZodTypeAny }>,
  ],
);
export type StartJobBody = { kind: JobKindName; params: unknown };

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type JobState = z.infer<typeof JobState>;
export const ACTIVE_STATES: JobState[] = ['queued', 'running'];

export const Job = z.object({
  id: z.uuid(),
  kind: JobKindSchema,
  state: JobState,
  params: z.record(z.string(), z.unknown()).describe('What the job was started with (a screen resumes from it).'),
  phase: z.string().nullable().describe('What the job is doing now, for the progress bar.'),
  done: z.number().int(),
  total: z.number().int().nullable().describe('Null while the amount of work is not known yet.'),
  result: z.unknown().describe('The operation’s answer once succeeded (lists capped, see omitted); else null.'),
  omitted: z
    .record(z.string(), z.number().int())
    .describe('Lists of the result cut to listLimit items: path → how many items were left out.'),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobParam = z.object({ id: z.uuid() });
export const JobQuery = z.object({
  listLimit: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(500)
    .describe('Longest list of the result to send (Apex holds at most 6 MB of heap).'),
});
export const JobListQuery = z.object({
  state: z.enum(['active']).default('active').describe('active: queued or running.'),
});
export const JobList = z.object({ items: z.array(Job) });
