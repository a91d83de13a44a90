import type { SecretBox } from '../shared/secrets.js';
import type { MailboxClient } from './client.js';
import { createGoogleClient, type GoogleSettings } from './google.js';
import { createGraphClient, type MicrosoftSettings } from './graph.js';
import { providerLimits } from './limits.js';

export interface ProviderRow {
  org_id: string;
  provider: 'google' | 'microsoft';
  settings: GoogleSettings | MicrosoftSettings;
  encrypted_secret: string;
  updated_at: Date;
  org_condition: string | null;
  org_condition_rule: string | null;
  org_condition_since: Date | null;
  org_condition_detail: unknown;
  org_condition_strikes: number;
}

/** One client per org, rebuilt when the settings change, so token caches live across probe runs. */
export function createClientCache(secrets: SecretBox) {
  const cache = new Map<string, { version: number; client: MailboxClient }>();
  return {
    get(row: ProviderRow): MailboxClient {
      const version = new Date(row.updated_at).getTime();
      const hit = cache.get(row.org_id);
      if (hit && hit.version === version) return hit.client;
      const secret = secrets.open(row.encrypted_secret);
      const client =
        row.provider === 'google'
          ? createGoogleClient(row.settings as GoogleSettings, secret, { concurrency: providerLimits.google.inFlight })
          : createGraphClient(row.settings as MicrosoftSettings, secret, {
              batchesInFlight: providerLimits.microsoft.inFlight,
            });
      cache.set(row.org_id, { version, client });
      return client;
    },
    forget(orgId: string) {
      cache.delete(orgId);
    },
  };
}
export type ClientCache = ReturnType<typeof createClientCache>;
