import { z } from 'zod';
import { Moment } from '../shared/moment.js';

export const ItemStatus = z.enum(['ok', 'missing', 'not_applicable']);
export const Overall = z.enum(['healthy', 'degraded', 'blocked', 'unavailable']);

export const GrantedBy = z.object({
  kind: z.enum(['profile', 'permissionSet', 'permissionSetGroup', 'inherited', 'alternative']),
  name: z.string(),
});

export const HealthItem = z.object({
  id: z.string().meta({
    description: "Stable id, e.g. 'system.PermissionsViewAllData', 'object.Account.modifyAll', 'field.Task.WhatId'",
  }),
  category: z.enum([
    'integrationUser',
    'systemPermission',
    'leastPrivilege',
    'objectPermission',
    'inheritedObject',
    'field',
    'inheritedField',
  ]),
  label: z.string(),
  object: z.string().optional(),
  field: z.string().optional(),
  status: ItemStatus,
  severity: z.enum(['required', 'recommended']),
  grantedBy: z.array(GrantedBy),
  fix: z.string().nullable(),
  detail: z.string().optional(),
  /** The article's validation-rule advice, on the items whose writes a validation rule can block. */
  advice: z.string().optional(),
});
export type HealthItem = z.infer<typeof HealthItem>;

export const Unavailable = z.object({
  reason: z.enum(['bad_credentials', 'api_disabled', 'no_view_setup', 'unreachable', 'check_failed']),
  message: z.string(),
});

export const NotChecked = z.object({ id: z.string(), reason: z.string() });

export const HealthUser = z.object({
  id: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  profile: z.string().nullable(),
  license: z.string().nullable(),
  role: z.string().nullable(),
});

export const HealthReport = z.object({
  overall: Overall,
  apiCalls: z.number().int(),
  multiCurrency: z.boolean().nullable(),
  user: HealthUser.nullable(),
  unavailable: Unavailable.nullable(),
  /** Items (or whole categories) the check could not determine, and why. */
  notChecked: z.array(NotChecked),
  summary: z.object({
    ok: z.number().int(),
    requiredMissing: z.number().int(),
    recommendedMissing: z.number().int(),
    notApplicable: z.number().int(),
  }),
  items: z.array(HealthItem),
});
export type HealthReport = z.infer<typeof HealthReport>;

export const StoredHealthReport = HealthReport.extend({ id: z.string().uuid(), checkedAt: z.iso.datetime() });
export type StoredHealthReport = z.infer<typeof StoredHealthReport>;

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: Moment.optional().meta({ description: 'Only results checked before this time (for paging)' }),
});

export const HistoryEntry = StoredHealthReport.pick({
  id: true,
  checkedAt: true,
  overall: true,
  apiCalls: true,
  summary: true,
}).extend({
  unavailableReason: z.string().nullable(),
});
export const History = z.object({ results: z.array(HistoryEntry) });
