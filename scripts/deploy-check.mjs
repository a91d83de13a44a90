// Offline deploy check for force-app: every file must belong to a metadata component that
// @salesforce/source-deploy-retrieve can convert to a deployable package, and references between
// components (permission set -> classes/tabs/app, tab -> page, page -> component) must resolve.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { ComponentSet, ForceIgnore, MetadataConverter, MetadataResolver } from '@salesforce/source-deploy-retrieve';

const root = path.resolve(process.argv[2] ?? 'force-app');
const forceIgnore = ForceIgnore.findAndCreate(root);
const problems = [];

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (forceIgnore.denies(full)) return [];
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const resolver = new MetadataResolver();
let components = [];
try {
  components = resolver.getComponentsFromPath(root);
} catch (error) {
  problems.push(`${error.name}: ${error.message}`);
}
for (const c of components.filter((c) => !c.xml)) {
  problems.push(`${c.type.name} ${c.fullName} has no -meta.xml file (${path.relative('.', c.content ?? root)})`);
}
components = components.filter((c) => c.xml);
const claimed = new Set(components.flatMap((c) => [c.xml, c.content, ...(c.walkContent?.() ?? [])].filter(Boolean)));
for (const file of walk(root)) {
  const inBundle = [...claimed].some((c) => c === file || file.startsWith(c + path.sep));
  if (!inBundle) problems.push(`${path.relative('.', file)} is not part of any metadata component`);
}

const byType = (type) => new Set(components.filter((c) => c.type.name === type).map((c) => c.fullName));
const xmlOf = (type) =>
  components.filter((c) => c.type.name === type).map((c) => [c.fullName, fs.readFileSync(c.xml, 'utf8')]);
const values = (xml, tag) => [...xml.matchAll(new RegExp(`<${tag}>([^<]+)</${tag}>`, 'g'))].map((m) => m[1]);
const expect = (from, kind, names, known) => {
  for (const name of names)
    if (!known.has(name)) problems.push(`${from} names ${kind} ${name}, which is not in ${path.relative('.', root)}`);
};

const classes = byType('ApexClass');
const tabs = byType('CustomTab');
const pages = byType('FlexiPage');
const lwcs = byType('LightningComponentBundle');
for (const [name, xml] of xmlOf('PermissionSet')) {
  expect(`permission set ${name}`, 'class', values(xml, 'apexClass'), classes);
  expect(`permission set ${name}`, 'tab', values(xml, 'tab'), tabs);
  expect(`permission set ${name}`, 'app', values(xml, 'application'), byType('CustomApplication'));
  const customPermissions = [...xml.matchAll(/<customPermissions>([\s\S]*?)<\/customPermissions>/g)].map((m) => m[1]);
  expect(
    `permission set ${name}`,
    'custom permission',
    customPermissions.flatMap((block) => values(block, 'name')),
    byType('CustomPermission'),
  );
}
for (const [name, xml] of xmlOf('CustomApplication')) expect(`app ${name}`, 'tab', values(xml, 'tabs'), tabs);
for (const [name, xml] of xmlOf('CustomTab')) expect(`tab ${name}`, 'page', values(xml, 'flexiPage'), pages);

// Tab styles are Salesforce's own names; metadata/tab-motifs.json cites where each one deploys.
const { motifs } = JSON.parse(fs.readFileSync(new URL('./metadata/tab-motifs.json', import.meta.url), 'utf8'));
for (const [name, xml] of xmlOf('CustomTab'))
  for (const motif of values(xml, 'motif'))
    if (!Object.hasOwn(motifs, motif))
      problems.push(`tab ${name} has motif "${motif}", which is not a tab style in scripts/metadata/tab-motifs.json`);

// Credential parameter values (header formulas, the URL) go on the wire exactly as written: one line, no padding.
const decoded = (text) =>
  text.replace(/&#(x[0-9a-f]+|\d+);/gi, (_, n) =>
    String.fromCodePoint(n[0].toLowerCase() === 'x' ? parseInt(n.slice(1), 16) : Number(n)),
  );
for (const type of ['ExternalCredential', 'NamedCredential'])
  for (const [name, xml] of xmlOf(type))
    for (const [, raw] of xml.matchAll(/<parameterValue>([^<]*)<\/parameterValue>/g)) {
      const value = decoded(raw);
      if (/[\r\n]/.test(value) || value !== value.trim())
        problems.push(
          `${type} ${name} has a parameterValue with a line break or leading/trailing space: ${JSON.stringify(value)}`,
        );
    }
// A transaction allows 120 s of callouts in all, so no Apex callout may wait longer than 10 s (Apex's default); long
// work runs in the service as a job. Each setTimeout takes a literal or a constant of its class, at most 10,000 ms.
const CALLOUT_WAIT_MS = 10_000;
for (const c of components.filter((c) => c.type.name === 'ApexClass' && c.content)) {
  const source = fs.readFileSync(c.content, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  for (const [, arg] of source.matchAll(/\.setTimeout\s*\(\s*([^)]*?)\s*\)/gi)) {
    const constant = () => source.match(new RegExp(`\\b${arg}\\s*=\\s*(\\d+)\\s*;`, 'i'))?.[1];
    const ms = /^\d+$/.test(arg) ? Number(arg) : /^\w+$/.test(arg) ? Number(constant()) : NaN;
    if (!(ms <= CALLOUT_WAIT_MS))
      problems.push(`class ${c.fullName} lets a callout wait ${arg} ms (${ms}): at most ${CALLOUT_WAIT_MS} ms`);
  }
}
for (const [name, xml] of xmlOf('FlexiPage')) expect(`page ${name}`, 'component', values(xml, 'componentName'), lwcs);
for (const [name, xml] of xmlOf('LightningComponentBundle')) {
  if (/<isExposed>true<\/isExposed>/.test(xml) || !pages.size) continue;
  const used = [...xmlOf('FlexiPage')].some(([, page]) => values(page, 'componentName').includes(name));
  if (used) problems.push(`component ${name} is on a Lightning page but not exposed (isExposed)`);
}

// The unlocked package: sfdx-project.json must match Salesforce CLI's own schema and package force-app.
const project = JSON.parse(fs.readFileSync(path.join(path.dirname(root), 'sfdx-project.json'), 'utf8'));
const schemaFile = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('@salesforce/core'))),
  '..',
  'schemas',
  'sfdx-project.schema.json',
);
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
if (!validate(project))
  for (const e of validate.errors) problems.push(`sfdx-project.json${e.instancePath} ${e.message}`);
const packaged = project.packageDirectories?.find((d) => path.resolve(path.dirname(root), d.path) === root);
if (!packaged) problems.push(`sfdx-project.json has no package directory ${path.relative('.', root)}`);
// The default directory (force-app) is the unlocked package; others (integration-app) deploy from source only.
else if (packaged.default && !packaged.package)
  problems.push(`sfdx-project.json defines no package for ${packaged.path}`);
else if (packaged.package) {
  if (!/^\d+\.\d+\.\d+\.(NEXT|\d+)$/.test(packaged.versionNumber ?? ''))
    problems.push(
      `package ${packaged.package} has versionNumber "${packaged.versionNumber}", not major.minor.patch.(NEXT|build)`,
    );
  // Ancestry belongs to managed packages; an unlocked package (no namespace) upgrades from any earlier version.
  if (!project.namespace && (packaged.ancestorId || packaged.ancestorVersion))
    problems.push(
      `package ${packaged.package} is unlocked (no namespace): ancestorId/ancestorVersion apply only to managed packages`,
    );
}

if (!problems.length) {
  const outputDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-mdapi-'));
  try {
    const set = new ComponentSet(components);
    await new MetadataConverter().convert(set, 'metadata', { type: 'directory', outputDirectory, genUniqueDir: false });
    const manifest = await set.getPackageXml();
    if (!manifest.includes('<types>')) problems.push('the converted package is empty');
  } catch (error) {
    problems.push(`conversion failed: ${error.message}`);
  } finally {
    fs.rmSync(outputDirectory, { recursive: true, force: true });
  }
}

if (problems.length) {
  console.error(`force-app would not deploy:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${path.relative('.', root)}: ${components.length} metadata components resolve and convert.`);
