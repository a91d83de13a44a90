/**
 * A 100k-user CSV file (about 15 MB) imported through Salesforce Files, in a real browser against the preview: the
 * file goes to the simulated org as a ContentVersion (lightning-file-upload's stand-in), the dry run and the apply run
 * as service jobs, and the Import Users dialog follows them with a progress bar that moves.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeOpenDialogs, openSession, read, screenshot, type Session } from './browser.js';

const ROWS = 100_000;

let s: Session;
beforeAll(async () => {
  s = await openSession();
  await s.page.goto(s.preview.url);
  await s.page.getByRole('heading', { name: 'Users and Teams', exact: true }).waitFor();
});
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && s)
    await screenshot(s.page, `failed-${task.name.replace(/\W+/g, '-').slice(0, 80)}`).catch(() => undefined);
  // A dialog a failed step left open keeps the app inert behind it: closed, so the next step fails only on its own.
  if (s) await closeOpenDialogs(s.page);
});
afterAll(async () => {
  await s?.close();
});

/** The file an admin would export, fill in and upload: one new hire per line. */
function newHires(rows: number): Buffer {
  const lines = ['Email,First Name,Last Name,Job Title,Role,Licenses,Operation'];
  for (let i = 0; i < rows; i++) {
    const n = String(i).padStart(6, '0');
    lines.push(
      `hire${n}@bulk.acme-robotics.example.com,Hire${n},Bulk${n},Account Executive North-East,Member,Foundation,Add`,
    );
  }
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/**
 * Every value a progress bar shows from now on, sampled in the page (the admin's view) every 50 ms. Synthetic shadow
 * keeps document.querySelectorAll out of components, so the sampler walks into each shadow root.
 */
async function watchProgressBars() {
  await s.page.evaluate(() => {
    const w = window as unknown as { barValues: number[] };
    w.barValues = [];
    const bars = (root: Element | ShadowRoot | Document, found: Element[] = []): Element[] => {
      for (const el of root.querySelectorAll('*')) {
        if (el.getAttribute('role') === 'progressbar') found.push(el);
        if (el.shadowRoot) bars(el.shadowRoot, found);
      }
      return found;
    };
    setInterval(() => {
      for (const bar of bars(document)) w.barValues.push(Number(bar.getAttribute('aria-valuenow')));
    }, 50);
  });
  return () => s.page.evaluate(() => (window as unknown as { barValues: number[] }).barValues);
}

describe('a 100k-user file, imported in the browser through Salesforce Files', () => {
  it(
    `dry-runs and applies ${ROWS.toLocaleString('en')} rows with a progress bar that moves`,
    { timeout: 240_000 },
    async () => {
      const { page } = s;
      const file = newHires(ROWS);
      expect(file.length).toBeGreaterThan(10_000_000);

      await page.getByRole('button', { name: 'Import Users' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import Users' });
      const barValues = await watchProgressBars();
      await dialog.getByLabel('CSV file').setInputFiles({ name: 'new-hires.csv', mimeType: 'text/csv', buffer: file });

      await dialog.getByText('Dry run: ready to apply').waitFor({ timeout: 150_000 });
      expect(await read(dialog.locator('[data-id="import-summary"]'))).toBe(
        `${ROWS} to add 0 to edit 0 to suspend 0 to delete 0 unchanged`,
      );
      // The result of each row is a Salesforce file too, downloaded from the org.
      expect(await dialog.locator('[data-id="download-import-result"]').getAttribute('href')).toMatch(
        /^\/sfc\/servlet\.shepherd\/version\/download\/068\w+$/,
      );

      await dialog.getByRole('button', { name: 'Apply import' }).click();
      await dialog.getByText('Imported', { exact: true }).waitFor({ timeout: 150_000 });
      expect(await read(dialog.locator('[data-id="import-summary"]'))).toBe(
        `${ROWS} added 0 edited 0 suspended 0 deleted 0 unchanged`,
      );
      const between = new Set((await barValues()).filter((v) => v > 0 && v < 100));
      expect(between.size, `bar values seen: ${[...between].join(', ')}`).toBeGreaterThanOrEqual(2);
      await screenshot(page, 'csv-import-100k');

      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'detached' });
      const lastHire = `hire${String(ROWS - 1).padStart(6, '0')}@bulk.acme-robotics.example.com`;
      const last = await s.api<{ items: { email: string }[] }>('GET', `/users?search=${lastHire}`);
      expect(last.items.map((u) => u.email)).toEqual([lastHire]);
      expect(s.problems).toEqual([]);
    },
  );
});
