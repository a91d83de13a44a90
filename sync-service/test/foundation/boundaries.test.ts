import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return result!.messages.map((m) => m.message);
}

describe('the boundary between the product and its test fakes', () => {
  it.each([
    "import { startFakeSalesforce } from '@roster/fake-salesforce';",
    "import { startFakeGraph } from '../../../fakes/graph/index.js';",
    "import { startFakeGoogle } from '../../fakes/google';",
    "import { demoOrg } from '../../test/fake-salesforce/index.js';",
    "export { demoOrg } from '@roster/fake-salesforce';",
    "const fake = '@roster/fake-salesforce'; await import(fake);",
  ])('fails the build when product code reaches a fake: %s', async (code) => {
    expect((await problems('sync-service/src/salesforce/zz.ts', code)).join('\n')).toMatch(
      /must not import a fake|by a literal name/,
    );
  });

  it('lets the demo launcher and the tests use the fakes', async () => {
    const code = "import { startFakeSalesforce } from '@roster/fake-salesforce';\nvoid startFakeSalesforce;\n";
    expect(await problems('sync-service/demo/zz.ts', code)).toEqual([]);
    expect(await problems('sync-service/test/zz.test.ts', code)).toEqual([]);
  });
});
