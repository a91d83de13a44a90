import type { Knex } from 'knex';
import { recordAudit, type Actor } from '../shared/audit.js';
import { scoped } from '../db/scoped.js';
import { ConflictError } from '../shared/errors.js';
import type { z } from 'zod';
import { findOrg, updateOrg, type OrgChanges, type OrgRow } from './repo.js';
import type { OrgSettings, OrgSettingsPatch } from './schemas.js';

type Settings = z.infer<typeof OrgSettings>;
type Patch = z.infer<typeof OrgSettingsPatch>;

const columns = {
  name: 'name',
  managementMode: 'management_mode',
  hierarchySource: 'hierarchy_source',
  syncPollSeconds: 'sync_poll_seconds',
  suspensionGuardShare: 'suspension_guard_share',
  apiBudgetShare: 'api_budget_share',
  mailboxProbeMinutes: 'mailbox_probe_minutes',
} as const satisfies Record<keyof Settings, keyof OrgRow>;

const toSettings = (row: OrgRow) =>
  Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, row[column]])) as Settings;

const toChanges = (patch: Patch) =>
  Object.fromEntries(Object.entries(patch).map(([key, value]) => [columns[key as keyof Patch], value])) as OrgChanges;

export function createOrgSettings(db: Knex) {
  return {
    async get(orgId: string) {
      return toSettings((await findOrg(db, orgId))!);
    },

    async update(orgId: string, actor: Actor, patch: Patch) {
      return db.transaction(async (trx) => {
        const before = (await findOrg(trx, orgId, true))!;
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
        const after = await updateOrg(trx, orgId, toChanges(patch));
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
