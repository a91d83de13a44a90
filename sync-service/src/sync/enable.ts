import { scoped } from '../db/scoped.js';
import { listProfileRows } from '../profiles/repo.js';
import { probe } from '../salesforce/service.js';
import { ConflictError } from '../shared/errors.js';
import type { SyncDeps } from './runner.js';
import { currentHealth } from './stop.js';

/**
 * What Automatic Mode needs before it is previewed or enabled: a configuration profile of the admin's own, a working
 * Salesforce connection, and every required system permission (checked afresh). Throws a 409 naming what is missing.
 */
export async function requireEnablePrerequisites(deps: SyncDeps, orgId: string): Promise<void> {
  const scope = scoped(deps.db, orgId);
  if (!(await listProfileRows(scope)).some((p) => !p.is_builtin)) {
    throw new ConflictError(
      'profile_required',
      'Create at least one configuration profile besides "Default - Intake Off" before enabling Automatic Mode.',
    );
  }
  const session = await deps.salesforce.forOrg(orgId);
  const test = await probe(session);
  if (!test.ok)
    throw new ConflictError(
      'salesforce_connection_failing',
      `The Salesforce connection does not work: ${test.message}`,
      {
        problem: test.problem,
      },
    );
  // A fresh Integration Health check: without a required system permission (View All Users above all) the org
  // silently returns fewer users, and those would be missed for good.
  const { report } = await currentHealth(scope, session.conn, { force: true });
  const missing = report.items.filter(
    (i) => i.category === 'systemPermission' && i.severity === 'required' && i.status === 'missing',
  );
  if (missing.length)
    throw new ConflictError(
      'required_permission_missing',
      `Automatic Mode cannot be enabled while the integration user lacks ${missing.map((i) => i.label).join(', ')}: ` +
        `without it Salesforce silently returns fewer users, and they would be missed. ${missing[0]!.fix ?? ''} ` +
        'Then run the Integration Health check again.',
      { missing: missing.map((i) => i.id), healthCheckId: report.id },
    );
}
