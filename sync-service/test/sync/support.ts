import { afterAll, beforeAll, expect } from 'vitest';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { setupApp, type TestApp, type TestOrg } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';
import { smallOrg, userId } from './org.js';

export interface RosterTeam {
  id: string;
  name: string;
  parentName: string | null;
}

/** The hierarchy as GET /api/v1/teams shows it, flattened: name -> team (with its parent's name). */
export async function teamsByName(t: TestApp, org?: TestOrg): Promise<Map<string, RosterTeam>> {
  const res = await t.api('GET', '/api/v1/teams', { org });
  expect(res.statusCode).toBe(200);
  const out = new Map<string, RosterTeam>();
  const walk = (node: any, parentName: string | null) => {
    out.set(node.name, { id: node.id, name: node.name, parentName });
    for (const c of node.children ?? []) walk(c, node.name);
  };
  walk(res.data.top, null);
  return out;
}

/** Every user through GET /api/v1/users (all pages), keyed by lower-cased email. */
export async function usersByEmail(t: TestApp, org?: TestOrg): Promise<Map<string, any>> {
  const out = new Map<string, any>();
  let cursor: string | null = null;
  do {
    const res = await t.api('GET', `/api/v1/users?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      org,
    });
    expect(res.statusCode).toBe(200);
    for (const u of res.data.items) out.set(u.email.toLowerCase(), u);
    cursor = res.data.nextCursor;
  } while (cursor);
  return out;
}

/** POST /api/v1/sync/run, expecting it to be accepted; returns the recorded run. */
export async function syncNow(t: TestApp, org?: TestOrg) {
  const res = await t.api('POST', '/api/v1/sync/run', { org });
  expect(res.statusCode, res.body).toBe(200);
  return res.data;
}

export async function enableAutomatic(t: TestApp, org?: TestOrg, hierarchySource?: 'role' | 'manager') {
  const res = await t.api('PUT', '/api/v1/mode', {
    org,
    body: { mode: 'automatic', confirm: true, ...(hierarchySource ? { hierarchySource } : {}) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.data;
}

/**
 * An org of `size` Salesforce users on the fake, with a profile, in Automatic Mode (call inside a describe):
 * `salesforce()` is the fake's control once the org is connected.
 */
export function automaticOrg(size: number) {
  const t = setupApp();
  let fake: FakeSalesforce | undefined;
  beforeAll(async () => {
    fake = await connectFakeOrg(t, smallOrg(size));
    await t.api('POST', '/api/v1/profiles', { body: { name: 'Sales' } });
    await enableAutomatic(t);
  });
  afterAll(async () => fake?.close());
  return { t, salesforce: () => fake!.control };
}

/**
 * A 14-user org in Automatic Mode, with a profile, for the mass-suspension approval (call inside a describe).
 * `pauseFor(ns)` deactivates those users in Salesforce and runs a sync, which waits for approval: its approval.
 */
export function approvalOrg() {
  const { t, salesforce } = automaticOrg(14);

  const status = async (n: number) => (await usersByEmail(t)).get(`user${n}@small.example.com`).status;
  const pendingApproval = async () =>
    (await t.api('GET', '/api/v1/sync/approvals')).data.items.find((a: any) => a.status === 'pending');
  const pauseFor = async (ns: number[]) => {
    for (const n of ns) salesforce().deactivateUser(userId(n));
    expect((await syncNow(t)).outcome).toBe('awaiting_approval');
    return pendingApproval();
  };
  return { t, salesforce, status, pendingApproval, pauseFor };
}
