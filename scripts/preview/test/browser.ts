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

/** Opens a screen from the app's navigation (under More when its tab does not fit) and waits for its card. */
export async function openScreen(page: Page, screen: string, title: string): Promise<void> {
  const tab = page.locator(`[data-id="nav-${screen}"]`);
  if (!(await tab.isVisible())) await page.locator('[data-id="nav-more"]').click();
  await tab.click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

/**
 * Closes every dialog a failed step left open, as the admin would (Escape, innermost first), so the next step finds
 * the app live rather than inert behind it: one failure stays one failure. A dialog that will not close (busy until
 * the service answers) goes with a reload of the page. Answers how many were open.
 */
export async function closeOpenDialogs(page: Page): Promise<number> {
  const dialogs = page.getByRole('dialog');
  const open = await dialogs.count();
  for (let left = open; left > 0; left--) {
    const innermost = dialogs.last();
    // Escape reaches a lightning-modal only from inside it.
    await innermost.focus().catch(() => undefined);
    await page.keyboard.press('Escape');
    const closed = await innermost
      .waitFor({ state: 'detached', timeout: 3_000 })
      .then(() => true)
      .catch(() => false);
    if (!closed || (await dialogs.count()) >= left) {
      await page.reload();
      await page.waitForLoadState('networkidle');
      break;
    }
  }
  return open;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Lets axe resolve ARIA id references as the browser does. Under synthetic shadow (the platform's, and the
 * preview's) a component's DOM is the document's own: the browser finds aria-labelledby, aria-describedby and
 * aria-controls targets anywhere in the document. axe looks them up through the node's root, and the synthetic
 * shadow root refuses getElementById, so every reference inside a component came back "needs review" (and each
 * dialog's and landmark's name "could not be determined"). An XPath lookup is the document's unpatched one.
 */
function resolveIdsAsTheBrowserDoes() {
  const literal = (id: string) => (id.includes('"') ? `'${id}'` : `"${id}"`);
  const byId = (id: string) =>
    document.evaluate(`//*[@id=${literal(id)}]`, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null)
      .singleNodeValue;
  for (const element of Array.from(document.querySelectorAll('*'))) {
    const root = element.shadowRoot;
    if (!root) continue;
    const proto = Object.getPrototypeOf(root) as { getElementById: (id: string) => Node | null };
    Object.defineProperty(proto, 'getElementById', { value: byId, configurable: true, writable: true });
  }
}

type Axe = {
  run(context: unknown, options: unknown): Promise<AxeResults>;
  utils: { shadowSelect(selectors: unknown): Element | null };
};

/** axe-core on the element and what is inside it (found by playwright: synthetic shadow hides it from querySelector). */
async function runAxe(target: Locator, options: Record<string, unknown>): Promise<AxeResults> {
  const page = target.page();
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  await page.evaluate(resolveIdsAsTheBrowserDoes);
  return target.evaluate(async (element, opts) => {
    const axe = (window as unknown as { axe: Axe }).axe;
    const results = await axe.run(element, opts);
    // axe asks to review every aria-controls of a control with a popup (a combobox's listbox), whatever the page:
    // answered here, as axe answers it for other controls. Collapsed, its popup need not be drawn; expanded, every
    // id it names must be on the page.
    const answered = (node: AxeResults['incomplete'][number]['nodes'][number]) => {
      const checks = [...node.all, ...node.any, ...node.none];
      if (!checks.every((check) => (check.data as { messageKey?: string })?.messageKey === 'controlsWithinPopup'))
        return false;
      // Inside shadow trees a target is one list of selectors, a root's each.
      const control = axe.utils.shadowSelect(node.target.length === 1 ? node.target[0] : node.target);
      if (!control) return false;
      if (control.getAttribute('aria-expanded') === 'false') return true;
      const ids = (control.getAttribute('aria-controls') ?? '').split(/\s+/).filter(Boolean);
      const root = control.getRootNode() as unknown as { getElementById(id: string): Node | null };
      return ids.length > 0 && ids.every((id) => root.getElementById(id) !== null);
    };
    for (const rule of results.incomplete) {
      if (rule.id === 'aria-valid-attr-value') rule.nodes = rule.nodes.filter((node) => !answered(node));
    }
    results.incomplete = results.incomplete.filter((rule) => rule.nodes.length > 0);
    return results;
  }, options);
}

/**
 * The rules whose "needs review" answer counts as wrong everywhere: axe cannot tell for sure (an ARIA reference
 * it cannot resolve, a dialog or landmark whose name it cannot work out), and each has a cause to fix in markup.
 * Left as needs review, not failed: color-contrast where axe cannot see the background (text over an image or a
 * gradient, or behind an open dialog's backdrop, where it is not what the admin reads anyway).
 */
export const REVIEWS_THAT_FAIL = ['aria-valid-attr-value', 'aria-dialog-name', 'landmark-unique'];

/**
 * What axe-core finds wrong on the page as it is now (WCAG 2 A/AA and best practices), one line per element:
 * rule, impact, where and why, so a failing journey says what to fix. Besides REVIEWS_THAT_FAIL, `needsReview`
 * names more rules whose "needs review" answer counts as wrong (axe only asks for a review of aria-hidden-focus
 * while a dialog is open).
 */
export async function axeViolations(
  page: Page,
  { needsReview = [] }: { needsReview?: string[] } = {},
): Promise<string[]> {
  const results = await runAxe(page.locator('body'), { resultTypes: ['violations', 'incomplete'] });
  const failing = [...REVIEWS_THAT_FAIL, ...needsReview];
  const found = (verdict: string) => (rule: AxeResults['violations'][number]) =>
    rule.nodes.map(
      (node) =>
        `${rule.id} (${rule.impact}${verdict}) at ${node.target.join(' ')}: ${rule.help}. ${node.failureSummary?.replace(/\s+/g, ' ')}`,
    );
  return [
    ...results.violations.flatMap(found('')),
    ...results.incomplete.filter((rule) => failing.includes(rule.id)).flatMap(found(', needs review')),
  ];
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

/** How far the page scrolls sideways (0 when everything fits the window's width). */
export function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
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
