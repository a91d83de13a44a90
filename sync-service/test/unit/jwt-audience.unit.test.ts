import { describe, expect, it } from 'vitest';
import { jwtAudience } from '../../src/salesforce/auth.js';

/** The JWT `aud` Salesforce accepts for each login URL an admin may save (never a My Domain). */
describe('the JWT audience derived from the saved login URL', () => {
  it('is login.salesforce.com for a production My Domain and for login.salesforce.com itself', () => {
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://login.salesforce.com/')).toBe('https://login.salesforce.com');
  });

  it('is test.salesforce.com for a sandbox My Domain and for test.salesforce.com itself', () => {
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
  });

  it('is the site itself for an Experience Cloud site, and the audience the admin saved when there is one', () => {
    expect(jwtAudience('https://acme-partners.my.site.com/')).toBe('https://acme-partners.my.site.com');
    expect(jwtAudience('https://acme.my.salesforce.com', 'https://test.salesforce.com/')).toBe(
      'https://test.salesforce.com',
    );
  });
});
