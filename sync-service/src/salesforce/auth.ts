import { createPrivateKey, sign } from 'node:crypto';
import type { Transport } from 'jsforce/lib/transport.js';
import { jwtAudience } from './audience.js';
import { SECRET_REQUIRED_MESSAGE, SalesforceError } from './errors.js';

/** jsforce builds every Salesforce API when imported (a second of CPU): loaded with the first session, not at start. */
const importJsforce = () => import('jsforce');
let jsforce: ReturnType<typeof importJsforce> | undefined;
export const loadJsforce = () => (jsforce ??= importJsforce());

/** What is needed to get an access token; the secret is the private key (JWT) or the refresh token. */
export interface SalesforceCredentials {
  loginUrl: string;
  authKind: 'jwt' | 'refresh_token';
  clientId: string;
  /** The External Client App's consumer secret: sent on refresh (apps require it by default). */
  clientSecret?: string | null;
  /** The JWT `aud` the admin chose; null: derived from the login URL (jwtAudience). */
  audience?: string | null;
  username: string | null;
  secret: string;
}

export interface IssuedToken {
  accessToken: string;
  instanceUrl: string;
  /** The token response's identity URL, `.../id/<orgId>/<userId>`: who the session runs as, without userinfo. */
  identityUrl: string | null;
  /** A new refresh token, when the app rotates them (the one just used is dead from now on). */
  refreshToken?: string;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');
/** The org and user ids in an identity URL (`https://login.salesforce.com/id/00D.../005...`). */
export function identityOf(url: string | null | undefined): { orgId: string; userId: string; url: string } | null {
  const m = /\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(url ?? '');
  return m ? { orgId: m[1]!, userId: m[2]!, url: url! } : null;
}

/** The RS256 assertion of Salesforce's OAuth 2.0 JWT bearer flow (exp at most 3 minutes). */
export function jwtAssertion(
  creds: Pick<SalesforceCredentials, 'clientId' | 'username' | 'loginUrl' | 'secret' | 'audience'>,
  now = Date.now(),
): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(
    JSON.stringify({
      iss: creds.clientId,
      sub: creds.username,
      aud: jwtAudience(creds.loginUrl, creds.audience),
      exp: Math.floor(now / 1000) + 180,
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), createPrivateKey(creds.secret));
  return `${header}.${claims}.${b64url(signature)}`;
}

/** True when the text parses as a private key (checked on save, so a pasted certificate is refused early). */
export function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

/** One token request: JWT bearer grant or refresh-token grant, through the given (retrying) transport. */
export async function requestToken(creds: SalesforceCredentials, transport: Transport): Promise<IssuedToken> {
  const { OAuth2 } = await loadJsforce();
  const oauth2 = new OAuth2({
    loginUrl: creds.loginUrl.replace(/\/+$/, ''),
    clientId: creds.clientId,
    ...(creds.clientSecret ? { clientSecret: creds.clientSecret } : {}),
  });
  (oauth2 as unknown as { _transport: Transport })._transport = transport;
  const res = await (
    creds.authKind === 'jwt'
      ? oauth2.requestToken({ grant_type: JWT_GRANT, assertion: jwtAssertion(creds) })
      : oauth2.refreshToken(creds.secret)
  ).catch((err: unknown) => {
    // Salesforce answers a missing secret as a wrong one (invalid_client): without one sent, the secret is missing.
    const text = `${(err as { name?: string })?.name ?? ''} ${(err as Error)?.message ?? ''}`;
    if (creds.authKind === 'refresh_token' && !creds.clientSecret && /invalid_client\b/.test(text))
      throw new SalesforceError('secret_required', SECRET_REQUIRED_MESSAGE, 'invalid_client');
    throw err;
  });
  const rotated = creds.authKind === 'refresh_token' && res.refresh_token && res.refresh_token !== creds.secret;
  return {
    accessToken: res.access_token,
    instanceUrl: res.instance_url,
    identityUrl: typeof res.id === 'string' ? res.id : null,
    ...(rotated ? { refreshToken: res.refresh_token } : {}),
  };
}
