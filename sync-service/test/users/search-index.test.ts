import { describe, expect, it } from 'vitest';
import { scoped } from '../../src/db/scoped.js';
import { applyUserFilters } from '../../src/users/list.js';
import { setupApp } from '../helper.js';

const t = setupApp();

describe('user search at scale', () => {
  it('finds users by any part of the email or name through the trigram index, not by scanning the org', async () => {
    const plan = await t.app.db.transaction(async (trx) => {
      // Without the org filter and with scans priced out, the search can only be answered from an index whose expression
      // matches the listing's SQL exactly: a drifted expression would leave a sequential scan.
      await trx.raw('SET LOCAL enable_seqscan = off');
      const q = trx('users').select('users.id');
      await applyUserFilters(scoped(trx, t.org.orgId), q, { search: 'ada lov' });
      const { rows } = await trx.raw(`EXPLAIN ${q.toString()}`);
      return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).not.toMatch(/Seq Scan/);
    expect(plan).toContain('users_search_trgm');
  });
});
