import type { App } from '../src/app.js';
import { createOrg, issueApiKey } from '../src/orgs/service.js';
import { connectDemoSalesforce } from './salesforce.js';

export const DEMO_ORG_NAME = 'Demo org';
export const DEMO_ADMIN_EMAIL = 'admin@demo.roster.test';

/**
 * The demo org `npm start` serves: created on first start; a fresh API key on every start
 * (keys are stored hashed, so an old one cannot be shown again).
 */
export interface Demo {
  orgId: string;
  apiKey: string;
  adminEmail: string;
  /** What to print at start-up. */
  lines: string[];
  /** Stops the simulated Salesforce org, if the demo started one. */
  close(): Promise<void>;
  /** The simulated Salesforce org (@roster/fake-salesforce), when the demo started one: the preview uses its Files. */
  simulated?: unknown;
}

export async function prepareDemo(app: App): Promise<Demo> {
  let org = await app.db('orgs').where({ name: DEMO_ORG_NAME }).first('id');
  let apiKey: string;
  if (!org) {
    const created = await createOrg(app.db, {
      name: DEMO_ORG_NAME,
      admin: { email: DEMO_ADMIN_EMAIL, firstName: 'Dana', lastName: 'Admin' },
    });
    org = { id: created.orgId };
    apiKey = created.apiKey;
  } else {
    await app
      .db('api_keys')
      .where({ org_id: org.id, name: 'demo-start' })
      .whereNull('revoked_at')
      .update({ revoked_at: app.db.fn.now() });
    apiKey = await issueApiKey(app.db, org.id, 'demo-start');
  }
  const salesforce = await connectDemoSalesforce(app, org.id);
  const lines = [
    `Demo org: ${DEMO_ORG_NAME} (${org.id})`,
    `API key: ${apiKey}`,
    `Act as: ${DEMO_ADMIN_EMAIL} (send it as the X-Roster-Actor header)`,
    ...salesforce.lines,
  ];
  return {
    orgId: org.id,
    apiKey,
    adminEmail: DEMO_ADMIN_EMAIL,
    lines,
    close: salesforce.close,
    simulated: salesforce.simulated,
  };
}
