/**
 * What the browser journeys share: one preview (service on the embedded database with the demo org, and the
 * compiled LWCs), Debian's chromium driven by playwright-core, and a few steps the admin repeats.
 * With synthetic shadow the components' DOM is ordinary DOM, so role, label and text locators reach inside them.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../build.js';
import { startPreview, type Preview } from '../server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the journeys leave a PNG of each screen (and of the page when a step failed): CI keeps the folder. */
export const screenshotDir = join(repoRoot, 'test-results/screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Session {
  preview: Preview;
  browser: Browser;
  page: Page;
  /** Problems the page reported (uncaught errors, console errors): a journey should end with none. */
  problems: string[];
  /** The service's API as the Apex proxy calls it: Bearer key, acting as the demo admin. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function openSession(): Promise<Session> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);
  const preview = await startPreview();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // A new context is a fresh profile: no cookies, storage or cache from any earlier run.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(Number(process.env.E2E_STEP_TIMEOUT ?? 30_000));
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
    });
    mkdirSync(screenshotDir, { recursive: true });
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(new URL(`/api/v1${path}`, preview.serviceUrl), {
        method,
        headers: {
          authorization: `Bearer ${preview.apiKey}`,
          'x-roster-actor': 'admin@demo.roster.test',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
      return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    };
    const opened = browser;
    return {
      preview,
      browser: opened,
      page,
      problems,
      api,
      async close() {
        await opened.close();
        await preview.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await preview.close();
    throw err;
  }
}

/**
 * Grows the demo org by `count` generated users (Sam Sample000001@large.example …), written by the database in one
 * statement as a large org's import leaves them: a journey at real org size without minutes of API calls.
 */
export async function growOrg(preview: Preview, count: number): Promise<void> {
  const { db, orgId } = preview;
  const profile = await db('configuration_profiles').where({ org_id: orgId, is_builtin: true }).first('id');
  const team = await db('teams').where({ org_id: orgId, kind: 'top' }).first('id');
  await db.raw(
    `INSERT INTO users (org_id, email, first_name, last_name, job_title, team_id, role, licenses, profile_id, status, source)
     SELECT ?, 'sam.sample' || lpad(g::text, 6, '0') || '@large.example', 'Sam', 'Sample' || lpad(g::text, 6, '0'),
            'Account Executive', ?, 'member', ARRAY['foundation'], ?, 'active', 'csv'
       FROM generate_series(1, ?) g`,
    [orgId, team.id, profile.id, count],
  );
  await db.raw('ANALYZE users');
}

/** Opens a screen from the app's navigation and waits for its card. */
export async function openScreen(page: Page, screen: string, title: string): Promise<void> {
  await page.locator(`[data-id="nav-${screen}"]`).click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** axe-core on the element and what is inside it (found by playwright: synthetic shadow hides it from querySelector). */
async function runAxe(target: Locator, options: Record<string, unknown>): Promise<AxeResults> {
  const page = target.page();
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return target.evaluate(
    (element, opts) =>
      (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe.run(
        element,
        opts,
      ),
    options,
  );
}

/**
 * What axe-core finds wrong on the page as it is now (WCAG 2 A/AA and best practices), one line per element:
 * rule, impact, where and why, so a failing journey says what to fix. `needsReview` names rules whose "needs
 * review" answer counts as wrong too (axe only asks for a review of aria-hidden-focus while a dialog is open).
 */
export async function axeViolations(
  page: Page,
  { needsReview = [] }: { needsReview?: string[] } = {},
): Promise<string[]> {
  const results = await runAxe(page.locator('body'), { resultTypes: ['violations', 'incomplete'] });
  return [...results.violations, ...results.incomplete.filter((rule) => needsReview.includes(rule.id))].flatMap(
    (rule) =>
      rule.nodes.map(
        (node) =>
          `${rule.id} (${rule.impact}) at ${node.target.join(' ')}: ${rule.help}. ${node.failureSummary?.replace(/\s+/g, ' ')}`,
      ),
  );
}

/** axe-core's answer on one rule for each element it checked inside `scope`: passed, violation or needs review. */
export async function axeVerdicts(scope: Locator, rule: string): Promise<string[]> {
  const results = await runAxe(scope, { runOnly: [rule] });
  return [
    ...results.passes.flatMap((r) => r.nodes.map(() => 'passed')),
    ...results.violations.flatMap((r) => r.nodes.map((node) => `violation: ${node.failureSummary}`)),
    ...results.incomplete.flatMap((r) => r.nodes.map((node) => `needs review: ${node.failureSummary}`)),
  ];
}

/** Picks an option of a lightning-combobox by its label, as the admin does: open the list, click the option. */
export async function pick(scope: Page | Locator, label: string, option: string | RegExp): Promise<void> {
  await scope.getByRole('combobox', { name: label }).click();
  await scope.getByRole('option', { name: option }).click();
}

/** Picks a user or team in a c-roster-lookup, as the admin does: type part of the name, click the match. */
export async function lookUp(
  scope: Page | Locator,
  label: string,
  search: string,
  option: string | RegExp,
): Promise<void> {
  await scope.getByRole('combobox', { name: label }).fill(search);
  await scope.getByRole('option', { name: option }).click();
}

/** Whether keyboard focus is on the element or inside it (native :focus-within: synthetic shadow is plain DOM). */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el.matches(':focus, :focus-within'));
}

/**
 * Puts keyboard focus on the element, where the keyboard user's Tabs would have brought it. The element's own
 * focus(): playwright's locator.focus() lets a datatable's cell send focus elsewhere after a dialog closed.
 */
export async function focusOn(locator: Locator): Promise<void> {
  await locator.evaluate((el) => (el as HTMLElement).focus());
  if (!(await hasFocus(locator))) throw new Error(`${locator} did not take focus`);
}

/** Presses Tab (Shift+Tab with `back`) until the element has focus: what a keyboard user does to reach it. */
export async function tabTo(page: Page, target: Locator, { back = false, max = 40 } = {}): Promise<void> {
  for (let i = 0; i <= max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${target}`);
}

/** The text of the option a focused combobox (lightning-combobox or c-roster-lookup) has active, if any. */
async function activeOption(page: Page, combobox: Locator): Promise<string> {
  const id = await combobox.getAttribute('aria-activedescendant');
  return id ? read(page.locator(`[id="${id}"]`)) : '';
}

/**
 * Chooses an option of the focused combobox by keyboard: ArrowDown opens the list, ArrowDown walks it (the
 * combobox names the active option by aria-activedescendant), Enter chooses. A list that closed again as it opened
 * (seen once in a few runs: the Enter then chose nothing) is opened again, as its keyboard user would.
 */
export async function chooseByKeyboard(page: Page, combobox: Locator, option: string | RegExp): Promise<void> {
  const wanted = (text: string) => (typeof option === 'string' ? text === option : option.test(text));
  for (let round = 0; round < 3; round++) {
    await walkToOption(page, combobox, wanted, option);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 20; i++) {
      // Gone: the choice moved the dialog on (Move under opens its confirmation).
      if ((await combobox.count()) === 0 || wanted(await read(combobox))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`Enter never chose the option ${option} of ${combobox}`);
}

async function walkToOption(page: Page, combobox: Locator, wanted: (text: string) => boolean, option: string | RegExp) {
  await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 40; i++) {
    if (wanted(await activeOption(page, combobox))) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`ArrowDown never reached the option ${option} of ${combobox}`);
}

/** Opens a menu (lightning-button-menu) from its focused button by Enter and chooses an item by keyboard. */
export async function chooseMenuItem(page: Page, menuButton: Locator, item: string): Promise<void> {
  await focusOn(menuButton);
  await chooseFromOpeningMenu(page, item);
}

async function chooseFromOpeningMenu(page: Page, item: string): Promise<void> {
  await page.keyboard.press('Enter');
  const focused = page.locator('[role="menuitem"]:focus');
  await focused.waitFor();
  for (let i = 0; i < 15; i++) {
    if ((await read(focused)) === item) return void (await page.keyboard.press('Enter'));
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`ArrowDown never reached the menu item ${item}`);
}

/**
 * Walks a lightning-datatable's cells by arrow keys, as its keyboard users do: Tab lands on the table's active
 * cell, the arrows move to the `row`, then along it to `cell` (one of its cells). Returns that cell, focused.
 */
export async function gridCellByKeyboard(page: Page, table: Locator, row: Locator, cell: Locator): Promise<Locator> {
  // A list refresh (after a change, or while a job runs) re-renders the rows and drops focus to the page: a
  // keyboard user would Tab back into the table and carry on, so a round that loses the table starts again.
  for (let round = 0; round < 3; round++) {
    // The one cell (or the control in it, after an action) the table keeps in the Tab order.
    if (!(await hasFocus(table))) await focusOn(table.locator('tbody [tabindex="0"]').first());
    for (const key of ['ArrowDown', 'ArrowUp']) {
      for (let i = 0; i < 60 && !(await hasFocus(row)); i++) await page.keyboard.press(key);
    }
    for (const key of ['ArrowRight', 'ArrowLeft']) {
      for (let i = 0; i < 15 && !(await hasFocus(cell)); i++) await page.keyboard.press(key);
    }
    if (await hasFocus(cell)) return cell;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The arrow keys never reached ${cell}`);
}

/** The cell of a datatable row that holds its action menu. */
export const actionCell = (row: Locator) =>
  row.getByRole('gridcell').filter({ has: row.page().getByRole('button', { name: /Show actions/ }) });

/** A row's action (the datatable's row menu) by keyboard: to the row's action cell, Enter, the item, Enter. */
export async function rowActionByKeyboard(page: Page, table: Locator, row: Locator, item: string): Promise<void> {
  await gridCellByKeyboard(page, table, row, actionCell(row));
  await chooseFromOpeningMenu(page, item);
}

/**
 * A dialog by keyboard alone, as Lightning dialogs behave: `open` (keys only) opens it from `opener`; focus moves
 * into it; a round of Tab and one of Shift+Tab never leave it; `fill` (keys only) fills it; Escape closes it; focus
 * is back on the opener. Returns nothing: each step fails with what the keyboard user would have met.
 */
export async function dialogByKeyboard(
  page: Page,
  {
    opener,
    name,
    open = async () => {
      await focusOn(opener);
      await page.keyboard.press('Enter');
    },
    fill,
  }: { opener: Locator; name: string | RegExp; open?: () => Promise<void>; fill?: (dialog: Locator) => Promise<void> },
): Promise<void> {
  await open();
  const dialog = page.getByRole('dialog', { name });
  await dialog.waitFor();
  await waitUntil(() => hasFocus(dialog), `focus moves into the dialog ${name}`);
  for (const key of [...Array(12).fill('Tab'), ...Array(12).fill('Shift+Tab')]) {
    await page.keyboard.press(key);
    if (!(await hasFocus(dialog))) throw new Error(`${key} took focus out of the dialog ${name}`);
  }
  if (fill) await fill(dialog);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await waitUntil(() => hasFocus(opener), `focus returns to the button that opened ${name}`);
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Not so: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Turns a lightning-input toggle on. SLDS hides the real checkbox under its painted switch, so the admin's click
 * lands on the switch (inside the label), which is what `force` does here: click where the checkbox is.
 */
export async function switchOn(toggle: Locator): Promise<void> {
  await toggle.check({ force: true });
}

/** The text of an element as the admin reads it, whitespace collapsed. */
export async function read(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits until the element shows the text (screens update after their Apex call returns). */
export async function waitForText(locator: Locator, text: string | RegExp): Promise<string> {
  await locator.filter({ hasText: text }).first().waitFor();
  return read(locator.filter({ hasText: text }).first());
}
