/**
 * What the browser journeys share: one preview (service on the embedded database with the demo org, and the
 * compiled LWCs), Debian's chromium driven by playwright-core, and a few steps the admin repeats.
 * With synthetic shadow the components' DOM is ordinary DOM, so role, label and text locators reach inside them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../build.js';
import { startPreview, type Preview } from '../server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results/screenshots');

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

/** Opens a screen from the app's navigation and waits for its card. */
export async function openScreen(page: Page, screen: string, title: string): Promise<void> {
  await page.locator(`[data-id="nav-${screen}"]`).click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
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
