import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { OAuthError } from './errors.js';
import type { OrgStore } from './org.js';

export interface Session {
  userId: string;
  expiresAt: number;
  scopes: string[];
  /** The refresh-token family the session came from (rotation revokes a whole family). */
  family: string | null;
}

interface RefreshToken {
  userId: string;
  family: string;
}

let sharedKeys: { privateKeyPem: string; publicKeyPem: string } | undefined;
/** One RSA pair per process: generating a 2048-bit key per fake would slow every test file. */
export function jwtKeys(): { privateKeyPem: string; publicKeyPem: string } {
  if (!sharedKeys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    sharedKeys = {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return sharedKeys;
}

const b64url = (s: string) => Buffer.from(s, 'base64url');

/** Issues and checks access tokens and refresh tokens; speaks the three grants the service uses. */
export class Auth {
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  /** Refresh tokens rotated out: presenting one again revokes its family (Salesforce's reuse detection). */
  private readonly rotatedOut = new Map<string, string>();
  readonly clientId: string;
  readonly clientSecret: string;
  requireSecretForRefresh: boolean;
  refreshTokenRotation: boolean;
  scopes: string[];
  readonly publicKey: KeyObject;
  /** After this many more authenticated API calls, every session is invalidated. */
  expireCountdown: number | null = null;

  constructor(
    private readonly org: OrgStore,
    private readonly urlOf: () => string,
    private readonly ttlMs: number,
    publicKeyPem: string,
  ) {
    this.clientId = org.connectedApp?.clientId ?? '3MVG9fakeRosterClientId';
    this.clientSecret = org.connectedApp?.clientSecret ?? 'fake-client-secret';
    this.requireSecretForRefresh = org.connectedApp?.requireSecretForRefresh ?? true;
    this.refreshTokenRotation = org.connectedApp?.refreshTokenRotation ?? false;
    this.scopes = org.connectedApp?.scopes ?? ['api', 'refresh_token'];
    this.publicKey = createPublicKey(publicKeyPem);
  }

  issueRefreshToken(userId: string, family = randomBytes(8).toString('hex')): string {
    const token = `5Aep861${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(token, { userId, family });
    return token;
  }

  issue(userId: string, family: string | null = null): Record<string, string> {
    const token = `${this.org.orgId.slice(0, 15)}!AQ${randomBytes(30).toString('base64url')}`;
    const now = this.org.now();
    this.sessions.set(token, { userId, expiresAt: now + this.ttlMs, scopes: this.scopes, family });
    const url = this.urlOf();
    return {
      access_token: token,
      signature: randomBytes(32).toString('base64'),
      scope: this.scopes.join(' '),
      instance_url: url,
      // The identity URL names the org and the user; Salesforce serves it on the login host.
      id: `${url}/id/${this.org.orgId}/${userId}`,
      token_type: 'Bearer',
      issued_at: String(now),
    };
  }

  /** The session behind an Authorization header, or null when missing, unknown or expired. */
  authenticate(header: string | undefined): Session | null {
    const token = header?.replace(/^(Bearer|OAuth)\s+/i, '');
    if (!token) return null;
    const session = this.sessions.get(token);
    if (!session) return null;
    if (session.expiresAt <= this.org.now()) {
      this.sessions.delete(token);
      return null;
    }
    if (this.expireCountdown !== null) {
      if (this.expireCountdown <= 0) {
        this.sessions.clear();
        this.expireCountdown = null;
        return null;
      }
      this.expireCountdown--;
    }
    return session;
  }

  token(form: URLSearchParams): Record<string, string> {
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') return this.refreshGrant(form);
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.jwtGrant(form.get('assertion') ?? '');
    if (grant === 'client_credentials') return this.clientCredentialsGrant(form);
    throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported');
  }

  private checkClient(form: URLSearchParams, secretRequired: boolean): void {
    if (form.get('client_id') !== this.clientId)
      throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
    const secret = form.get('client_secret');
    if ((secretRequired || secret !== null) && secret !== this.clientSecret)
      throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
  }

  private activeUser(userId: string | undefined): string {
    const user = userId ? this.org.get(userId)?.rec : undefined;
    if (!user) throw new OAuthError(400, 'invalid_grant', 'authentication failure');
    if (user.IsActive !== true) throw new OAuthError(400, 'invalid_grant', 'inactive user');
    return user.Id as string;
  }

  /**
   * With "Require secret for Refresh Token Flow" (the default) a refresh without the secret is refused like a wrong
   * secret. With rotation, each refresh returns a new refresh token and retires the one used; presenting a retired one
   * revokes the current token of its family and every session issued from it.
   */
  private refreshGrant(form: URLSearchParams): Record<string, string> {
    this.checkClient(form, this.requireSecretForRefresh);
    const presented = form.get('refresh_token') ?? '';
    const reused = this.rotatedOut.get(presented);
    if (reused) this.revokeFamily(reused);
    const found = this.refreshTokens.get(presented);
    if (!found) throw new OAuthError(400, 'invalid_grant', 'expired access/refresh token');
    const userId = this.activeUser(found.userId);
    const out = this.issue(userId, found.family);
    if (!this.refreshTokenRotation) return out;
    this.refreshTokens.delete(presented);
    this.rotatedOut.set(presented, found.family);
    return { ...out, refresh_token: this.issueRefreshToken(userId, found.family) };
  }

  private revokeFamily(family: string): void {
    for (const [t, r] of this.refreshTokens) if (r.family === family) this.refreshTokens.delete(t);
    for (const [t, s] of this.sessions) if (s.family === family) this.sessions.delete(t);
  }

  private jwtGrant(assertion: string): Record<string, string> {
    const [h, p, s] = assertion.split('.');
    if (!h || !p || !s) throw new OAuthError(400, 'invalid_grant', 'invalid assertion');
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(b64url(h).toString('utf8'));
      claims = JSON.parse(b64url(p).toString('utf8'));
    } catch {
      throw new OAuthError(400, 'invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256' || !verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, b64url(s))) {
      throw new OAuthError(400, 'invalid_grant', 'invalid assertion');
    }
    if (claims.iss !== this.clientId) throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
    // Salesforce checks aud against its login host (test.salesforce.com for a sandbox) or an Experience Cloud site,
    // never the My Domain the assertion is posted to (this fake's URL plays the My Domain).
    const audiences = ([] as string[]).concat(claims.aud ?? []).map((a) => a.replace(/\/$/, ''));
    const sandbox = this.org.organization().IsSandbox === true;
    const allowed = [
      sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com',
      ...this.org.experienceSites.map((u) => u.replace(/\/$/, '')),
    ];
    if (!audiences.some((a) => allowed.includes(a))) throw new OAuthError(400, 'invalid_grant', 'audience is invalid');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.org.now())
      throw new OAuthError(400, 'invalid_grant', 'expired authorization code');
    const user = this.org
      .rows('User')
      .find((u) => String(u.Username).toLowerCase() === String(claims.sub ?? '').toLowerCase());
    if (!user) throw new OAuthError(400, 'invalid_grant', "user hasn't approved this consumer");
    return this.issue(this.activeUser(user.Id as string));
  }

  private clientCredentialsGrant(form: URLSearchParams): Record<string, string> {
    this.checkClient(form, true);
    return this.issue(this.activeUser(this.org.integrationUserId));
  }
}
