import { describe, expect, it } from 'vitest';
import { audienceProblem, jwtAudience } from '../../src/salesforce/audience.js';

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

  it.each([
    'https://acme--uat.sandbox.my.site.com',
    'https://acme-dev-ed.develop.my.site.com/partners',
    'https://acme.my.salesforce-sites.com',
    'https://acme.force.com/customers',
    'https://acme.secure.force.com',
    'https://uat-acme.cs42.force.com',
    'https://acme-developer-edition.na35.force.com',
  ])('is the site for %s, a form Salesforce serves sites on', (site) => {
    expect(jwtAudience(`${site}/`)).toBe(site);
  });

  it.each([
    'https://acme.lightning.force.com',
    'https://acme--c.vf.force.com',
    'https://c.na1.visual.force.com',
    'https://c.cs42.content.force.com',
    'https://acme--uat.sandbox.lightning.force.com',
  ])('is login.salesforce.com for %s, the org’s own app under force.com and no site', (host) => {
    expect(jwtAudience(host)).toBe('https://login.salesforce.com');
  });
});

describe('an audience the admin saves', () => {
  it.each([
    'https://login.salesforce.com',
    'https://test.salesforce.com/',
    'https://acme-partners.my.site.com',
    'https://acme.my.site.com/partners',
    'https://acme.force.com/customers/',
    'https://acme--uat.sandbox.my.site.com',
  ])('accepts %s', (audience) => {
    expect(audienceProblem(audience)).toBeNull();
  });

  it.each([
    ['https://acme.my.salesforce.com', /My Domain \(acme\.my\.salesforce\.com\) is never the audience/],
    ['https://acme--uat.sandbox.my.salesforce.com', /My Domain/],
    ['https://acme.lightning.force.com', /acme\.lightning\.force\.com is not a host Salesforce serves sites on/],
    ['https://community.acme.com', /not a host Salesforce serves sites on/],
    ['https://login.salesforce.com/services/oauth2/token', /https:\/\/login\.salesforce\.com alone, with no path/],
    ['http://acme.my.site.com', /https, with no port/],
    ['https://acme.my.site.com:8443', /https, with no port/],
    ['https://acme.my.site.com/partners?x=1', /no port, query or fragment/],
    ['https://acme.my.site.com/partners/s/login', /not a page of it \(\/partners\/s\/login\)/],
    ['acme.my.site.com', /must be https:\/\/login\.salesforce\.com/],
  ])('refuses %s, saying why', (audience, why) => {
    const problem = audienceProblem(audience);
    expect(problem).toMatch(/^The JWT audience must be https:\/\/login\.salesforce\.com \(production\)/);
    expect(problem).toMatch(why);
  });
});
