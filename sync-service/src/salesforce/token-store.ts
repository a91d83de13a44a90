import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { scoped } from '../db/scoped.js';
import type { SecretBox } from '../shared/secrets.js';
import type { IssuedToken } from './auth.js';
import { SalesforceError } from './errors.js';
import { findStoredSession, releaseRefreshLease, storeRefreshedSession, takeRefreshLease } from './repo.js';

const LEASE_SECONDS = 20;
const WAIT_MS = 30_000;

/**
 * The org's current access token, shared by every replica, and the per-org refresh lease. A replica that finds
 * the lease taken waits for the holder's new token instead of refreshing too: Salesforce rejects concurrent
 * refreshes ("Token request is already being processed"). Statements are single autocommits, never a
 * transaction held across the HTTP call, so the embedded PGlite (one transaction at a time) cannot deadlock.
 */
export function createTokenStore(db: Knex, secrets: SecretBox) {
  const scope = (orgId: string) => scoped(db, orgId);
  const open = (sealed: string | null) => (sealed ? secrets.open(sealed) : null);

  async function load(orgId: string): Promise<IssuedToken | null> {
    const row = await findStoredSession(scope(orgId));
    const accessToken = open(row?.encrypted_access_token ?? null);
    return accessToken && row?.instance_url
      ? { accessToken, instanceUrl: row.instance_url, identityUrl: row.identity_url ?? null }
      : null;
  }

  /**
   * Runs `issue` under the org's lease unless another holder already replaced `failedToken`. `issue` gets the stored
   * secret as it is now: with refresh-token rotation another replica may have replaced it, and using a rotated-out
   * refresh token makes Salesforce revoke the current one too. A rotated refresh token is stored with the new session.
   */
  async function refreshUnderLease(
    orgId: string,
    failedToken: string | null,
    issue: (secret: string) => Promise<IssuedToken>,
  ): Promise<IssuedToken> {
    const owner = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const taken = await takeRefreshLease(scope(orgId), owner, LEASE_SECONDS);
      if (taken) {
        const release = () => releaseRefreshLease(scope(orgId), owner);
        try {
          const stored = open(taken.encrypted_access_token);
          if (stored && stored !== failedToken && taken.instance_url) {
            await release();
            return { accessToken: stored, instanceUrl: taken.instance_url, identityUrl: taken.identity_url ?? null };
          }
          const token = await issue(secrets.open(taken.encrypted_secret));
          await storeRefreshedSession(scope(orgId), owner, {
            encrypted_access_token: secrets.seal(token.accessToken),
            instance_url: token.instanceUrl,
            identity_url: token.identityUrl,
            ...(token.refreshToken ? { encrypted_secret: secrets.seal(token.refreshToken) } : {}),
          });
          return token;
        } catch (err) {
          await release();
          throw err;
        }
      }
      await sleep(100 + Math.random() * 200);
      const current = await load(orgId);
      if (current && current.accessToken !== failedToken) return current;
      if (Date.now() > deadline)
        throw new SalesforceError(
          'unreachable',
          'Timed out waiting for another replica to refresh the Salesforce session.',
        );
    }
  }

  return { load, refreshUnderLease };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
