export const LOGIN_AUDIENCE = 'https://login.salesforce.com';
export const SANDBOX_AUDIENCE = 'https://test.salesforce.com';

// Enhanced domains (enforced since Winter '24) put the org type between the site's name and the suffix.
const PARTITION = '(?:(?:sandbox|develop|scratch|patch|demo|free|trailblaze)\\.)?';

/**
 * The hostnames Salesforce serves Experience Cloud sites (and Salesforce Sites) on, as data: any other host under
 * force.com is the org's own application (Lightning, Visualforce, content), never a site, so never an audience.
 */
const SITE_HOSTS: readonly { form: string; pattern: RegExp }[] = [
  { form: 'acme.my.site.com', pattern: new RegExp(`^[a-z0-9-]+\\.${PARTITION}my\\.site\\.com$`) },
  {
    form: 'acme.my.salesforce-sites.com',
    pattern: new RegExp(`^[a-z0-9-]+\\.${PARTITION}my\\.salesforce-sites\\.com$`),
  },
  // Legacy domains: a production site, a Salesforce Site, a sandbox's (uat-acme.cs42) or Developer Edition's site.
  { form: 'acme.force.com', pattern: /^(?!(?:www|developer|login|test|help)\.)[a-z0-9-]+\.force\.com$/ },
  { form: 'acme.secure.force.com', pattern: /^[a-z0-9-]+\.secure\.force\.com$/ },
  { form: 'uat-acme.cs42.force.com', pattern: /^[a-z0-9-]+\.[a-z]{2,4}\d{1,3}[a-z]?\.force\.com$/ },
];

export const isSiteHost = (host: string): boolean => SITE_HOSTS.some((s) => s.pattern.test(host.toLowerCase()));

const parse = (text: string): URL | null => {
  try {
    return new URL(text);
  } catch {
    return null;
  }
};

// A site's URL may carry its path prefix (https://acme.my.site.com/partners), nothing deeper.
const SITE_PATH = /^(?:\/[A-Za-z0-9_-]+)?\/?$/;

export const AUDIENCE_FORMS =
  `${LOGIN_AUDIENCE} (production), ${SANDBOX_AUDIENCE} (sandboxes) or an Experience Cloud site's URL ` +
  `(https://acme.my.site.com, with its path prefix if it has one, such as /partners)`;

/** Why Salesforce would refuse this as the JWT `aud`, in the admin's words; null when it is one of the accepted forms. */
export function audienceProblem(text: string): string | null {
  const url = parse(text);
  const trimmed = text.replace(/\/+$/, '');
  if (trimmed === LOGIN_AUDIENCE || trimmed === SANDBOX_AUDIENCE) return null;
  const expected = `The JWT audience must be ${AUDIENCE_FORMS}`;
  if (!url) return `${expected}.`;
  if (url.origin === LOGIN_AUDIENCE || url.origin === SANDBOX_AUDIENCE)
    return `${expected}: ${url.origin} alone, with no path (the token endpoint is not the audience).`;
  if (url.hostname.endsWith('.my.salesforce.com'))
    return `${expected}; a My Domain (${url.hostname}) is never the audience, even though the token is requested from it.`;
  if (!isSiteHost(url.hostname))
    return `${expected}; ${url.hostname} is not a host Salesforce serves sites on (a custom domain's site also answers on its ${SITE_HOSTS[0]!.form} address).`;
  if (url.protocol !== 'https:' || url.port || url.username || url.password || url.search || url.hash)
    return `${expected}: https, with no port, query or fragment.`;
  if (!SITE_PATH.test(url.pathname))
    return `${expected}: the site's address and path prefix only, not a page of it (${url.pathname}).`;
  return null;
}

/**
 * The JWT bearer `aud`: Salesforce accepts only login.salesforce.com, test.salesforce.com (sandboxes) or an Experience
 * Cloud site URL, never a My Domain URL, even though the assertion is posted to the My Domain token endpoint.
 */
export function jwtAudience(loginUrl: string, explicit?: string | null): string {
  if (explicit) return explicit.replace(/\/+$/, '');
  const url = parse(loginUrl);
  if (!url) return LOGIN_AUDIENCE;
  const host = url.hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) return SANDBOX_AUDIENCE;
  // A site's login URL (the token is posted under it, so it is the site's address and path prefix) is its audience.
  if (isSiteHost(host)) return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  return LOGIN_AUDIENCE;
}
