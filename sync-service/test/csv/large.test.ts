import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

const ROWS = 100_000;

describe('CSV import at scale', () => {
  it(`imports a ${ROWS.toLocaleString('en')}-row file: no row cap, one transaction`, { timeout: 120_000 }, async () => {
    const lines = ['Email,First Name,Last Name,Role,Licenses,Operation'];
    for (let i = 0; i < ROWS; i++)
      lines.push(`bulk${i}@example.com,First${i},Last${i},Member,Foundation;Forecasting,Add`);
    const file = lines.join('\n');

    const res = await t.api('POST', '/api/v1/users/import?dryRun=false', {
      payload: file,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.data).toMatchObject({ applied: true, errorCount: 0, summary: { add: ROWS } });

    const counts = (await t.api('GET', '/api/v1/users/counts')).data;
    expect(counts.total).toBe(ROWS + 1);
    const last = (await t.api('GET', '/api/v1/users?search=bulk99999@')).data.items[0];
    expect(last).toMatchObject({ firstName: 'First99999', licenses: ['foundation', 'forecasting'], source: 'csv' });
    const open = await t.app
      .db('team_memberships')
      .where('org_id', t.org.orgId)
      .whereNull('ended_at')
      .count({ n: '*' })
      .first();
    expect(Number(open!.n)).toBe(ROWS + 1);
  });
});
