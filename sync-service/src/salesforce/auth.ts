import { createPrivateKey, sign } from 'node:crypto';
import { OAuth2 } from 'jsforce';
import type { Transport } from 'jsforce/lib/transport.js';

/** What is needed to get an access token; the secret is the private key (JWT) or the refresh token. */
export interface SalesforceCredentials {
  loginUrl: string;
  authKind: 'jwt' | 'refresh_token';
  clientId: string;
  username: string | null;
  secret: string;
}

export interface IssuedToken {
  accessToken: string;
  instanceUrl: string;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** The RS256 assertion of Salesforce's OAuth 2.0 JWT bearer flow (aud is the login host, exp at most 3 minutes). */
export function jwtAssertion(
  creds: Pick<SalesforceCredentials, 'clientId' | 'username' | 'loginUrl' | 'secret'>,
  now = Date.now(),
): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(
    JSON.stringify({
      iss: creds.clientId,
      sub: creds.username,
      aud: creds.loginUrl.replace(/\/+$/, ''),
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
  const oauth2 = new OAuth2({ loginUrl: creds.loginUrl.replace(/\/+$/, ''), clientId: creds.clientId });
  (oauth2 as unknown as { _transport: Transport })._transport = transport;
  const res =
    creds.authKind === 'jwt'
      ? await oauth2.requestToken({ grant_type: JWT_GRANT, assertion: jwtAssertion(creds) })
      : await oauth2.refreshToken(creds.secret);
  return { accessToken: res.access_token, instanceUrl: res.instance_url };
}
