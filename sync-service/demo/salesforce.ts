import { demoOrg, startFakeSalesforce } from '@roster/fake-salesforce';
import type { App } from '../src/app.js';
import { scoped } from '../src/db/scoped.js';
import { SYSTEM_ACTOR } from '../src/shared/audit.js';
import { findConnection } from '../src/salesforce/repo.js';
import { createConnectionService } from '../src/salesforce/service.js';

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/;

/**
 * For `npm start`'s demo org only: with no Salesforce connection (or one to a simulated org of an earlier start, whose
 * port and key are gone), start the Salesforce fake with its demo fixture in this process and connect to it. The fake
 * is test infrastructure: only this launcher (outside src/) imports it.
 */
export async function connectDemoSalesforce(
  app: App,
  orgId: string,
): Promise<{ lines: string[]; close(): Promise<void>; simulated?: unknown }> {
  const none = async () => {};
  const existing = await findConnection(scoped(app.db, orgId));
  if (existing && !LOOPBACK.test(existing.login_url))
    return { lines: [`Salesforce: connected to ${existing.login_url}`], close: none };
  const fake = await startFakeSalesforce({ org: demoOrg });
  const c = fake.credentials;
  const saved = await createConnectionService({ db: app.db, secrets: app.secrets, salesforce: app.salesforce }).save(
    orgId,
    SYSTEM_ACTOR,
    {
      authKind: 'jwt',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      username: c.username,
      privateKey: c.privateKeyPem,
    },
  );
  const lines = [
    `Salesforce: the demo uses a SIMULATED Salesforce org (Acme Robotics, ${demoOrg.users.length} users), served in-process at ${fake.url}; no real Salesforce is contacted.`,
    `  Connection test: ${saved.test.ok ? 'ok' : saved.test.message}`,
  ];
  // The simulated org itself, for the local preview's stand-ins of what the org serves (Salesforce Files).
  return { lines, close: () => fake.close(), simulated: fake };
}
