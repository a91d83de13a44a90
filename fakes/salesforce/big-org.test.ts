import { describe, expect, it } from 'vitest';
import { generateOrg, startFakeSalesforce } from './index.js';
import { connect } from './harness.js';

describe('generated orgs', () => {
  it('generates a deterministic 100k-user, 5k-role org and serves it without quadratic work', async () => {
    const started = Date.now();
    const org = generateOrg({ users: 100_000, roles: 5_000, depth: 6, seed: 1 });
    expect(generateOrg({ users: 50, roles: 5, depth: 3, seed: 1 })).toEqual(
      generateOrg({ users: 50, roles: 5, depth: 3, seed: 1 }),
    );
    const fake = await startFakeSalesforce({ org });
    try {
      const conn = await connect(fake);
      expect((await conn.query('SELECT COUNT() FROM User')).totalSize).toBe(100_000);
      const page = await conn.query(
        'SELECT Id, Name, UserRole.Name, Manager.Name FROM User WHERE IsActive = true ORDER BY SystemModstamp, Id',
        { autoFetch: false },
      );
      expect(page.records).toHaveLength(2000);
      expect((await conn.query('SELECT COUNT() FROM UserRole')).totalSize).toBe(5_000);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await fake.close();
    }
  });
});
