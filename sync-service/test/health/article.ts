import { readFileSync } from 'node:fs';

/**
 * Reads the article's tables from the copy kept beside the tests (fixtures/salesforce-permissions.txt,
 * byte-identical to reference/salesforce-permissions.txt) so the manifest can be compared item by item.
 * The article is pasted from a web page: table rows wrap across lines, cells end with "|".
 */
export const ARTICLE = readFileSync(new URL('./fixtures/salesforce-permissions.txt', import.meta.url), 'utf8');
const LINES = ARTICLE.split('\n').map((l) => l.trim());

function between(startsWith: string, endsBefore: string): string[] {
  const start = LINES.findIndex((l) => l.startsWith(startsWith));
  const end = LINES.findIndex((l, i) => i > start && l.startsWith(endsBefore));
  if (start < 0 || end < 0) throw new Error(`article section "${startsWith}" … "${endsBefore}" not found`);
  return LINES.slice(start, end);
}

/** A wrapped table as rows of `width` cells: join the lines, split on "|", chunk. */
function table(lines: string[], width: number): string[][] & { 0: string[] } {
  const cells = lines
    .join(' ')
    .split('|')
    .map((c) => c.trim());
  if (cells.at(-1) === '') cells.pop();
  if (cells.length % width !== 0) throw new Error(`table of width ${width} has ${cells.length} cells`);
  const rows: string[][] = [];
  for (let i = 0; i < cells.length; i += width) rows.push(cells.slice(i, i + width));
  return rows as string[][] & { 0: string[] };
}

const words = (cell = '') =>
  cell
    .split(/\s+/)
    .map((w) => w.replace(/,$/, ''))
    .filter((w) => w && w !== '—');

/** "View All Data, API Enabled, and View All Users" → the three labels. */
export const labelList = (text: string) =>
  text
    .replace(/\.$/, '')
    .split(/,\s*(?:and\s+)?|\s+and\s+/)
    .map((s) => s.trim())
    .filter(Boolean);

export const line = (startsWith: string) => {
  const found = LINES.find((l) => l.startsWith(startsWith));
  if (!found) throw new Error(`article line "${startsWith}" not found`);
  return found;
};

/** Every line starting with the prefix, in order (Options B and C both say "Under System Permissions, enable"). */
export const lines = (startsWith: string) => LINES.filter((l) => l.startsWith(startsWith));

export function objectPermissionTable() {
  const [header, ...rows] = table(between('Salesforce Object |', 'Note: If your organization uses Private'), 6);
  return {
    header,
    rows: rows.map(([object = '', viewAll, edit, create, del, why = '']) => ({
      object,
      viewAll: viewAll === '✓',
      edit: edit === '✓',
      create: create === '✓',
      delete: del === '✓',
      why,
    })),
  };
}

export function inheritedObjectTable() {
  const [, ...rows] = table(between('Object | Inherits From |', 'Field Permissions'), 2);
  return rows.map(([object = '', from = '']) => ({ object, from }));
}

export function readAllFieldsObjects() {
  return between('We recommend granting Read Access to all fields', 'To configure field permissions:').slice(1);
}

export function fieldTable() {
  const [, ...rows] = table(
    between('Object | Required Fields | Recommended Fields |', 'Inherited Field Permissions'),
    3,
  );
  return rows.map(([object = '', required, recommended]) => ({
    object,
    required: words(required),
    recommended: words(recommended),
  }));
}

export function inheritedFieldTable() {
  // Skip the heading and its sentence: "Object | Required Fields |" also begins the previous table's header.
  const [, ...rows] = table(between('Inherited Field Permissions', 'Frequently Asked Questions').slice(2), 2);
  return rows.map(([objectCell = '', fields]) => {
    // "Currency Type Note: These fields only exist if Multi-Currency is enabled ..." names the object before the note.
    const [name = '', note = ''] = objectCell.split(/\s*Note:\s*/);
    return { object: name.replace(/\s+/g, ''), multiCurrencyOnly: /Multi-Currency/.test(note), fields: words(fields) };
  });
}
