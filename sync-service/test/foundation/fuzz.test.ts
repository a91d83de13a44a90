import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzz, operationsOf, type Finding } from '../../../scripts/fuzz/openapi-fuzz.js';
import type { FakeSalesforce } from '@roster/fake-salesforce';
import { build, type TestApp } from '../helper.js';
import { connectFakeOrg } from '../salesforce-helper.js';

// `npm test` runs the sweep of every route and parameter plus a few hundred random cases on a fixed seed;
// `npm run fuzz` (FUZZ_LONG) runs many more on a fresh seed. FUZZ_SEED and FUZZ_COUNT choose; the seed is printed.
const LONG = !!process.env.FUZZ_LONG;
const SEED = Number(process.env.FUZZ_SEED ?? (LONG ? Date.now() % 2 ** 31 : 17));
const COUNT = Number(process.env.FUZZ_COUNT ?? (LONG ? 20_000 : 300));

let t: TestApp;
let fake: FakeSalesforce;
let baseUrl: string;

beforeAll(async () => {
  t = await build({ queue: true });
  fake = await connectFakeOrg(t);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const summary = (findings: Finding[]) =>
  [...new Map(findings.map((f) => [`${f.operation} ${f.status} ${f.reason}`, f])).values()]
    .map((f) => `${f.operation} [${f.label}] ${f.method} ${f.url} -> ${f.status} ${f.reason}: ${f.answer}`)
    .join('\n');

describe('Fuzzing every route from the OpenAPI document', () => {
  it(
    'never answers 5xx, and every 4xx is { error: { code, message, details } }',
    async () => {
      const created = await t.api('POST', '/api/v1/users', {
        body: { email: 'fuzz.target@example.com', firstName: 'Fuzz', lastName: 'Target', role: 'member' },
      });
      const team = await t.api('POST', '/api/v1/teams', { body: { name: 'Fuzz team' } });
      const profile = await t.api('POST', '/api/v1/profiles', { body: { name: 'Fuzz profile' } });
      // Rows the fuzz's own valid requests cannot make (their bodies need real Salesforce field names, or a file):
      // the groups sit on a profile of their own, outside the pool, so a fuzzed profile delete cannot take them.
      const owner = (await t.api('POST', '/api/v1/profiles', { body: { name: 'Fuzz groups' } })).data.id;
      const conditions = [{ field: 'Type', operator: 'equals', value: 'P' }];
      const eligibility = await t.api('POST', `/api/v1/profiles/${owner}/eligibility-groups`, {
        body: { objectType: 'Account', name: 'Partners', conditions },
      });
      const ranking = await t.api('POST', `/api/v1/profiles/${owner}/ranking-groups`, {
        body: {
          target: 'Opportunity',
          name: 'Close',
          conditions: [{ kind: 'sort', field: 'CloseDate', direction: 'desc' }],
        },
      });
      const imported = await t.api('POST', '/api/v1/users/import?dryRun=true', {
        payload: 'Email,First Name,Last Name,Role,Operation\nfuzz.csv@example.com,Csv,Row,Member,Add\n',
        headers: { 'content-type': 'text/csv' },
      });
      for (const res of [eligibility, ranking, imported]) expect(res.statusCode, res.body).toBeLessThan(300);
      const ids = {
        users: [created.data.id],
        teams: [team.data.id, t.org.topTeamId],
        profiles: [profile.data.id],
        imports: [imported.data.resultId],
        any: [created.data.id, team.data.id, profile.data.id],
      };
      const knownPaths = {
        '/api/v1/profiles/{id}/eligibility-groups/{groupId}': [{ id: owner, groupId: eligibility.data.id }],
        '/api/v1/profiles/{id}/ranking-groups/{groupId}': [{ id: owner, groupId: ranking.data.id }],
      };
      const spec = t.app.swagger() as Record<string, unknown>;
      const result = await fuzz({
        baseUrl,
        spec,
        headers: {
          authorization: `Bearer ${t.org.apiKey}`,
          'x-roster-actor': t.org.adminEmail,
          'x-roster-actor-id': t.org.adminSfUserId,
        },
        ids,
        knownPaths,
        seed: SEED,
        count: COUNT,
        // Saving credentials or a mailbox provider would point the service away from the fakes on loopback.
        invalidOnly: ['PUT /api/v1/salesforce/connection', 'PUT /api/v1/mailbox/provider'],
        upstreamUrl: fake.credentials.loginUrl,
        // Valid requests may demote or suspend the acting admin, or hand the org to Salesforce: put both back.
        heal: async () => {
          await t.app
            .db('users')
            .where({ org_id: t.org.orgId, sf_user_id: t.org.adminSfUserId })
            .update({ role: 'admin', status: 'active' });
          await t.app.db('orgs').where({ id: t.org.orgId }).update({ management_mode: 'manual' });
        },
        ...(process.env.FUZZ_TRACE
          ? {
              trace: (req, status, answer) =>
                console.log(`${status} ${req.method} ${req.url.slice(0, 120)} [${req.label}] ${answer.slice(0, 200)}`),
            }
          : {}),
      });
      console.log(`fuzz: seed ${SEED}, ${result.requests} requests, statuses ${JSON.stringify(result.statuses)}`);
      expect(result.requests).toBeGreaterThan(1000);
      // Bodies other than JSON (the CSV import's) are fuzzed too: the document names their types, and each was sent.
      const documented = [...new Set(operationsOf(spec).flatMap((op) => op.consumes))];
      expect(documented).toContain('text/csv');
      for (const type of documented) expect(result.contentTypes[type], type).toBeGreaterThan(0);
      expect(summary(result.findings)).toBe('');
    },
    LONG ? 24 * 3600_000 : 120_000,
  );
});
