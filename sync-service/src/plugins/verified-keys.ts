import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { liveApiKeyHashes, orgOfApiKey } from '../orgs/repo.js';
import { sha256 } from '../shared/secrets.js';

/** How often the remembered keys are checked again: a revoked key stops working on every replica within this. */
export const KEY_RECHECK_MS = 1000;
const MAX_REMEMBERED = 10_000;

/**
 * The org of each API key seen, remembered so a busy caller costs no lookup per request, and checked again in one
 * statement every KEY_RECHECK_MS: a key revoked (or whose org was deleted) on any replica, or by `npm run api-key`, is
 * forgotten within that, whatever database it is (no LISTEN/NOTIFY, which the embedded one cannot deliver).
 */
export function verifiedKeys(db: Knex, log: FastifyBaseLogger) {
  const orgOfHash = new Map<string, string>();
  let checking = false;

  const recheck = async () => {
    if (checking || orgOfHash.size === 0) return;
    checking = true;
    try {
      const live = new Set(await liveApiKeyHashes(db, [...orgOfHash.keys()]));
      for (const hash of orgOfHash.keys()) if (!live.has(hash)) orgOfHash.delete(hash);
    } catch (err) {
      log.warn({ err }, 'API keys: could not check the remembered keys again');
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void recheck(), KEY_RECHECK_MS);
  timer.unref();

  return {
    /** The key's org, or null for a key that is unknown or revoked. */
    async orgOf(key: string): Promise<string | null> {
      const hash = sha256(key);
      const known = orgOfHash.get(hash);
      if (known) return known;
      const orgId = await orgOfApiKey(db, hash);
      if (!orgId) return null;
      if (orgOfHash.size >= MAX_REMEMBERED) orgOfHash.clear();
      orgOfHash.set(hash, orgId);
      return orgId;
    },
    stop: () => clearInterval(timer),
  };
}
