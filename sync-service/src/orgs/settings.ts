import type { Knex } from 'knex';
import { recordAudit, type Actor } from '../shared/audit.js';
import { scoped } from '../db/scoped.js';
import { ConflictError } from '../shared/errors.js';
import type { z } from 'zod';
import type { OrgSettings, OrgSettingsPatch } from './schemas.js';

const columns = {
  name: 'name',
  managementMode: 'management_mode',
  hierarchySource: 'hierarchy_source',
  syncPollSeconds: 'sync_poll_seconds',
  suspensionGuardShare: 'suspension_guard_share',
  apiBudgetShare: 'api_budget_share',
  mailboxProbeMinutes: 'mailbox_probe_minutes',
} as const;

type Settings = z.infer<typeof OrgSettings>;

const toSettings = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, row[column]])) as Settings;

export function createOrgSettings(db: Knex) {
  return {
    async get(orgId: string) {
      return toSettings(await db('orgs').where({ id: orgId }).first());
    },

    async update(orgId: string, actor: Actor, patch: z.infer<typeof OrgSettingsPatch>) {
      return db.transaction(async (trx) => {
        const before = await trx('orgs').where({ id: orgId }).forUpdate().first();
        // The hierarchy source decides what the teams are keyed on: switch it only through Manual Mode.
        if (
          patch.hierarchySource &&
          patch.hierarchySource !== before.hierarchy_source &&
          before.management_mode === 'automatic'
        ) {
          throw new ConflictError(
            'automatic_mode',
            'Switch to Manual Mode before changing the hierarchy source; then switch back to rebuild the teams.',
          );
        }
        const changes = Object.fromEntries(
          Object.entries(patch).map(([key, value]) => [columns[key as keyof typeof columns], value]),
        );
        const [after] = await trx('orgs')
          .where({ id: orgId })
          .update({ ...changes, updated_at: trx.fn.now() })
          .returning('*');
        await recordAudit(scoped(trx, orgId), actor, {
          action: 'org.settings.update',
          targetType: 'org',
          targetId: orgId,
          before: toSettings(before),
          after: toSettings(after),
        });
        return toSettings(after);
      });
    },
  };
}
