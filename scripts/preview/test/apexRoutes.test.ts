import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apexRoutes } from '../apexRoutes.js';
import { repoRoot } from '../build.js';

const classesDir = join(repoRoot, 'force-app/main/default/classes');
const verbs: Record<string, string> = { get: 'GET', getText: 'GET', post: 'POST', postCsv: 'POST', put: 'PUT', patch: 'PATCH', del: 'DELETE' };

/** Every @AuraEnabled method of the controllers, with the verb and path literals its body sends. */
function auraEnabledMethods() {
  const methods: { name: string; verb: string | undefined; literals: string[]; params: string[] }[] = [];
  for (const file of readdirSync(classesDir).filter((f) => f.endsWith('.cls') && !f.endsWith('Test.cls'))) {
    const source = readFileSync(join(classesDir, file), 'utf8');
    const className = file.replace('.cls', '');
    const chunks = source.split(/@AuraEnabled(?:\([^)]*\))?/).slice(1);
    for (const chunk of chunks) {
      const signature = /public\s+static\s+[\w<>, ]+\s+(\w+)\s*\(([^)]*)\)/.exec(chunk);
      if (!signature) continue;
      const params = signature[2]!.split(',').map((p) => p.trim().split(/\s+/).pop()!).filter(Boolean);
      const verb = /RosterServiceClient\.(getText|postCsv|get|post|put|patch|del)\(/.exec(chunk)?.[1];
      const literals = [...chunk.matchAll(/'(\/[^']*)'/g)].map((m) => m[1]!.split('?')[0]!).filter(Boolean);
      methods.push({ name: `${className}.${signature[1]}`, verb: verb && verbs[verb], literals, params });
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
});
