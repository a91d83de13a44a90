import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConflictError } from './errors.js';

/**
 * A preview and its apply compare plans through a token: the preview answers with the token of its plan, the apply
 * plans again and carries the plan out only if the fresh plan has the same token. The token holds, per category of
 * the plan (users to suspend, teams to create, ...), how many items it has and a hash of them, so a refused apply says
 * what changed without the service keeping any preview.
 */

/** One category of a plan, in the admin's words, with the items the apply would write (ids or names, never random). */
export interface PlanCategory {
  key: string;
  /** Lower case, as it reads in "users to suspend: 10 -> 12". */
  label: string;
  items: readonly unknown[];
}

export const PreviewSummaryItem = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
export const PreviewSummary = z.array(PreviewSummaryItem);
export type PreviewSummary = z.infer<typeof PreviewSummary>;

/** A category whose items differ between the preview and the fresh plan (its count may be the same). */
export interface ChangedCategory {
  key: string;
  label: string;
  before: number;
  now: number;
}

/** The items in any order: the same items in another order (a query without ORDER BY) are the same plan. */
function hashItems(items: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const line of items.map((i) => JSON.stringify(i)).sort()) hash.update(line).update('\n');
  return hash.digest('hex').slice(0, 12);
}

/**
 * The token and the summary counts of a plan. `kind` names the preview (a re-apply token is never a mode switch's);
 * the categories are always the same ones, in the same order, for one kind.
 */
export function previewTokenOf(
  kind: string,
  categories: readonly PlanCategory[],
): { previewToken: string; summary: PreviewSummary } {
  return {
    previewToken: [kind, ...categories.map((c) => `${c.items.length}-${hashItems(c.items)}`)].join('.'),
    summary: categories.map((c) => ({ key: c.key, label: c.label, count: c.items.length })),
  };
}

/**
 * The categories that differ between the previewed token and the fresh plan: [] when they are the same plan, null
 * when the token is not one this plan could have (another kind, an older format): then what changed is not known.
 */
export function changedSince(
  previewToken: string,
  kind: string,
  categories: readonly PlanCategory[],
): ChangedCategory[] | null {
  const fresh = previewTokenOf(kind, categories).previewToken.split('.');
  const seen = previewToken.split('.');
  if (seen[0] !== kind || seen.length !== fresh.length) return null;
  const changed: ChangedCategory[] = [];
  for (const [i, c] of categories.entries()) {
    const part = seen[i + 1]!;
    if (part === fresh[i + 1]) continue;
    const before = Number(part.split('-')[0]);
    if (!/^\d+-[0-9a-f]+$/.test(part) || !Number.isSafeInteger(before)) return null;
    changed.push({ key: c.key, label: c.label, before, now: c.items.length });
  }
  return changed;
}

/**
 * 409 preview_stale: the fresh plan is not the one previewed, so nothing was applied. The message says per category
 * what changed, before -> now; the details carry the categories and the new preview, for the screen to show at once.
 */
export class PreviewStaleError extends ConflictError {
  constructor(what: string, changed: ChangedCategory[] | null, preview: unknown) {
    const list = changed?.map((c) => `${c.label}: ${c.before} -> ${c.now}`).join('; ');
    super(
      'preview_stale',
      `${what} changed since the preview${list ? ` (${list})` : ''}, so nothing was applied. ` +
        'Review the new preview, then apply again.',
      { changed: changed ?? [], preview },
    );
  }
}

/**
 * Throws PreviewStaleError unless `previewToken` is the fresh plan's (no token: the caller applies without
 * comparing). `preview` builds the new preview for the error, only when it is needed.
 */
export async function requireSamePlan(
  previewToken: string | undefined,
  kind: string,
  categories: readonly PlanCategory[],
  what: string,
  preview: () => unknown,
): Promise<void> {
  if (!previewToken) return;
  const changed = changedSince(previewToken, kind, categories);
  if (changed && changed.length === 0) return;
  throw new PreviewStaleError(what, changed, await preview());
}
