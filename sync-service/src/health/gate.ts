import type { Connection } from 'jsforce';
import { chunks } from '../shared/chunks.js';
import {
  COMPOSITE_SUBREQUESTS,
  CountingClient,
  type DescribeBody,
  type DescribeGlobalBody,
  type SubResult,
} from './client.js';
import { fieldsOf, multiCurrencyOnlyObjects, requiredFieldsOf } from './requirements.js';

export interface SyncGate {
  /** True when any required field of the synced objects is unreadable: the run must apply nothing. */
  blocked: boolean;
  /** 'Object.Field' for each unreadable required field (inherited fields count: the article requires them). */
  missingRequired: string[];
  /** 'Object.Field' for each unreadable recommended field: warnings in the run's record. */
  missingRecommended: string[];
  /** The SELECT list for an object: the manifest's fields (plus `extra`) that describe shows, so a hidden field never breaks a query. */
  selectList(object: string): string[];
  apiCalls: number;
}

export interface GateOptions {
  /** Fields the sync reads beyond the manifest's, per object (e.g. User: FirstName, Email, ManagerId). */
  extra?: Record<string, { required?: string[]; recommended?: string[] }>;
}

/**
 * Before every Salesforce sync: describe each object the sync reads, as the integration user, in one
 * /composite call (describe is the authority for field-level security), and compare with the manifest.
 * Nothing is cached, so a later run re-checks and resumes on its own once access is granted.
 */
export async function checkSyncGate(conn: Connection, objects: string[], opts: GateOptions = {}): Promise<SyncGate> {
  const sf = new CountingClient(conn);
  const wanted = [...new Set(objects)];
  const currencyOnly = wanted.filter((o) => (multiCurrencyOnlyObjects as readonly string[]).includes(o));
  const results: Record<string, SubResult> = {};
  const requests = [
    ...(currencyOnly.length ? [['global', sf.describeGlobalRequest()] as const] : []),
    ...wanted.map((o) => [`d_${o}`, sf.describeRequest(o)] as const),
  ];
  for (const part of chunks(requests, COMPOSITE_SUBREQUESTS))
    Object.assign(results, await sf.composite(Object.fromEntries(part)));
  // CurrencyType and DatedConversionRate exist only with multi-currency: without it there is nothing to read.
  const inOrg = results.global?.ok
    ? new Set<string>((results.global.body as DescribeGlobalBody).sobjects.map((s) => s.name))
    : null;
  const skipped = new Set(currencyOnly.filter((o) => inOrg && !inOrg.has(o)));

  const readable = new Map<string, Set<string>>();
  const missingRequired: string[] = [];
  const missingRecommended: string[] = [];
  for (const object of wanted) {
    if (skipped.has(object)) continue;
    const d = results[`d_${object}`];
    const fields = new Set<string>(d?.ok ? (d.body as DescribeBody).fields.map((f) => f.name) : []);
    readable.set(object, fields);
    const { recommended } = fieldsOf(object);
    const required = [...new Set([...requiredFieldsOf(object), ...(opts.extra?.[object]?.required ?? [])])];
    const extraRecommended = opts.extra?.[object]?.recommended ?? [];
    for (const f of required) if (!fields.has(f)) missingRequired.push(`${object}.${f}`);
    for (const f of new Set([...recommended, ...extraRecommended]))
      if (!fields.has(f) && !required.includes(f)) missingRecommended.push(`${object}.${f}`);
  }

  return {
    blocked: missingRequired.length > 0,
    missingRequired,
    missingRecommended,
    selectList(object) {
      const fields = readable.get(object);
      if (!fields) return [];
      const { required, recommended, inherited } = fieldsOf(object);
      const extra = opts.extra?.[object];
      return [
        ...new Set([
          ...inherited,
          ...required,
          ...(extra?.required ?? []),
          ...recommended,
          ...(extra?.recommended ?? []),
        ]),
      ].filter((f) => fields.has(f));
    },
    apiCalls: sf.apiCalls,
  };
}

/** The run's error when the gate blocks it, naming each field and the fix, in the admin's words. */
export function gateBlockedMessage(gate: Pick<SyncGate, 'missingRequired'>): string {
  return (
    `Salesforce sync stopped: the integration user cannot read ${gate.missingRequired.length === 1 ? 'this required field' : 'these required fields'}: ` +
    `${gate.missingRequired.join(', ')}. In Setup, open the integration user's profile or permission set, click Object Settings, ` +
    'select each object, and under Field Permissions enable Read Access for each field. The sync resumes by itself once they are readable.'
  );
}
