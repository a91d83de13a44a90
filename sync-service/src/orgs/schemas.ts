import { z } from 'zod';

/** The per-org knobs of SPEC sections 3 and 7 that an admin may tune. */
export const OrgSettings = z.object({
  name: z.string(),
  managementMode: z.enum(['manual', 'automatic']),
  hierarchySource: z.enum(['role', 'manager']),
  /** Incremental Salesforce poll interval (default 60 s). */
  syncPollSeconds: z.number().int(),
  /** A sync that would suspend more than this share of users waits for an admin (default 0.1). */
  suspensionGuardShare: z.number(),
  /** A sync stops once the org's daily API usage passes this share (default 0.8). */
  apiBudgetShare: z.number(),
  mailboxProbeMinutes: z.number().int(),
});

export const OrgSettingsPatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    hierarchySource: z.enum(['role', 'manager']),
    syncPollSeconds: z.number().int().min(10).max(3600),
    suspensionGuardShare: z.number().gt(0).max(1),
    apiBudgetShare: z.number().gt(0).max(1),
    mailboxProbeMinutes: z.number().int().min(1).max(1440),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one setting to change.');
