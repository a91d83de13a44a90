import { z } from 'zod';
import { REASON_CODES } from './reasons.js';

const url = z.url({ protocol: /^https?$/ });
const probeMinutes = z
  .number()
  .int()
  .min(1)
  .max(1440)
  .optional()
  .describe('Minutes between probes of each user (default 15).');

export const GoogleSettingsIn = z.object({
  provider: z.literal('google'),
  clientEmail: z.email().describe('The service account email.'),
  clientId: z.string().regex(/^\d{10,30}$/, 'must be the numeric OAuth client id (not the email)'),
  privateKey: z
    .string()
    .includes('PRIVATE KEY')
    .optional()
    .describe("The service account key's private_key (PEM); omit to keep the stored one."),
  scopes: z.array(z.url()).min(1).optional(),
  tokenUrl: url.optional(),
  apiRootUrl: url.optional(),
  probeMinutes,
});

export const MicrosoftSettingsIn = z.object({
  provider: z.literal('microsoft'),
  tenantId: z.string().min(1).max(100),
  clientId: z.uuid(),
  clientSecret: z.string().min(1).max(500).optional().describe('The client secret value; omit to keep the stored one.'),
  authorityUrl: url.optional(),
  graphUrl: url.optional(),
  probeMinutes,
});

export const ProviderSettingsIn = z.discriminatedUnion('provider', [GoogleSettingsIn, MicrosoftSettingsIn]);
export type ProviderSettingsIn = z.infer<typeof ProviderSettingsIn>;

export const Explanation = z.object({
  code: z.enum(REASON_CODES),
  label: z.string(),
  reason: z.string(),
  fix: z.string(),
  propagation: z.string().nullable(),
});

export const RawAnswer = z.object({
  httpStatus: z.number().int().nullable(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  requestId: z.string().nullable(),
});

export const OrgCondition = Explanation.extend({
  since: z.iso.datetime(),
  confirmed: z.boolean(),
  provider: RawAnswer.nullable(),
});

export const ProviderOut = z.object({
  provider: z.enum(['google', 'microsoft']),
  settings: z.record(z.string(), z.unknown()).describe('Everything but the secret.'),
  secretSet: z.boolean(),
  probeMinutes: z.number().int(),
  orgCondition: OrgCondition.nullable(),
  updatedAt: z.iso.datetime(),
});

export const PermissionError = z.object({
  userId: z.uuid(),
  email: z.string(),
  since: z.iso.datetime().nullable(),
  reason: Explanation,
  lastChecked: z.iso.datetime().nullable(),
  provider: RawAnswer.nullable(),
});

export const PermissionErrorList = z.object({ total: z.number().int(), items: z.array(PermissionError) });
export const PermissionErrorQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

export const TestAccessResult = z.object({
  userId: z.uuid(),
  email: z.string(),
  outcome: z.enum(['ok', 'hard', 'transient', 'org', 'internal']),
  status: z.string(),
  checkedAt: z.iso.datetime(),
  reason: Explanation.nullable(),
  provider: RawAnswer.nullable(),
});

export const MailboxStats = z.object({
  provider: z.enum(['google', 'microsoft']).nullable(),
  intervalSeconds: z.number().int(),
  capturingUsers: z.number().int(),
  statusCounts: z.record(z.string(), z.number().int()),
  lastInterval: z.object({
    since: z.iso.datetime(),
    probes: z.number().int(),
    usersProbed: z.number().int(),
    byOutcome: z.record(z.string(), z.number().int()),
    failuresByReason: z.record(z.string(), z.number().int()),
  }),
  orgCondition: OrgCondition.nullable(),
});

export const ProbeHistory = z.object({
  items: z.array(
    z.object({
      probedAt: z.iso.datetime(),
      outcome: z.string(),
      reason: z.string().nullable(),
      kinds: z.string().nullable(),
      provider: RawAnswer,
    }),
  ),
});
