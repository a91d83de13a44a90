import { describe, expect, it } from 'vitest';
import { changedSince, PreviewStaleError, previewTokenOf, requireSamePlan } from '../../src/shared/preview-token.js';

const plan = (suspend: string[], create: string[]) => [
  { key: 'usersSuspend', label: 'users to suspend', items: suspend.map((email) => ({ email })) },
  { key: 'teamsCreate', label: 'teams to create', items: create.map((name) => ({ name })) },
];

describe('a preview token', () => {
  it('is the same for the same plan whatever order its items were read in, with the summary counts', () => {
    const a = previewTokenOf('mode1', plan(['a@x.com', 'b@x.com'], ['West']));
    const b = previewTokenOf('mode1', plan(['b@x.com', 'a@x.com'], ['West']));
    expect(b.previewToken).toBe(a.previewToken);
    expect(a.summary).toEqual([
      { key: 'usersSuspend', label: 'users to suspend', count: 2 },
      { key: 'teamsCreate', label: 'teams to create', count: 1 },
    ]);
    expect(changedSince(a.previewToken, 'mode1', plan(['a@x.com', 'b@x.com'], ['West']))).toEqual([]);
  });

  it('names only the categories that changed, before -> now, even when a count stayed the same', () => {
    const { previewToken } = previewTokenOf('mode1', plan(['a@x.com'], ['West']));
    expect(changedSince(previewToken, 'mode1', plan(['a@x.com', 'c@x.com', 'd@x.com'], ['East']))).toEqual([
      { key: 'usersSuspend', label: 'users to suspend', before: 1, now: 3 },
      { key: 'teamsCreate', label: 'teams to create', before: 1, now: 1 },
    ]);
    expect(changedSince(previewToken, 'mode1', plan(['a@x.com'], ['West', 'East']))).toEqual([
      { key: 'teamsCreate', label: 'teams to create', before: 1, now: 2 },
    ]);
  });

  it('refuses a changed plan with a message in the admin’s words and the new preview, and passes the same plan', async () => {
    const { previewToken } = previewTokenOf('mode1', plan(['a@x.com'], ['West']));
    const fresh = plan(['a@x.com', 'c@x.com'], ['East']);
    const refused = await requireSamePlan(previewToken, 'mode1', fresh, 'Salesforce or Roster', () => ({
      shown: 'new',
    })).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PreviewStaleError);
    const err = refused as PreviewStaleError;
    expect(err.statusCode).toBe(409);
    expect(err.code).toBe('preview_stale');
    expect(err.message).toBe(
      'Salesforce or Roster changed since the preview (users to suspend: 1 -> 2; teams to create: 1 -> 1), ' +
        'so nothing was applied. Review the new preview, then apply again.',
    );
    expect(err.details).toMatchObject({ preview: { shown: 'new' } });
    await expect(
      requireSamePlan(previewToken, 'mode1', plan(['a@x.com'], ['West']), 'Salesforce or Roster', () => null),
    ).resolves.toBeUndefined();
  });

  it('is not understood for another kind of preview or a token it never made: refused without naming categories', async () => {
    const { previewToken } = previewTokenOf('reapply1', plan(['a@x.com'], ['West']));
    expect(changedSince(previewToken, 'mode1', plan(['a@x.com'], ['West']))).toBeNull();
    expect(changedSince('stale', 'mode1', plan([], []))).toBeNull();
    expect(changedSince('mode1.x.y', 'mode1', plan([], []))).toBeNull();
    const err = (await requireSamePlan('stale', 'mode1', plan([], []), 'Users or rules', () => null).catch(
      (e: unknown) => e,
    )) as PreviewStaleError;
    expect(err.message).toBe(
      'Users or rules changed since the preview, so nothing was applied. Review the new preview, then apply again.',
    );
  });
});
