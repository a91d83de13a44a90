import { z } from 'zod';
import { PreviewSummary } from '../shared/preview-token.js';
import { SYNC_RUN_OUTCOMES } from './rows.js';

export const HierarchySourceSchema = z.enum(['role', 'manager']);
export const ModeName = z.enum(['manual', 'automatic']);
/** What became of a sync run, as sync_runs records it. */
export const SyncRunOutcomeSchema = z.enum(SYNC_RUN_OUTCOMES);

export const ModeState = z.object({
  mode: ModeName,
  hierarchySource: HierarchySourceSchema,
  pollSeconds: z.number().int(),
  lastRun: z
    .object({
      id: z.uuid(),
      kind: z.string(),
      outcome: SyncRunOutcomeSchema,
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  pendingApprovals: z.number().int(),
  openConflicts: z.number().int(),
  /** Scheduled polls wait until then: the latest run found the daily API allowance used up. */
  limitWaitUntil: z.string().nullable(),
  /** Set while the latest Integration Health check is Blocked: the sync is stopped until a check passes. */
  stopped: z.object({ message: z.string(), missing: z.array(z.string()), checkedAt: z.string().nullable() }).nullable(),
});
export type ModeState = z.infer<typeof ModeState>;

export const ModePreviewBody = z.object({ mode: ModeName, hierarchySource: HierarchySourceSchema.optional() });
export const ModeChangeBody = z.object({
  mode: ModeName,
  confirm: z.literal(true, { error: 'Send confirm: true after reviewing the preview.' }),
  hierarchySource: HierarchySourceSchema.optional(),
  /** The preview's: enabling then applies that plan only (else 409 preview_stale with the new preview). */
  previewToken: z.string().max(1000).optional(),
});

const Count = z.record(z.string(), z.number());
export const SkippedUser = z.object({ sfUserId: z.string(), name: z.string(), email: z.string(), reason: z.string() });

export const ModePreview = z.object({
  mode: ModeName,
  hierarchySource: HierarchySourceSchema,
  counts: Count,
  teams: z.object({
    create: z.array(z.object({ name: z.string(), parentName: z.string().nullable() })),
    rename: z.array(z.object({ from: z.string(), to: z.string() })),
    move: z.array(z.object({ name: z.string(), fromParent: z.string().nullable(), toParent: z.string().nullable() })),
    delete: z.array(z.object({ name: z.string(), redirectTo: z.string().nullable() })),
  }),
  users: z.object({
    create: z.array(z.object({ email: z.string(), name: z.string(), teamName: z.string().nullable() })),
    move: z.array(z.object({ email: z.string(), fromTeam: z.string().nullable(), toTeam: z.string().nullable() })),
    suspend: z.array(z.object({ email: z.string(), reason: z.string() })),
    unmatched: z.array(z.object({ email: z.string(), teamName: z.string().nullable() })),
  }),
  skipped: z.array(SkippedUser),
  conflicts: z.array(z.object({ kind: z.string(), email: z.string(), sfUserId: z.string() })),
  apiCalls: z.number().int(),
  /** What stops the switch until the admin fixes it (enabling refuses it, 409): say, rules that would lock them out. */
  blockers: z.array(z.string()),
  /** Send it with the switch: enabling refuses (409 preview_stale, with the new preview) a plan that changed. */
  previewToken: z.string(),
  summary: PreviewSummary,
});
export type ModePreview = z.infer<typeof ModePreview>;

export const SyncRun = z.object({
  id: z.uuid(),
  kind: z.string(),
  outcome: SyncRunOutcomeSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: Count,
  apiCalls: z.number().int(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
});
export type SyncRun = z.infer<typeof SyncRun>;
export const SyncRunList = z.object({ items: z.array(SyncRun) });
export const RunListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const Conflict = z.object({
  id: z.uuid(),
  kind: z.string(),
  sfUserId: z.string().nullable(),
  userId: z.uuid().nullable(),
  email: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  status: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export const ConflictList = z.object({ items: z.array(Conflict) });
export const ConflictListQuery = z.object({ status: z.enum(['open', 'resolved', 'dismissed', 'all']).default('open') });
export const ResolveBody = z.object({
  /** link: the existing Roster user is this Salesforce user; dismiss: leave them apart (the sync stops raising it). */
  action: z.enum(['link', 'dismiss']),
});

export const Approval = z.object({
  id: z.uuid(),
  syncRunId: z.uuid().nullable(),
  suspendCount: z.number().int(),
  totalUsers: z.number().int(),
  plan: z.record(z.string(), z.unknown()),
  status: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export const ApprovalList = z.object({ items: z.array(Approval) });

/** Users whose suspension an admin rejected while Salesforce still has them inactive (or unlicensed). */
export const DriftUser = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  sfUserId: z.string().nullable(),
  reason: z.string(),
  since: z.string(),
  approvalId: z.uuid().nullable(),
});
export const DriftList = z.object({ count: z.number().int(), items: z.array(DriftUser) });
export const ApprovalDecision = z.object({ approval: Approval, run: SyncRun });

export const IdParam = z.object({ id: z.uuid() });

export const RoleNode = z.object({
  sfRoleId: z.string(),
  name: z.string(),
  parentSfRoleId: z.string().nullable(),
  depth: z.number().int(),
  activeUserCount: z.number().int(),
  importEnabled: z.boolean(),
});
export const RoleTree = z.object({
  roles: z.array(RoleNode),
  refreshedAt: z.string().nullable().describe('When the roles were last read from Salesforce; null: never yet.'),
  refreshJobId: z
    .uuid()
    .nullable()
    .describe('A background refresh from Salesforce is running: follow this job, then read the tree again.'),
  refreshedFromSalesforce: z.boolean().describe('Always false: the tree is served from the mirror.'),
  apiCalls: z.number().int().describe('Salesforce calls this answer made: 0.'),
});
export const RoleParam = z.object({ sfRoleId: z.string().min(15).max(18) });
export const ToggleBody = z.object({ importEnabled: z.boolean() });
export const BulkToggleBody = z.object({
  toggles: z
    .array(z.object({ sfRoleId: z.string().min(15).max(18), importEnabled: z.boolean() }))
    .min(1)
    .max(10_000),
});

export const ImportPreview = z.object({
  teams: z.array(z.object({ sfRoleId: z.string(), name: z.string(), parentName: z.string(), exists: z.boolean() })),
  users: z.array(z.object({ sfUserId: z.string(), email: z.string(), name: z.string(), teamName: z.string() })),
  skipped: z.array(SkippedUser),
  /** Send it with the import: the import refuses (409 preview_stale, with the new preview) a plan that changed. */
  previewToken: z.string(),
  summary: PreviewSummary,
});
export type ImportPreview = z.infer<typeof ImportPreview>;
export const ImportBody = z
  .object({
    /** The preview's: the import then writes that plan only (else 409 preview_stale with the new preview). */
    previewToken: z.string().max(1000).optional(),
  })
  .strict()
  .default({});
export const ImportResult = z.object({
  teamsCreated: z.number().int(),
  usersCreated: z.number().int(),
  skipped: z.number().int(),
});
