import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// npm test runs scripts/deploy-check.mjs over force-app; this shows it refuses what Salesforce would refuse or
// mangle. One run over a copy of the project with one defect per check.
const DEFAULT = 'force-app/main/default';
const EXTERNAL = `${DEFAULT}/externalCredentials/Roster_Service.externalCredential-meta.xml`;
const NAMED = `${DEFAULT}/namedCredentials/Roster_Service.namedCredential-meta.xml`;
const TAB = `${DEFAULT}/tabs/Roster_Integration_Health.tab-meta.xml`;
const CLIENT = `${DEFAULT}/classes/RosterServiceClient.cls`;

describe('the offline deploy check', () => {
  let workspace: string;
  let run: { status: number | null; output: string };
  const edit = (file: string, change: (xml: string) => string) => {
    const full = path.join(workspace, file);
    const before = fs.readFileSync(full, 'utf8');
    const after = change(before);
    expect(after).not.toBe(before);
    fs.writeFileSync(full, after);
  };

  beforeAll(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-deploy-check-'));
    for (const file of ['sfdx-project.json', '.forceignore']) fs.copyFileSync(file, path.join(workspace, file));
    fs.cpSync('force-app', path.join(workspace, 'force-app'), { recursive: true });
    edit(TAB, (xml) => xml.replace(/<motif>[^<]*<\/motif>/, '<motif>Custom77: Shield</motif>'));
    // What Prettier's XML reflow did to the header formula: a line break and indentation inside the value.
    edit(EXTERNAL, (xml) =>
      xml.replace(
        /<parameterValue>([^<]*)<\/parameterValue>/,
        '<parameterValue>\n            $1\n        </parameterValue>',
      ),
    );
    // A carriage return written as a character reference, in a second header.
    edit(EXTERNAL, (xml) =>
      xml.replace(
        '<label>',
        `<externalCredentialParameters>
        <parameterGroup>DefaultGroup</parameterGroup>
        <parameterName>X-Second</parameterName>
        <parameterType>AuthHeader</parameterType>
        <parameterValue>{!'a'}&#13;</parameterValue>
        <sequenceNumber>2</sequenceNumber>
    </externalCredentialParameters>
    <label>`,
      ),
    );
    edit(NAMED, (xml) =>
      xml.replace(/<parameterValue>(https:[^<]*)<\/parameterValue>/, '<parameterValue>$1 </parameterValue>'),
    );
    edit(CLIENT, (apex) => apex.replace('TIMEOUT_MS = 10000;', 'TIMEOUT_MS = 120000;'));
    // A second class calling out on its own, with a literal wait.
    const classes = path.join(workspace, DEFAULT, 'classes');
    fs.writeFileSync(
      path.join(classes, 'SlowCallout.cls'),
      `public with sharing class SlowCallout {
    public static HttpResponse fetch() {
        HttpRequest request = new HttpRequest();
        request.setEndpoint('callout:Roster_Service/api/v1/users');
        request.SETTIMEOUT(60000); // Apex is case-insensitive
        return new Http().send(request);
    }
}
`,
    );
    fs.copyFileSync(
      path.join(classes, 'RosterServiceClient.cls-meta.xml'),
      path.join(classes, 'SlowCallout.cls-meta.xml'),
    );
    edit('sfdx-project.json', (json) =>
      json.replace('"versionNumber": "1.0.0.NEXT"', '"versionNumber": "1.0", "ancestorVersion": "HIGHEST"'),
    );
    const child = spawnSync(process.execPath, [path.resolve('scripts/deploy-check.mjs'), 'force-app'], {
      cwd: workspace,
      encoding: 'utf8',
    });
    run = { status: child.status, output: child.stdout + child.stderr };
  });
  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('refuses a deploy with a problem', () => {
    expect(run.status).toBe(1);
    expect(run.output).toContain('force-app would not deploy');
  });

  it('refuses a tab style that is not one of Salesforce’s', () => {
    expect(run.output).toContain('tab Roster_Integration_Health has motif "Custom77: Shield"');
  });

  it('refuses a header value with a line break or indentation, as a reflowing formatter leaves it', () => {
    expect(run.output).toMatch(/ExternalCredential Roster_Service has a parameterValue .*"\\n +\{!'Bearer '/);
  });

  it('refuses a header value with a carriage return written as &#13;', () => {
    expect(run.output).toContain(
      `ExternalCredential Roster_Service has a parameterValue with a line break or leading/trailing space: "{!'a'}\\r"`,
    );
  });

  it('refuses a Named Credential URL with a trailing space', () => {
    expect(run.output).toMatch(/NamedCredential Roster_Service has a parameterValue .*"https:[^"]* "/);
  });

  it('refuses an Apex callout that may wait longer than 10 s, through a constant or a literal', () => {
    expect(run.output).toContain(
      'class RosterServiceClient lets a callout wait TIMEOUT_MS ms (120000): at most 10000 ms',
    );
    expect(run.output).toContain('class SlowCallout lets a callout wait 60000 ms (60000): at most 10000 ms');
  });

  it('refuses a package version that is not major.minor.patch.build, and ancestry on an unlocked package', () => {
    expect(run.output).toContain('package Roster has versionNumber "1.0", not major.minor.patch.(NEXT|build)');
    expect(run.output).toContain('package Roster is unlocked (no namespace): ancestorId/ancestorVersion apply only');
  });

  it('names nothing else: the project as committed passes every check', () => {
    const problems = run.output.split('\n').filter((line) => line.startsWith('  '));
    expect(problems).toHaveLength(8);
  });
});
