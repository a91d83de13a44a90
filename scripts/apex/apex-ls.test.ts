import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkForIssues, describeIssues, type ApexIssue } from './apex-ls.js';

// Salesforce compiles Apex only in an org; apex-ls resolves every type, method and argument offline. One JVM run
// checks a copy of the project plus one deliberately broken class: the project must come out clean and the
// broken class must be caught, which shows the check can fail.
const BROKEN = 'RosterCheckCanary';
const BROKEN_SOURCE = `public with sharing class ${BROKEN} {
    public static Object switchToManual() {
        return ModeController.setMode('manual');
    }
}
`;

describe('the Apex classes compile as Salesforce would compile them', () => {
  let workspace: string;
  let result: { status: number | null; issues: ApexIssue[] };
  const isBroken = (issue: ApexIssue) => path.basename(issue.path) === `${BROKEN}.cls`;

  beforeAll(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-apex-ls-'));
    fs.copyFileSync('sfdx-project.json', path.join(workspace, 'sfdx-project.json'));
    fs.cpSync('force-app', path.join(workspace, 'force-app'), {
      recursive: true,
      filter: (source) => !source.split(path.sep).includes('__tests__'),
    });
    const classes = path.join(workspace, 'force-app/main/default/classes');
    fs.writeFileSync(path.join(classes, `${BROKEN}.cls`), BROKEN_SOURCE);
    fs.copyFileSync(path.join(classes, 'ModeController.cls-meta.xml'), path.join(classes, `${BROKEN}.cls-meta.xml`));
    result = await checkForIssues(workspace);
  });
  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('apex-ls reports no issue in any class of force-app', () => {
    const ours = result.issues.filter((issue) => !isBroken(issue));
    expect(describeIssues(ours, workspace)).toBe('');
  });

  it('apex-ls fails on a class that calls a method with the wrong number of arguments', () => {
    const caught = result.issues.filter(isBroken);
    expect(caught).toHaveLength(1);
    expect(caught[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining("No matching method found for 'setMode'"),
    });
    expect(result.status).not.toBe(0);
  });
});
