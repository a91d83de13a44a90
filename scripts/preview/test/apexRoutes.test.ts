import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apexRoutes } from '../apexRoutes.js';
import { repoRoot } from '../build.js';

const classesDir = join(repoRoot, 'force-app/main/default/classes');
const verbs: Record<string, string> = {
  get: 'GET',
  getText: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  del: 'DELETE',
  startJob: 'POST',
};

/** Every @AuraEnabled method of the controllers, with the verb and path literals its body sends. */
function auraEnabledMethods() {
  const methods: {
    name: string;
    verb: string | undefined;
    literals: string[];
    params: string[];
    keys: string[];
    jobKind: string | undefined;
  }[] = [];
  for (const file of readdirSync(classesDir).filter((f) => f.endsWith('.cls') && !f.endsWith('Test.cls'))) {
    const source = readFileSync(join(classesDir, file), 'utf8');
    const className = file.replace('.cls', '');
    const chunks = source.split(/@AuraEnabled(?:\([^)]*\))?/).slice(1);
    for (const chunk of chunks) {
      const signature = /public\s+static\s+[\w<>, ]+\s+(\w+)\s*\(([^)]*)\)/.exec(chunk);
      if (!signature) continue;
      const params = signature[2]!
        .split(',')
        .map((p) => p.trim().split(/\s+/).pop()!)
        .filter(Boolean);
      const verb = /RosterServiceClient\.(getText|get|post|put|patch|del|startJob)\(/.exec(chunk)?.[1];
      // startJob('kind', params): POST /jobs with the kind, and the keys built go into params.
      const jobKind = /RosterServiceClient\.startJob\(\s*'([\w.]+)'/.exec(chunk)?.[1];
      const literals = [...chunk.matchAll(/'(\/[^']*)'/g)].map((m) => m[1]!.split('?')[0]!).filter(Boolean);
      // The JSON keys (or query parameters) the method builds itself: `new Map<String, Object>{ 'k' => … }` and `.put('k', …)`.
      const keys = [...chunk.matchAll(/'(\w+)'\s*=>|\.put\(\s*'(\w+)'/g)].map((m) => (m[1] ?? m[2])!);
      methods.push({
        name: `${className}.${signature[1]}`,
        verb: verb && verbs[verb],
        literals: jobKind ? ['/jobs'] : literals,
        params,
        keys,
        jobKind,
      });
    }
  }
  return methods;
}

describe("the preview's Apex stand-in", () => {
  const methods = auraEnabledMethods();

  it('knows every @AuraEnabled method of the controllers, and no method they lack', () => {
    expect(methods.length).toBeGreaterThan(10);
    expect(Object.keys(apexRoutes).sort()).toEqual(methods.map((m) => m.name).sort());
  });

  it('sends the same HTTP verb and path as each Apex method', () => {
    for (const method of methods) {
      const sample = Object.fromEntries(method.params.map((p) => [p, `:${p}`]));
      const call = apexRoutes[method.name]!(sample);
      expect(call.method, method.name).toBe(method.verb);
      for (const literal of method.literals) expect(call.path, method.name).toContain(literal);
    }
  });

  it('sends the same body keys and query parameters as each Apex method that builds them (setMode: mode and confirm)', () => {
    const built = methods.filter((m) => m.keys.length > 0);
    expect(built.map((m) => m.name)).toContain('ModeController.setMode');
    for (const method of built) {
      const sample = Object.fromEntries(method.params.map((p) => [p, `:${p}`]));
      const call = apexRoutes[method.name]!(sample);
      const body = (method.jobKind ? (call.body as { params?: object }).params : call.body) as object | undefined;
      const sent = [...Object.keys(body ?? {}), ...Object.keys(call.query ?? {})];
      expect(sent.sort(), method.name).toEqual([...new Set(method.keys)].sort());
    }
    expect(apexRoutes['ModeController.setMode']!({ mode: 'automatic' }).body).toEqual({
      kind: 'mode.change',
      params: { mode: 'automatic', confirm: true },
    });
  });

  it('starts each long operation as the job kind its Apex method names (mode switch, role import, re-apply, health check, CSV file import and export, bulk changes, sync approvals)', () => {
    const jobs = methods.filter((m) => m.jobKind);
    expect(jobs.map((m) => m.name).sort()).toEqual([
      'HealthController.runIntegrationHealth',
      'ModeController.previewMode',
      'ModeController.setMode',
      'RolesController.importRoles',
      'RolesController.previewRoleImport',
      'RulesController.previewReapply',
      'RulesController.reapplyRules',
      'SyncController.approveSuspensions',
      'SyncController.rejectSuspensions',
      'UsersController.exportUsersToFile',
      'UsersController.importUsersFromFile',
      'UsersController.startBulkUpdate',
    ]);
    for (const method of jobs) {
      const call = apexRoutes[method.name]!({});
      expect(call, method.name).toMatchObject({ method: 'POST', path: '/jobs', body: { kind: method.jobKind } });
    }
  });

  it('waits at most 10 s for any callout: a transaction has 120 s of callouts in all', () => {
    const client = readFileSync(join(classesDir, 'RosterServiceClient.cls'), 'utf8');
    const timeout = /TIMEOUT_MS\s*=\s*(\d+)/.exec(client)?.[1];
    expect(Number(timeout)).toBeGreaterThan(0);
    expect(Number(timeout)).toBeLessThanOrEqual(10_000);
    expect([...client.matchAll(/setTimeout\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['TIMEOUT_MS']);
  });
});
