// Writes one module per @AuraEnabled Apex method, so every test sees a fresh jest.fn that also works as
// a wire adapter (`listTeams.emit(data)`). A component importing a method that does not exist gets no mock.
const fs = require("node:fs");
const path = require("node:path");

const classesDir = path.join(__dirname, "..", "main", "default", "classes");
const outDir = path.join(
  __dirname,
  "..",
  "..",
  "node_modules",
  ".cache",
  "roster-apex-mocks",
);
const METHOD =
  /@AuraEnabled[^\n]*\n\s*public\s+static\s+[\w<>, ]+?\s+(\w+)\s*\(/g;

function auraEnabledMethods() {
  const methods = [];
  for (const file of fs
    .readdirSync(classesDir)
    .filter((f) => f.endsWith(".cls"))) {
    const source = fs.readFileSync(path.join(classesDir, file), "utf8");
    const className = path.basename(file, ".cls");
    for (const match of source.matchAll(METHOD))
      methods.push(`${className}.${match[1]}`);
  }
  return methods;
}

function writeApexMocks() {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const body = [
    "const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');",
    "module.exports = { __esModule: true, default: createApexTestWireAdapter(jest.fn()) };",
    "",
  ].join("\n");
  for (const method of auraEnabledMethods())
    fs.writeFileSync(path.join(outDir, `${method}.js`), body);
  return outDir;
}

module.exports = { writeApexMocks, auraEnabledMethods };
