import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '@roster/fake-google';
import { build, type TestApp } from '../helper.js';
import { addUsers, testAccess } from './support.js';

describe('mailbox provider guards', () => {
  let t: TestApp;
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await startFakeGoogle();
    t = await build({ env: { MAILBOX_TEST_ACCESS_PER_MINUTE: '2' } });
  });
  afterAll(async () => {
    await t.close();
    await google.close();
  });

  it('refuses provider settings that point at other token or API URLs unless the service allows it', async () => {
    const res = await t.api('PUT', '/api/v1/mailbox/provider', {
      body: { provider: 'google', ...google.credentials, tokenUrl: google.tokenUrl },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.code).toBe('custom_endpoints_disabled');
  });

  it('rejects a key that is not a PEM private key and a first save without a secret', async () => {
    const bad = await t.api('PUT', '/api/v1/mailbox/provider', {
      body: {
        provider: 'google',
        clientEmail: google.credentials.clientEmail,
        clientId: google.credentials.clientId,
        privateKey: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.error.code).toBe('invalid_private_key');
    const none = await t.api('PUT', '/api/v1/mailbox/provider', {
      body: { provider: 'microsoft', tenantId: 'contoso', clientId: '6f1c1a4e-8b1a-4c55-9a59-2a9bd1c0e0a1' },
    });
    expect(none.statusCode).toBe(422);
  });

  it('rate-limits "test access now" per org', async () => {
    const saved = await t.api('PUT', '/api/v1/mailbox/provider', {
      body: {
        provider: 'google',
        clientEmail: google.credentials.clientEmail,
        clientId: google.credentials.clientId,
        privateKey: google.credentials.privateKey,
      },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.data.settings).not.toHaveProperty('privateKey');
    const slower = await t.api('PUT', '/api/v1/mailbox/provider', {
      body: {
        provider: 'google',
        clientEmail: google.credentials.clientEmail,
        clientId: google.credentials.clientId,
        probeMinutes: 30,
      },
    });
    expect(slower.statusCode).toBe(200); // the stored key is kept
    expect(slower.data.probeMinutes).toBe(30);
    // A data user is refused before any probe goes out (no real Google here), yet each call counts.
    const [id] = await addUsers(t, ['data.someone@acme.test'], { role: 'data' });
    expect((await testAccess(t, id!)).statusCode).toBe(422);
    expect((await testAccess(t, id!)).statusCode).toBe(422);
    const third = await testAccess(t, id!);
    expect(third.statusCode).toBe(429);
    expect(third.data.error.code).toBe('rate_limited');
  });
});
