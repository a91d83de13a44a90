/**
 * A new admin's first hour, in a real browser (Debian's chromium) against the real service: the compiled
 * force-app LWCs, the preview's Apex stand-in, the service on the embedded database with the demo org and its
 * simulated Salesforce org. The steps build on each other, in order, like the admin's own session.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  actionCell,
  axeVerdicts,
  axeViolations,
  chooseByKeyboard,
  chooseMenuItem,
  closeOpenDialogs,
  dialogByKeyboard,
  focusOn,
  gridCellByKeyboard,
  growOrg,
  hasFocus,
  lookUp,
  openScreen,
  openSession,
  pick,
  read,
  rowActionByKeyboard,
  screenshot,
  sideways,
  switchOn,
  tabTo,
  waitForText,
  type Session,
} from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await openSession();
  await s.page.goto(s.preview.url);
});
afterEach(async ({ task }) => {
  // What the admin would have seen when a step failed: the CI artifact to look at first.
  if (task.result?.state === 'fail' && s)
    await screenshot(s.page, `failed-${task.name.replace(/\W+/g, '-').slice(0, 80)}`).catch(() => undefined);
  // A dialog a failed step left open keeps the app inert behind it: closed, so the next step fails only on its own.
  if (s) await closeOpenDialogs(s.page);
});
afterAll(async () => {
  await s?.close();
});

const NEW_USER = 'robin.newhire@acme-robotics.example.com';
/** The toast an outcome raised (lightning/platformShowToastEvent, shown by the preview as Lightning would). */
const toast = (text: string) => s.page.locator('[data-id="toast"]').filter({ hasText: text }).first();
const userRow = (email: string) => s.page.getByRole('row').filter({ hasText: email });

async function rowAction(email: string, action: string) {
  await userRow(email)
    .getByRole('button', { name: /Show actions/ })
    .click();
  await s.page.getByRole('menuitem', { name: action }).click();
}

async function addRule(name: string, jobTitleContains: string, permission: string) {
  const { page } = s;
  await page.getByRole('button', { name: 'Add Rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add Rule' });
  await dialog.getByLabel('Rule Name').fill(name);
  // A new rule starts with one filter row: Job Title contains …
  await dialog.getByLabel('Filter 1 value').fill(jobTitleContains);
  await pick(dialog, 'Configuration Profile', 'Default - Intake Off');
  await pick(dialog, 'Permission', permission);
  await dialog.getByRole('button', { name: 'Save Rule' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The widths every screen and dialog is checked at: a laptop's and the narrowest Lightning Experience supports. */
const WIDTHS = [1440, 1024] as const;
/** What axe found wrong at each width, when nothing was. */
const CLEAN = Object.fromEntries(WIDTHS.map((width) => [width, []]));
const fileName = (name: string) => name.replace(/\W+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/**
 * The open dialog at each width: focus inside it, a screenshot, and what axe finds wrong. The app behind is
 * aria-hidden and inert: none of its buttons or links may still take focus (axe asks to review that, here it
 * fails). By width, so one failing dialog says what is wrong at both.
 */
async function dialogFindings(name: string, dialog: Locator): Promise<Record<number, string[]>> {
  const { page } = s;
  // Open once focus is in it (the dialog moves it there when its fade-in is done).
  await expect.poll(() => hasFocus(dialog)).toBe(true);
  const findings: Record<number, string[]> = {};
  try {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `dialog-${fileName(name)}-${width}`);
      findings[width] = await axeViolations(page, { needsReview: ['aria-hidden-focus'] });
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  return findings;
}

describe('a new admin, in the browser', () => {
  it('opens the app on Users and Teams with the Roster navigation', async () => {
    const { page } = s;
    await page.getByRole('heading', { name: 'Users and Teams', exact: true }).waitFor();
    const tabs = await page.getByRole('navigation', { name: 'Roster tabs' }).getByRole('link').allInnerTexts();
    expect(tabs).toEqual([
      'Users and Teams',
      'Team Hierarchy',
      'Salesforce Role Hierarchy',
      'User Settings Rules',
      'Configuration Profiles',
      'Integration Health',
      'Mailbox Access',
      'Audit Log',
    ]);
    // Only the demo admin so far.
    await waitForText(page.locator('[data-id="count-total"]'), '1');
  });

  it('turns on two Salesforce roles, previews the import and imports their teams and users', async () => {
    const { page } = s;
    await openScreen(page, 'roleHierarchy', 'Salesforce Role Hierarchy');
    await switchOn(page.getByLabel('Import VP Sales'));
    await switchOn(page.getByLabel('Import Director, Sales East'));
    await screenshot(page, 'salesforce-role-hierarchy');

    await page.getByRole('button', { name: 'Preview import' }).click();
    const preview = page.locator('[data-id="role-import-preview"]');
    // The summary first, then each list in a paged table.
    expect(await waitForText(preview.locator('[data-id="preview-summary"]'), 'to create')).toMatch(
      /^2 teams and 2 users to create; [\d,]+ Salesforce users skipped\./,
    );
    const teams = preview.locator('[data-id="preview-teams"]');
    await waitForText(teams, 'Teams to create (2)');
    expect((await teams.getByRole('row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      'Team Under',
      'VP Sales Top-level team',
      'Director, Sales East VP Sales',
    ]);
    expect(await read(preview.locator('[data-id="preview-users"]'))).toMatch(/^Users to create \(2\) /);
    // Everyone else is skipped, each with the reason.
    expect(await read(preview.locator('[data-id="preview-skipped"]'))).toContain('role toggled off');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    expect(await read(page.locator('[data-id="role-import-result"]'))).toMatch(
      /^Imported 2 teams and 2 users with the Default - Intake Off profile; \d+ skipped\.$/,
    );

    const roles = await s.api<{ roles: { name: string; importEnabled: boolean }[] }>('GET', '/salesforce/roles');
    expect(
      roles.roles
        .filter((r) => r.importEnabled)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['Director, Sales East', 'VP Sales']);
    const users = await s.api<{ items: { email: string }[] }>('GET', '/users?limit=50');
    expect(users.items).toHaveLength(3);
  });

  it('adds a user, suspends them with a reason and reactivates them', async () => {
    const { page } = s;
    await openScreen(page, 'usersAndTeams', 'Users and Teams');
    await page.getByRole('button', { name: 'Add User' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add User' });
    await dialog.getByLabel('First Name').fill('Robin');
    await dialog.getByLabel('Last Name').fill('Newhire');
    await dialog.getByLabel('Email Address').fill(NEW_USER);
    await dialog.getByLabel('Job Title').fill('Account Executive');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await waitForText(toast(`${NEW_USER} was added.`), `${NEW_USER} was added.`);
    expect(await read(userRow(NEW_USER))).toContain('Robin Newhire');
    expect(await read(userRow(NEW_USER))).toContain('Pending');

    await rowAction(NEW_USER, 'Suspend');
    const confirm = page.getByRole('dialog', { name: `Suspend ${NEW_USER}?` });
    await confirm.getByLabel('Reason').fill('On parental leave');
    await confirm.getByRole('button', { name: 'Suspend' }).click();
    await confirm.waitFor({ state: 'detached' });
    await waitForText(userRow(NEW_USER), 'Suspended');
    await waitForText(page.locator('[data-id="count-suspended"]'), '1');
    const [suspended] = (await s.api<{ items: { status: string }[] }>('GET', `/users?search=${NEW_USER}`)).items;
    expect(suspended?.status).toBe('suspended');

    await rowAction(NEW_USER, 'Reactivate');
    await waitForText(toast(`${NEW_USER} was reactivated.`), `${NEW_USER} was reactivated.`);
    await waitForText(userRow(NEW_USER), 'Pending');
    const [reactivated] = (await s.api<{ items: { status: string }[] }>('GET', `/users?search=${NEW_USER}`)).items;
    expect(reactivated?.status).toBe('pending');
    await screenshot(page, 'users-and-teams');
  });

  it('imports a CSV file: sees the bad row by line and column, fixes it and applies it', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Import Users' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import Users' });
    const csv = [
      'Email,First Name,Last Name,Role,Operation',
      'casey.csv@acme-robotics.example.com,Casey,Import,Member,Add',
      'jordan.csv@acme-robotics.example.com,Jordan,Import,Overlord,Add',
    ].join('\n');
    await dialog
      .getByLabel('CSV file')
      .setInputFiles({ name: 'new-hires.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    await dialog.getByText('Dry run: problems found').waitFor();
    const problem = dialog.locator('[data-id="import-problems"]').getByRole('row').filter({ hasText: 'Overlord' });
    await problem.waitFor();
    const cell = (column: string) => read(problem.locator(`[data-label="${column}"]`).first());
    expect([await cell('Line'), await cell('Column'), await cell('Problem')]).toEqual([
      '3',
      'Role',
      '"Overlord" is not a role; use Admin, Manager, Member or Data.',
    ]);
    expect(await dialog.locator('[data-id="import-problems"]').getByRole('row').count()).toBe(2); // the header and the one bad row
    expect(await read(dialog.locator('[data-id="import-problem-count"]'))).toContain('nothing was imported');
    expect(await dialog.getByRole('button', { name: 'Apply import' }).isDisabled()).toBe(true);
    await screenshot(page, 'csv-import-problems');
    // Only now can this dialog be seen with its problems table (Automatic Mode disables Import later on).
    expect(await dialogFindings('Import Users', dialog)).toEqual(CLEAN);

    await dialog.getByLabel('CSV file').setInputFiles({
      name: 'new-hires.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.replace('Overlord', 'Member')),
    });
    await dialog.getByText('Dry run: ready to apply').waitFor();
    await dialog.getByRole('button', { name: 'Apply import' }).click();
    await dialog.getByText('Imported', { exact: true }).waitFor();
    expect(await read(dialog.locator('[data-id="import-summary"]'))).toMatch(/^2 added 0 edited/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await userRow('jordan.csv@acme-robotics.example.com').waitFor();
    const imported = await s.api<{ items: unknown[] }>('GET', '/users?search=csv%40acme-robotics');
    expect(imported.items).toHaveLength(2);
  });

  it('exports the users as a Salesforce file and downloads it from the link', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Export Users' }).click();
    const link = page.locator('[data-id="export-download"]');
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^\/sfc\/servlet\.shepherd\/version\/download\/068\w+$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported.split(/\r?\n/)[0]).toContain('Email');
    expect(exported).toContain('jordan.csv@acme-robotics.example.com');
  });

  it('reorders two rules and runs the simulator on the order shown, then saves it', async () => {
    const { page } = s;
    await openScreen(page, 'userSettingsRules', 'User Settings Rules');
    await addRule('Sales team', 'Sales', 'Member');
    await addRule('Vice presidents', 'VP', 'Manager');
    const list = page.locator('[data-id="rule-list"]');
    expect(await read(list.locator('[data-id="rule-1"]'))).toContain('1. Sales team When Job Title contains "Sales"');
    expect(await read(list.locator('[data-id="rule-2"]'))).toContain('2. Vice presidents When Job Title contains "VP"');

    // Riya Kapoor (VP Sales, imported with her role) matches both: the first rule wins.
    await lookUp(page, 'User', 'Riya', /Riya Kapoor/);
    await page.getByRole('button', { name: 'Simulate' }).click();
    expect(await waitForText(page.locator('[data-id="simulation-result"]'), 'Sales team')).toContain(
      'Riya Kapoor (riya.kapoor@acme-robotics.example.com) gets Sales team because Job Title contains "Sales".',
    );

    await page.getByRole('button', { name: 'Move Vice presidents up' }).click();
    await waitForText(page.locator('[data-id="notice"]'), 'Save Rules to keep this order.');
    await page.getByRole('button', { name: 'Simulate' }).click();
    expect(await waitForText(page.locator('[data-id="simulation-result"]'), 'Vice presidents')).toContain(
      'gets Vice presidents because Job Title contains "VP". Default - Intake Off · Manager · Full Visibility',
    );
    // The simulator ran on the order on screen; nothing is saved until Save Rules.
    const before = await s.api<{ rules: { name: string; position: number; isCatchAll: boolean }[] }>('GET', '/rules');
    const order = (rules: typeof before.rules) =>
      rules
        .filter((r) => !r.isCatchAll)
        .sort((a, b) => a.position - b.position)
        .map((r) => r.name);
    expect(order(before.rules)).toEqual(['Sales team', 'Vice presidents']);

    await page.getByRole('button', { name: 'Save Rules' }).click();
    await waitForText(page.locator('[data-id="notice"]'), 'The new order was saved.');
    expect(await read(list.locator('[data-id="rule-1"]'))).toContain('1. Vice presidents');
    expect(order((await s.api<typeof before>('GET', '/rules')).rules)).toEqual(['Vice presidents', 'Sales team']);
    await screenshot(page, 'user-settings-rules');
  });

  it('creates a configuration profile and turns Email Sync on', async () => {
    const { page } = s;
    await openScreen(page, 'configurationProfiles', 'Configuration Profiles');
    await page.getByRole('button', { name: 'Add Configuration Profile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Configuration Profile' });
    await dialog.getByLabel('Name').fill('Sales - Full Sync');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForText(toast('Sales - Full Sync was created.'), 'Sales - Full Sync was created.');

    const editor = page.locator('[data-id="profile-editor"]');
    await editor.getByRole('heading', { name: 'Sales - Full Sync' }).waitFor();
    expect(await editor.getByLabel('Email Sync').isChecked()).toBe(false);
    await switchOn(editor.getByLabel('Email Sync'));
    await waitForText(editor.locator('[data-id="profile-notice"]'), 'Email Sync is on.');
    expect(await editor.getByLabel('Email Sync').isChecked()).toBe(true);

    const { profiles } = await s.api<{ profiles: { id: string; name: string }[] }>('GET', '/profiles');
    const created = profiles.find((p) => p.name === 'Sales - Full Sync')!;
    const profile = await s.api<{ activity: Record<string, boolean> }>('GET', `/profiles/${created.id}`);
    expect(Object.entries(profile.activity).filter(([, on]) => on)).toEqual([['emailSync', true]]);
    await screenshot(page, 'configuration-profiles');
  });

  it('assigns the new profile to two ticked users, then to every user matching a search, confirming each count', async () => {
    const { page } = s;
    await openScreen(page, 'usersAndTeams', 'Users and Teams');
    const profileOf = (email: string) => read(userRow(email).locator('td[data-label="Configuration Profile"]'));
    const tick = (email: string) => switchOn(userRow(email).getByRole('checkbox'));
    const assign = async (count: RegExp, applyLabel: string) => {
      await page.getByRole('button', { name: 'Bulk actions' }).click();
      await page.getByRole('menuitem', { name: 'Assign configuration profile' }).click();
      const dialog = page.getByRole('dialog', { name: 'Assign configuration profile' });
      await pick(dialog, 'Configuration Profile', 'Sales - Full Sync');
      await dialog.getByRole('button', { name: 'Count users' }).click();
      // The count comes from the service's dry run, before anything changes.
      expect(await waitForText(dialog.locator('[data-id="bulk-count"]'), 'Sales - Full Sync')).toMatch(count);
      await dialog.getByRole('button', { name: applyLabel }).click();
      await dialog.waitFor({ state: 'detached' });
    };

    await userRow(NEW_USER).waitFor();
    await tick(NEW_USER);
    await tick('riya.kapoor@acme-robotics.example.com');
    await waitForText(page.locator('[data-id="bulk-scope"]'), 'The 2 selected users');
    await assign(
      /^This assigns Sales - Full Sync to 2 users of the 2 users in the 2 selected users\.$/,
      'Apply to 2 users',
    );
    await waitForText(toast('Done: 2 users changed.'), 'Done: 2 users changed.');
    await expect.poll(() => profileOf(NEW_USER)).toBe('Sales - Full Sync');
    expect(await profileOf('riya.kapoor@acme-robotics.example.com')).toBe('Sales - Full Sync');
    expect(await profileOf('casey.csv@acme-robotics.example.com')).toBe('Default - Intake Off');

    // Nothing ticked: the action is for every user the search finds, however many pages that is.
    await page.getByLabel('Search users').fill('csv@acme-robotics');
    await expect.poll(() => page.locator('[data-id="user-table"] tbody tr').count()).toBe(2);
    await assign(
      /^This assigns Sales - Full Sync to 2 users of the 2 users in every user matching the search and filters\.$/,
      'Apply to 2 users',
    );
    await expect.poll(() => profileOf('casey.csv@acme-robotics.example.com')).toBe('Sales - Full Sync');
    expect(await profileOf('jordan.csv@acme-robotics.example.com')).toBe('Sales - Full Sync');

    const users = await s.api<{ items: { email: string; profileName: string }[] }>('GET', '/users?limit=50');
    expect(
      users.items
        .filter((u) => u.profileName === 'Sales - Full Sync')
        .map((u) => u.email)
        .sort(),
    ).toEqual([
      'casey.csv@acme-robotics.example.com',
      'jordan.csv@acme-robotics.example.com',
      'riya.kapoor@acme-robotics.example.com',
      NEW_USER,
    ]);
    await page.getByLabel('Search users').fill('');
  });

  it("runs the first Integration Health check and sees the demo org's missing recommended fields with their fix", async () => {
    const { page } = s;
    await openScreen(page, 'integrationHealth', 'Integration Health');
    // No check has run yet: an invitation to run one, not an error.
    await waitForText(page.locator('[data-id="no-health-check"]'), 'No check has run yet.');
    expect(await page.locator('[data-id="error-panel"], .slds-alert_error, .slds-theme_error').count()).toBe(0);

    await page.getByRole('button', { name: 'Re-run check' }).click();
    const overall = page.locator('[data-id="overall"]');
    // The demo org is healthy enough to sync: only recommended fields are hidden from the integration user.
    const summary = await waitForText(overall, 'Degraded');
    expect(summary).toContain('0 required missing');
    expect(summary).toContain('3 recommended missing');
    expect(await read(page.locator('[data-id="checked-at"]'))).toMatch(/^Checked .+ using \d+ API calls\.$/);
    const revenue = page.locator('[data-id="item-field.Account.AnnualRevenue"]');
    expect(await read(revenue)).toContain('Account.AnnualRevenue · Missing · Recommended');
    expect(await read(revenue)).toContain(
      "Fix: In Setup > Users > Profiles, open 'Roster Integration' (or a permission set assigned to 'roster.integration@acme-robotics.example.com'). Click Object Settings > Account, click Edit, and under Field Permissions enable Read Access for AnnualRevenue.",
    );
    expect(await read(page.locator('[data-id="group-field"] li').first())).toContain('Account.AnnualRevenue');

    const stored = await s.api<{ overall: string; items: { id: string; status: string; severity: string }[] }>(
      'GET',
      '/integration-health',
    );
    expect(stored.overall).toBe('degraded');
    expect(stored.items.filter((i) => i.status === 'missing').map((i) => [i.id, i.severity])).toEqual([
      ['field.Account.AnnualRevenue', 'recommended'],
      ['field.Lead.Rating', 'recommended'],
      ['field.Opportunity.ExpectedRevenue', 'recommended'],
    ]);
    await screenshot(page, 'integration-health');
  });

  it('exports the Permission Errors list as a Salesforce file and downloads it from the link', async () => {
    const { page } = s;
    await openScreen(page, 'usersAndTeams', 'Users and Teams');
    // Degraded is not Blocked: Users and Teams raises no health banner for recommended fields.
    await page.locator('[data-id="count-total"]').waitFor();
    expect(await page.locator('[data-id="banner-health"]').count()).toBe(0);
    await page.getByRole('tab', { name: 'Permission Errors' }).click();
    // The demo org has no mailbox provider yet: the list is empty because nothing was checked, and it says so.
    await waitForText(page.locator('[data-id="no-mailbox-provider"]'), 'No mailbox provider is set up');
    await page.getByRole('button', { name: 'Export users with errors' }).click();
    // The tab's own link: Users and Teams may still show the users export's.
    const link = page.locator('c-permission-errors [data-id="export-download"]');
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^\/sfc\/servlet\.shepherd\/version\/download\/068\w+$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toBe(await s.api<string>('GET', '/permission-errors.csv'));
    expect(exported.split('\n')[0]).toBe(
      'Email,Permission Error Since,Reason,Fix,Takes Effect,Last Checked,Provider Code,Provider Message',
    );
    await screenshot(page, 'permission-errors');
  });

  it('adds a team by keyboard alone: focus moves into the dialog, Tab stays inside, Escape closes and focus returns', async () => {
    const { page } = s;
    await openScreen(page, 'teamHierarchy', 'Team Hierarchy');
    const addTeam = page.locator('[data-id="add-team"] button');
    await addTeam.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add Team' });
    await dialog.waitFor();
    await dialog.locator(':focus').first().waitFor();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.locator(':focus').count(), `focus left the dialog after ${i + 1} Tabs`).toBeGreaterThan(0);
    }
    // Only in Manual Mode can a team be added, moved or deleted: Salesforce owns the hierarchy in Automatic Mode.
    expect(await dialogFindings('Add Team', dialog)).toEqual(CLEAN);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-id="add-team"] button:focus').waitFor();

    // Again, this time filling it in: typed, tabbed to Save, Enter.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByLabel('Team name').focus();
    await page.keyboard.type('Keyboard Team');
    await dialog.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await waitForText(toast('Keyboard Team was added.'), 'Keyboard Team was added.');
  });

  it('opens, fills and closes every Users and Teams dialog by keyboard alone, focus kept inside and given back', async () => {
    const { page } = s;
    await openScreen(page, 'usersAndTeams', 'Users and Teams');
    const table = page.locator('[data-id="user-table"]');
    const row = userRow(NEW_USER);
    await row.waitFor();

    await dialogByKeyboard(page, {
      opener: page.locator('[data-id="add-user"] button'),
      name: 'Add User',
      fill: async (dialog) => {
        await tabTo(page, dialog.getByLabel('First Name'));
        await page.keyboard.type('Kim');
        await tabTo(page, dialog.getByLabel('Last Name'));
        await page.keyboard.type('Keys');
        await tabTo(page, dialog.getByLabel('Email Address'));
        await page.keyboard.type('kim.keys@acme-robotics.example.com');
        const role = dialog.getByRole('combobox', { name: 'Role' });
        await tabTo(page, role);
        await chooseByKeyboard(page, role, 'Manager');
        await expect.poll(() => read(role)).toBe('Manager');
      },
    });
    // Escape is Cancel: nobody was added.
    expect((await s.api<{ items: unknown[] }>('GET', '/users?search=kim.keys')).items).toEqual([]);

    // The row menu, as the datatable's keyboard users reach it: Tab into the table, arrows to the cell, Enter.
    await dialogByKeyboard(page, {
      opener: actionCell(row),
      name: `Edit ${NEW_USER}`,
      open: () => rowActionByKeyboard(page, table, row, 'Edit'),
      fill: async (dialog) => {
        await tabTo(page, dialog.getByLabel('Job Title'));
        await page.keyboard.press('Control+A');
        await page.keyboard.type('Senior Account Executive');
        await tabTo(page, dialog.getByRole('checkbox', { name: 'Forecasting' }));
        await page.keyboard.press('Space');
      },
    });
    await dialogByKeyboard(page, {
      opener: actionCell(row),
      name: `Suspend ${NEW_USER}?`,
      open: () => rowActionByKeyboard(page, table, row, 'Suspend'),
      fill: async (dialog) => {
        await tabTo(page, dialog.getByLabel('Reason'));
        await page.keyboard.type('Typed, then cancelled');
      },
    });
    await dialogByKeyboard(page, {
      opener: actionCell(row),
      name: `Delete ${NEW_USER}?`,
      open: () => rowActionByKeyboard(page, table, row, 'Delete'),
    });
    const [kept] = (await s.api<{ items: { status: string; jobTitle: string }[] }>('GET', `/users?search=${NEW_USER}`))
      .items;
    expect(kept).toMatchObject({ status: 'pending', jobTitle: 'Account Executive' });

    const profileCell = row.locator('td[data-label="Configuration Profile"]');
    await dialogByKeyboard(page, {
      opener: profileCell,
      name: 'Sales - Full Sync',
      open: async () => {
        await gridCellByKeyboard(page, table, row, profileCell);
        await page.keyboard.press('Enter');
      },
    });
    await dialogByKeyboard(page, {
      opener: page.locator('[data-id="import-users"] button'),
      name: 'Import Users',
      fill: (dialog) => tabTo(page, dialog.getByLabel('CSV file')),
    });
    const bulk = page.getByRole('button', { name: 'Bulk actions' });
    await dialogByKeyboard(page, {
      opener: bulk,
      name: 'Set licenses',
      open: () => chooseMenuItem(page, bulk, 'Set licenses'),
      fill: async (dialog) => {
        await tabTo(page, dialog.getByRole('checkbox', { name: 'Forecasting' }));
        await page.keyboard.press('Space');
        await tabTo(page, dialog.getByRole('button', { name: 'Count users' }));
        await page.keyboard.press('Enter');
        await waitForText(dialog.locator('[data-id="bulk-count"]'), 'Foundation, Forecasting');
        // Count users is gone once counted: focus went on to Apply, still inside the dialog.
        expect(await hasFocus(dialog.getByRole('button', { name: /^Apply to \d+ users$/ }))).toBe(true);
      },
    });
    await dialogByKeyboard(page, {
      opener: page.getByRole('button', { name: 'Change Manage Mode' }),
      name: 'Enable Auto Manage',
      fill: (dialog) => dialog.getByText('What will change').waitFor(),
    });
    expect((await s.api<{ mode: string }>('GET', '/mode')).mode).toBe('manual');
  });

  it('opens, fills and closes every Team Hierarchy dialog by keyboard alone', async () => {
    const { page } = s;
    await openScreen(page, 'teamHierarchy', 'Team Hierarchy');
    // The tree keeps one item in the Tab order; the arrows walk it, Enter selects.
    await focusOn(page.locator('[role="treeitem"][tabindex="0"]'));
    const team = page.getByRole('treeitem', { name: /Keyboard Team/ });
    for (let i = 0; i < 10 && !(await hasFocus(team)); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('[data-id="team-details"] h2'), 'Top-level team › Keyboard Team');

    const moveUnder = page.getByRole('combobox', { name: 'Move under' });
    await dialogByKeyboard(page, {
      opener: moveUnder,
      name: 'Move Keyboard Team?',
      open: async () => {
        await focusOn(moveUnder);
        await chooseByKeyboard(page, moveUnder, /VP Sales$/);
      },
      // Checked now, in Manual Mode: Automatic Mode offers no moving or deleting of teams.
      fill: async (dialog) => expect(await dialogFindings('Move Keyboard Team?', dialog)).toEqual(CLEAN),
    });
    await dialogByKeyboard(page, {
      opener: page.locator('[data-id="delete-team"] button'),
      name: 'Delete Keyboard Team?',
      fill: async (dialog) => {
        const target = dialog.getByRole('combobox', { name: 'Move members and sub-teams to' });
        await tabTo(page, target);
        await chooseByKeyboard(page, target, /VP Sales$/);
        expect(await dialogFindings('Delete Keyboard Team?', dialog)).toEqual(CLEAN);
      },
    });
    await dialogByKeyboard(page, {
      opener: page.locator('[data-id="new-custom-team"] button'),
      name: 'New Custom Team',
      fill: async (dialog) => {
        await tabTo(page, dialog.getByLabel('Name'));
        await page.keyboard.type('Deal desk');
        await tabTo(page, dialog.getByRole('combobox', { name: 'Members', exact: true }));
        await page.keyboard.type('Riya', { delay: 30 });
        await dialog.getByRole('option', { name: /Riya Kapoor/ }).waitFor();
        await page.keyboard.press('Enter');
        await waitForText(dialog.locator('[data-id="custom-team-users"]'), 'Riya Kapoor');
      },
    });
    const { top } = await s.api<{ top: { name: string; children: { name: string }[] } }>('GET', '/teams');
    expect(top.children.map((t) => t.name)).toContain('Keyboard Team');
    expect((await s.api<{ items: unknown[] }>('GET', '/custom-teams')).items).toEqual([]);
  });

  it('opens, fills and closes every User Settings Rules and Configuration Profiles dialog by keyboard alone', async () => {
    const { page } = s;
    await openScreen(page, 'userSettingsRules', 'User Settings Rules');
    await dialogByKeyboard(page, {
      opener: page.locator('[data-id="add-rule"] button'),
      name: 'Add Rule',
      fill: async (dialog) => {
        await tabTo(page, dialog.getByLabel('Rule Name'));
        await page.keyboard.type('Typed rule');
        await tabTo(page, dialog.getByLabel('Filter 1 value'));
        await page.keyboard.type('Engineer');
        const permission = dialog.getByRole('combobox', { name: 'Permission' });
        await tabTo(page, permission);
        await chooseByKeyboard(page, permission, 'Manager');
      },
    });
    await dialogByKeyboard(page, {
      opener: page.getByRole('button', { name: 'Edit Sales team' }),
      name: 'Edit Sales team',
    });
    await dialogByKeyboard(page, {
      opener: page.getByRole('button', { name: 'Re-apply to existing users' }),
      name: 'Re-apply rules to existing users',
    });
    expect((await s.api<{ rules: { name: string }[] }>('GET', '/rules')).rules.map((r) => r.name)).not.toContain(
      'Typed rule',
    );

    await openScreen(page, 'configurationProfiles', 'Configuration Profiles');
    await dialogByKeyboard(page, {
      opener: page.locator('[data-id="add-profile"] button'),
      name: 'Add Configuration Profile',
      fill: async (dialog) => {
        await tabTo(page, dialog.getByLabel('Name'));
        await page.keyboard.type('Typed profile');
        const from = dialog.getByRole('combobox', { name: 'User Settings From' });
        await tabTo(page, from);
        await chooseByKeyboard(page, from, 'Sales - Full Sync');
      },
    });
    await dialogByKeyboard(page, {
      opener: page.getByRole('button', { name: 'Delete Sales - Full Sync' }),
      name: 'Delete Sales - Full Sync?',
    });
    const { profiles } = await s.api<{ profiles: { name: string }[] }>('GET', '/profiles');
    expect(profiles.map((p) => p.name)).toContain('Sales - Full Sync');
    expect(profiles.map((p) => p.name)).not.toContain('Typed profile');
  });

  it('fits Integration Health into 1024 px without sideways scrolling', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 1024, height: 900 });
    try {
      await openScreen(page, 'integrationHealth', 'Integration Health');
      await page.locator('[data-id="sync-runs"], [data-id="no-sync-runs"]').first().waitFor();
      // The screen and the app's navigation, whose tabs that do not fit fold into More.
      expect(await page.locator('main').evaluate((main) => main.scrollWidth - main.clientWidth)).toBeLessThanOrEqual(0);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await screenshot(page, 'integration-health-1024');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('puts a rule for Salesforce administrators first, so their own Salesforce user is a Roster admin in Automatic Mode', async () => {
    const { page } = s;
    // Once Automatic Mode links the admin's Salesforce user (Dana Admin, "Salesforce Administrator"), Roster knows
    // them by it: the first rule they match gives their permission, and "Sales team" would make them a Member.
    await openScreen(page, 'userSettingsRules', 'User Settings Rules');
    await addRule('Salesforce administrators', 'Administrator', 'Admin');
    await page.getByRole('button', { name: 'Move Salesforce administrators up' }).click();
    await page.getByRole('button', { name: 'Move Salesforce administrators up' }).click();
    await page.getByRole('button', { name: 'Save Rules' }).click();
    await waitForText(page.locator('[data-id="notice"]'), 'The new order was saved.');
    const list = page.locator('[data-id="rule-list"]');
    expect(await read(list.locator('[data-id="rule-1"]'))).toContain(
      '1. Salesforce administrators When Job Title contains "Administrator"',
    );
  });

  it('previews Automatic Mode and turns it on after confirming, through a job whose progress bar moves', async () => {
    const { page } = s;
    await openScreen(page, 'usersAndTeams', 'Users and Teams');
    await page.getByRole('button', { name: 'Change Manage Mode' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enable Auto Manage' });
    await dialog.getByText('What will change').waitFor();
    expect(await read(dialog.locator('[data-id="mode-warning"]'))).toContain('nobody is suspended or deleted');
    // The only time the journey sees this dialog in Manual Mode, with the preview it loaded.
    expect(await dialogFindings('Enable Auto Manage', dialog)).toEqual(CLEAN);

    // The simulated org answers each query slowly, as a large org does, so the switch job takes a while.
    const { loginUrl } = await s.api<{ loginUrl: string }>('GET', '/salesforce/connection');
    const control = (name: string, ...args: unknown[]) =>
      fetch(`${loginUrl}/__fake/control/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
    await control('injectFault', { route: 'query', latencyMs: 1200 });
    try {
      await dialog.getByRole('button', { name: 'Enable Auto Manage' }).click();
      const progress = dialog.locator('[data-id="switch-progress"]');
      await progress.waitFor();
      const seen = new Set<string>();
      const counts = new Set<string>();
      while ((await progress.count()) > 0) {
        const value = await progress
          .getByRole('progressbar')
          .getAttribute('aria-valuenow')
          .catch(() => null);
        if (value !== null) seen.add(value);
        const text = await read(progress.locator('[data-id="job-counts"]')).catch(() => '');
        if (text) counts.add(text);
        await page.waitForTimeout(100);
      }
      expect([...seen].length, [...seen].join(', ')).toBeGreaterThan(1);
      expect(
        [...counts].some((c) => /^\d[\d,]* of \d[\d,]*$/.test(c)),
        [...counts].join(' | '),
      ).toBe(true);
    } finally {
      await control('clearFaults');
    }
    await dialog.waitFor({ state: 'detached' });
    await waitForText(page.locator('[data-id="mode-label"]'), 'Automatic');
    expect((await s.api<{ mode: string }>('GET', '/mode')).mode).toBe('automatic');
    const [job] = (await s.api<{ items: unknown[] }>('GET', '/jobs')).items;
    expect(job).toBeUndefined();
    // The admin's own Salesforce user came in as a Roster admin, by the rule put first for it.
    const [dana] = (
      await s.api<{ items: { role: string; status: string }[] }>('GET', '/users?search=dana.admin@acme-robotics')
    ).items;
    expect(dana?.role).toBe('admin');
    expect(dana?.status).not.toBe('suspended');
  });

  it("sets up Google Workspace as the mailbox provider, its key never shown back, and tests one user's mailbox", async () => {
    const { page } = s;
    await openScreen(page, 'mailboxAccess', 'Mailbox Access');
    await waitForText(page.locator('[data-id="mailbox-state"]'), 'No mailbox provider is set up yet');
    // The preview's simulated Workspace stands in for Google: its service account, delegated for both scopes.
    const { clientEmail, clientId, privateKey } = s.preview.google.credentials;
    await switchOn(page.getByRole('radio', { name: 'Google Workspace' }));
    await page.getByLabel('Service account email').fill(clientEmail);
    await page.getByLabel('OAuth client ID (numeric, for domain-wide delegation)').fill(clientId);
    await page.getByLabel('Service account private key').fill(privateKey);
    await page.getByLabel('Minutes between checks of each user').fill('1440');
    await page.locator('[data-id="save-mailbox"] button').click();
    await waitForText(toast('Google Workspace was saved.'), 'Google Workspace was saved.');
    expect(await waitForText(page.locator('[data-id="mailbox-state"]'), 'Google Workspace is set up')).toMatch(
      /every 1440 minutes\.$/,
    );
    expect(await page.getByLabel('Service account private key').inputValue()).toBe('');
    const saved = await s.api<Record<string, unknown>>('GET', '/mailbox/provider');
    expect(saved).toMatchObject({ provider: 'google', secretSet: true, settings: { clientEmail, clientId } });
    expect(JSON.stringify(saved)).not.toContain('PRIVATE KEY');

    await lookUp(page, 'User to check', 'Robin', /Robin Newhire/);
    await page.locator('[data-id="test-connection"] button').click();
    expect(await waitForText(page.locator('[data-id="test-result"]'), 'The connection works')).toBe(
      `The connection works: Roster read ${NEW_USER}’s mailbox and calendar.`,
    );
    expect(s.preview.google.calls.token).toBeGreaterThan(0);
    await screenshot(page, 'mailbox-access');

    // Permission Errors no longer says that nobody's mailbox can be read.
    await openScreen(page, 'usersAndTeams', 'Users and Teams');
    await page.getByRole('tab', { name: 'Permission Errors' }).click();
    await page.locator('[data-id="empty-permission-errors"], [data-id="permission-error-table"]').first().waitFor();
    expect(await page.locator('[data-id="no-mailbox-provider"]').count()).toBe(0);
  });

  it('met no page errors along the way', () => {
    expect(s.problems).toEqual([]);
  });
});

const SCREENS = [
  ['usersAndTeams', 'Users and Teams'],
  ['teamHierarchy', 'Team Hierarchy'],
  ['roleHierarchy', 'Salesforce Role Hierarchy'],
  ['userSettingsRules', 'User Settings Rules'],
  ['configurationProfiles', 'Configuration Profiles'],
  ['integrationHealth', 'Integration Health'],
  ['mailboxAccess', 'Mailbox Access'],
  ['auditLog', 'Audit Log'],
] as const;
type Screen = (typeof SCREENS)[number][0];
const TITLES = Object.fromEntries(SCREENS) as Record<Screen, string>;

/** A fresh page load: the screen as it opens, not as the journey left its tabs and dialogs. */
async function freshScreen(screen: Screen): Promise<Page> {
  const { page } = s;
  await page.goto('about:blank');
  await page.goto(`${s.preview.url}/#/${screen}`);
  await page.getByRole('heading', { name: TITLES[screen], exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  return page;
}

describe.each(WIDTHS)('every screen at %i px wide, as the admin left it', (width) => {
  beforeAll(async () => {
    await s.page.setViewportSize({ width, height: 900 });
  });
  afterAll(async () => {
    await s.page.setViewportSize({ width: 1280, height: 900 });
  });

  it.each(SCREENS)(
    'renders %s with its header, its icon, no error, no sideways scrolling and nothing axe finds wrong, and is saved as a screenshot',
    async (screen) => {
      const page = await freshScreen(screen);
      // The page header's (or card's) icon: a name SLDS lacks renders an empty square, on the platform as here.
      const icon = page.locator('.slds-page-header lightning-icon, .slds-card__header lightning-icon').first();
      const iconName = (await icon.getAttribute('icon-name'))!.split(':')[1]!;
      const sprite = await (await fetch(`${s.preview.url}/assets/icons/standard-sprite/svg/symbols.svg`)).text();
      expect(sprite, `standard:${iconName} is an SLDS icon`).toContain(`id="${iconName}"`);
      expect(await icon.locator(`svg[data-key="${iconName}"] path`).count()).toBeGreaterThan(0);
      // Nothing failed; the only alerts are the banners that send the admin where something needs them.
      expect(await page.getByRole('alert').and(page.locator(':not([data-id^="banner-"])')).count()).toBe(0);
      await screenshot(page, `screen-${screen}-${width}`);
      // The whole screen and the app's navigation fit the window: nothing is reached by scrolling sideways.
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      // Contrast, names, labels, landmarks and heading order, with the data the journey left on the screen.
      expect(await axeViolations(page)).toEqual([]);
    },
  );
});

describe('the app navigation at 1024 px wide', () => {
  afterAll(async () => {
    await s.page.setViewportSize({ width: 1280, height: 900 });
  });

  it('folds the tabs that do not fit into More, opens a screen from there and keeps its tab in the bar', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 1024, height: 900 });
    await freshScreen('usersAndTeams');
    const nav = page.getByRole('navigation', { name: 'Roster tabs' });
    const more = nav.getByRole('button', { name: 'More tabs' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    const inBar = await nav.getByRole('link').allInnerTexts();
    expect(inBar[0]).toBe('Users and Teams');
    expect(inBar).not.toContain('Audit Log');

    await more.click();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    // Every tab once: those in the bar, then the rest under More, in the app's order.
    const all = await nav.getByRole('link').allInnerTexts();
    expect(all.slice(inBar.length)).toContain('Audit Log');
    expect([...all].sort()).toEqual(SCREENS.map(([, title]) => title).sort());
    await screenshot(page, 'navigation-more-1024');
    expect(await axeViolations(page)).toEqual([]);
    // Escape closes it and gives focus back to More.
    await nav.getByRole('link', { name: 'Audit Log' }).focus();
    await page.keyboard.press('Escape');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await hasFocus(more)).toBe(true);

    await openScreen(page, 'auditLog', 'Audit Log');
    // The current tab stays in sight, in the bar, marked as the current page; More closed behind it.
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    const current = nav.locator('[aria-current="page"]');
    expect(await read(current)).toBe('Audit Log');
    expect(await current.isVisible()).toBe(true);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
  });
});

/** Something the admin opens on a screen: a dialog (by its accessible name) or a part of the screen. */
interface Opened {
  name: string;
  screen: Screen;
  open(page: Page): Promise<void>;
  /** Waits until it shows what it loads (a preview, a count, a form). */
  ready?(scope: Locator): Promise<void>;
  /** Closes the dialog: Escape, unless it is a confirmation that gives way to the dialog it came from. */
  close?(page: Page): Promise<void>;
}

const selectTeam = async (page: Page, name: string) => {
  await page
    .getByRole('treeitem', { name: new RegExp(name) })
    .first()
    .click();
  await waitForText(page.locator('[data-id="team-details"] h2'), new RegExp(`› ${name}$`));
};
const findUser = async (page: Page, email: string) => {
  // However many users Automatic Mode brought in, this one is on the first page.
  await page.getByLabel('Search users').fill(email);
  await expect.poll(() => page.locator('[data-id="user-table"] tbody tr').count(), { timeout: 15_000 }).toBe(1);
  await userRow(email).waitFor();
};
const bulk = (action: string): Opened => ({
  name: action,
  screen: 'usersAndTeams',
  open: async (page) => {
    await page.getByRole('button', { name: 'Bulk actions' }).click();
    await page.getByRole('menuitem', { name: action, exact: true }).click();
  },
});
const openProfile = async (page: Page, tab: string) => {
  await page.getByRole('button', { name: 'Sales - Full Sync', exact: true }).click();
  const editor = page.locator('[data-id="profile-editor"]');
  await editor.getByRole('heading', { name: 'Sales - Full Sync' }).waitFor();
  await editor.getByRole('tab', { name: tab }).click();
};
const PAUSED = 'Approve suspending 2 of 3 users?';
/** A dialog that loads what it shows (a preview): its content, never its error panel in place of it. */
const loaded = async (dialog: Locator, content: string) => {
  const error = dialog.locator('[data-id="error-panel"]');
  await dialog.locator(content).or(error).first().waitFor();
  expect(await error.allInnerTexts()).toEqual([]);
};

/** Every dialog of every screen (lightning/modal, c-rosterModal and c-rosterConfirm), as the admin opens it. */
const DIALOGS: Opened[] = [
  { name: 'Add User', screen: 'usersAndTeams', open: (page) => page.locator('[data-id="add-user"] button').click() },
  ...['Edit', 'Suspend', 'Delete'].map((action): Opened => ({
    name: action === 'Edit' ? `Edit ${NEW_USER}` : `${action} ${NEW_USER}?`,
    screen: 'usersAndTeams',
    open: async (page) => {
      await findUser(page, NEW_USER);
      await rowAction(NEW_USER, action);
    },
  })),
  {
    name: 'Sales - Full Sync',
    screen: 'usersAndTeams',
    open: async (page) => {
      await findUser(page, NEW_USER);
      await userRow(NEW_USER).locator('td[data-label="Configuration Profile"] button').click();
    },
  },
  {
    name: 'Switch to Manual Mode',
    screen: 'usersAndTeams',
    open: (page) => page.getByRole('button', { name: 'Change Manage Mode' }).click(),
    ready: (dialog) => loaded(dialog, '[data-id="preview-summary"], [data-id="preview-nothing"]'),
  },
  // Move to team is not offered in Automatic Mode, where the journey left the org.
  ...['Assign configuration profile', 'Set licenses', 'Set object visibility', 'Suspend', 'Reactivate'].map(bulk),
  // Add Team, Move and Delete Team are checked in Manual Mode, on the way: Salesforce owns the hierarchy now.
  {
    name: 'New Custom Team',
    screen: 'teamHierarchy',
    open: (page) => page.locator('[data-id="new-custom-team"] button').click(),
  },
  {
    name: 'Edit Deal desk',
    screen: 'teamHierarchy',
    open: (page) => page.getByRole('button', { name: 'Edit Deal desk' }).click(),
  },
  {
    name: 'Delete Deal desk?',
    screen: 'teamHierarchy',
    open: (page) => page.getByRole('button', { name: 'Delete Deal desk' }).click(),
  },
  {
    name: 'Re-apply rules to existing users',
    screen: 'userSettingsRules',
    open: (page) => page.getByRole('button', { name: 'Re-apply to existing users' }).click(),
    ready: (dialog) => loaded(dialog, '[data-id="reapply-summary"]'),
  },
  {
    name: 'Add Rule',
    screen: 'userSettingsRules',
    open: (page) => page.locator('[data-id="add-rule"] button').click(),
  },
  {
    name: 'Edit Sales team',
    screen: 'userSettingsRules',
    open: (page) => page.getByRole('button', { name: 'Edit Sales team' }).click(),
  },
  {
    name: 'Edit the catch-all rule',
    screen: 'userSettingsRules',
    open: (page) => page.locator('[data-id="edit-catch-all"] button').click(),
  },
  {
    name: 'Delete Sales team?',
    screen: 'userSettingsRules',
    open: async (page) => {
      await page.getByRole('button', { name: 'Edit Sales team' }).click();
      await page.getByRole('dialog', { name: 'Edit Sales team' }).getByRole('button', { name: 'Delete Rule' }).click();
    },
    // Cancelled, the confirmation gives way to the rule editor again.
    close: async (page) => {
      await page.keyboard.press('Escape');
      const editor = page.getByRole('dialog', { name: 'Edit Sales team' });
      await expect.poll(() => hasFocus(editor)).toBe(true);
      await page.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
    },
  },
  {
    name: 'Add Configuration Profile',
    screen: 'configurationProfiles',
    open: (page) => page.locator('[data-id="add-profile"] button').click(),
  },
  {
    name: 'Delete Sales - Full Sync?',
    screen: 'configurationProfiles',
    open: (page) => page.getByRole('button', { name: 'Delete Sales - Full Sync' }).click(),
  },
  {
    name: 'Remove Partners?',
    screen: 'configurationProfiles',
    open: async (page) => {
      await openProfile(page, 'Matching');
      await page.getByRole('button', { name: 'Remove Partners' }).click();
    },
  },
  {
    name: `Link ${NEW_USER} to Salesforce?`,
    screen: 'integrationHealth',
    open: (page) =>
      page
        .locator('[data-id="sync-review"]')
        .getByRole('row')
        .filter({ hasText: NEW_USER })
        .getByRole('button', { name: 'Link' })
        .click(),
  },
  {
    name: PAUSED,
    screen: 'integrationHealth',
    open: (page) => page.locator('[data-id="sync-review"]').getByRole('button', { name: 'Approve' }).click(),
  },
  {
    name: PAUSED.replace('Approve', 'Reject'),
    screen: 'integrationHealth',
    open: (page) => page.locator('[data-id="sync-review"]').getByRole('button', { name: 'Reject' }).click(),
  },
];

/** Parts of screens that only show once opened: the profile editor's tabs and group editors, the other provider. */
const PARTS: Opened[] = [
  ...['Activity', 'Matching', 'Notifications'].map((tab): Opened => ({
    name: `the Sales - Full Sync profile, ${tab} tab`,
    screen: 'configurationProfiles',
    open: (page) => openProfile(page, tab),
  })),
  {
    name: 'an eligibility group being edited',
    screen: 'configurationProfiles',
    open: async (page) => {
      await openProfile(page, 'Matching');
      await page.getByRole('button', { name: 'Edit Partners' }).click();
    },
    ready: (scope) => scope.locator('[data-id="eligibility-editor"]').waitFor(),
  },
  {
    name: 'a ranking group being added',
    screen: 'configurationProfiles',
    open: async (page) => {
      await openProfile(page, 'Matching');
      await page.getByRole('button', { name: 'Add Ranking Group' }).click();
    },
    ready: (scope) => scope.locator('[data-id="ranking-editor"]').waitFor(),
  },
  {
    name: 'a hierarchy team Salesforce manages',
    screen: 'teamHierarchy',
    open: (page) => selectTeam(page, 'VP Sales'),
    ready: (scope) => scope.locator('[data-id="team-owned-by-salesforce"]').waitFor(),
  },
  {
    name: 'Microsoft 365 being set up',
    screen: 'mailboxAccess',
    open: (page) => switchOn(page.getByRole('radio', { name: 'Microsoft 365' })),
  },
  {
    name: 'a paused mass suspension and an open conflict',
    screen: 'integrationHealth',
    open: async () => undefined,
    ready: (scope) => scope.locator('[data-id="sync-review"]').getByRole('button', { name: 'Link' }).waitFor(),
  },
];

describe('every dialog and every part of a screen that opens, at 1440 and 1024 px wide', () => {
  const made: { customTeam?: string; group?: string; conflict?: string; approval?: string; profile?: string } = {};
  beforeAll(async () => {
    // What the journey did not leave behind for some dialogs to open on: a custom team, an eligibility group,
    // a sync conflict for Robin and a mass suspension the guard paused.
    const { db, orgId } = s.preview;
    const [robin] = (await s.api<{ items: { id: string }[] }>('GET', `/users?search=${NEW_USER}`)).items;
    const customTeam = await s.api<{ id: string }>('POST', '/custom-teams', {
      name: 'Deal desk',
      userIds: [robin!.id],
    });
    made.customTeam = customTeam.id;
    const { profiles } = await s.api<{ profiles: { id: string; name: string }[] }>('GET', '/profiles');
    made.profile = profiles.find((p) => p.name === 'Sales - Full Sync')!.id;
    const group = await s.api<{ id: string }>('POST', `/profiles/${made.profile}/eligibility-groups`, {
      objectType: 'Account',
      name: 'Partners',
      conditions: [{ field: 'Type', operator: 'equals', value: 'Partner' }],
    });
    made.group = group.id;
    const [conflict] = await db('sync_conflicts')
      .insert({
        org_id: orgId,
        kind: 'email_taken',
        sf_user_id: '005000000000099',
        user_id: robin!.id,
        email: NEW_USER,
      })
      .returning('id');
    made.conflict = conflict.id;
    const [approval] = await db('sync_approvals')
      .insert({
        org_id: orgId,
        suspend_count: 2,
        total_users: 3,
        plan: JSON.stringify({
          suspend: [
            { id: 'u1', email: 'casey.csv@acme-robotics.example.com', reason: 'Inactive in Salesforce' },
            { id: 'u2', email: 'jordan.csv@acme-robotics.example.com', reason: 'Inactive in Salesforce' },
          ],
        }),
      })
      .returning('id');
    made.approval = approval.id;
  });
  afterAll(async () => {
    const { db } = s.preview;
    await s.page.setViewportSize({ width: 1280, height: 900 });
    if (made.approval) await db('sync_approvals').where({ id: made.approval }).delete();
    if (made.conflict) await db('sync_conflicts').where({ id: made.conflict }).delete();
    if (made.group) await s.api('DELETE', `/profiles/${made.profile}/eligibility-groups/${made.group}`);
    if (made.customTeam) await s.api('DELETE', `/custom-teams/${made.customTeam}`);
  });

  it.each(DIALOGS)(
    'opens $name on $screen with nothing axe finds wrong and nothing behind it reachable, saved as screenshots',
    async ({ name, screen, open, ready, close }) => {
      const page = await freshScreen(screen);
      await open(page);
      const dialog = page.getByRole('dialog', { name, exact: true });
      await dialog.waitFor();
      await ready?.(dialog);
      expect(await dialogFindings(name, dialog)).toEqual(CLEAN);
      if (close) await close(page);
      else await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    },
  );

  it.each(PARTS)(
    'shows $name on $screen with no sideways scrolling and nothing axe finds wrong, saved as screenshots',
    async ({ name, screen, open, ready }) => {
      const page = await freshScreen(screen);
      await open(page);
      await ready?.(page.locator('body'));
      await page.waitForLoadState('networkidle');
      const findings: Record<number, string[]> = {};
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await screenshot(page, `part-${fileName(name)}-${width}`);
        findings[width] = [
          ...(await axeViolations(page)),
          ...((await sideways(page)) > 0 ? [`scrolls sideways by ${await sideways(page)} px`] : []),
        ];
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(findings).toEqual(CLEAN);
    },
  );
});

describe('an invalid rule', () => {
  let ruleId: string;
  beforeAll(async () => {
    // The team a rule names is removed underneath it: the rules screen flags the rule and says why.
    const { db, orgId } = s.preview;
    const top = await db('teams').where({ org_id: orgId, kind: 'top' }).first('id');
    const [team] = await db('teams')
      .insert({ org_id: orgId, name: 'Short-lived team', kind: 'hierarchy', parent_id: top.id })
      .returning('id');
    const { profiles } = await s.api<{ profiles: { id: string; name: string }[] }>('GET', '/profiles');
    const rule = await s.api<{ id: string }>('POST', '/rules', {
      name: 'Short-lived team members',
      filters: [{ field: 'team_name', operator: 'is', value: team.id }],
      assignments: {
        profileId: profiles.find((p) => p.name === 'Default - Intake Off')!.id,
        role: 'member',
        visibility: 'team',
        licenses: ['foundation'],
      },
    });
    ruleId = rule.id;
    await db('teams').where({ id: team.id }).delete();
  });
  afterAll(async () => {
    await s.page.setViewportSize({ width: 1280, height: 900 });
    if (ruleId) await s.api('DELETE', `/rules/${ruleId}`);
  });

  it.each([1440, 1024])(
    'is shown on User Settings Rules at %i px in text axe finds readable (contrast at least 4.5:1)',
    async (width) => {
      const { page } = s;
      await page.setViewportSize({ width, height: 900 });
      await page.goto('about:blank');
      await page.goto(`${s.preview.url}/#/userSettingsRules`);
      const problem = page.locator('[data-id="rule-problem"]');
      expect(await waitForText(problem, 'Invalid:')).toContain('that team does not exist');
      await page.waitForLoadState('networkidle');
      await screenshot(page, `rules-invalid-${width}`);
      // axe measured the invalid rule's text against what is behind it, and it passed.
      expect(await axeVerdicts(problem, 'color-contrast')).toEqual(['passed']);
      expect(await axeViolations(page)).toEqual([]);
    },
  );
});

describe.each([1440, 1024])('the rules simulator at %i px wide', (width) => {
  afterAll(async () => {
    await s.page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows each choice of whom to simulate for on one line', async () => {
    const { page } = s;
    await page.setViewportSize({ width, height: 900 });
    await page.goto('about:blank');
    await page.goto(`${s.preview.url}/#/userSettingsRules`);
    const choices = page.locator('[data-id="simulate-who"] label');
    await choices.first().waitFor();
    // The lines each label's text is laid out on, as the admin sees them.
    const lines = await choices.evaluateAll((labels) =>
      labels.map((label) => {
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
        const tops = new Set<number>();
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(text);
          for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
        }
        return `${label.textContent?.trim()}: ${tops.size}`;
      }),
    );
    expect(lines).toEqual(['One user: 1', 'All users: 1']);
  });
});

describe('the base components', () => {
  it('is styled by SLDS through the base components (a base-components upgrade that drops it fails here)', async () => {
    const { page } = s;
    await page.goto(`${s.preview.url}/#/usersAndTeams`);
    const brand = page.locator('[data-id="add-user"] button');
    await brand.waitFor();
    const style = await brand.evaluate((el) => {
      const css = getComputedStyle(el);
      // The last button of a group: SLDS rounds its right corners only.
      return {
        className: el.className,
        background: css.backgroundColor,
        color: css.color,
        radius: css.borderTopRightRadius,
        font: css.fontFamily,
      };
    });
    expect(style.className).toContain('slds-button_brand');
    expect(style).toMatchObject({ background: 'rgb(1, 118, 211)', color: 'rgb(255, 255, 255)', radius: '4px' });
    expect(style.font).toMatch(/^-apple-system, BlinkMacSystemFont/); // SLDS's font stack, not the browser's serif
    // A combobox the base components draw: SLDS's bordered, rounded input, not the browser's default control.
    const combobox = page.getByRole('combobox', { name: 'Status' });
    const box = await combobox.evaluate((el) => {
      const css = getComputedStyle(el);
      return { border: css.borderTopColor, radius: css.borderTopLeftRadius, height: el.getBoundingClientRect().height };
    });
    expect(box).toMatchObject({ border: 'rgb(116, 116, 116)', radius: '4px' });
    expect(box.height).toBeGreaterThanOrEqual(30);
  });
});

describe('at 100,000 users', () => {
  beforeAll(async () => {
    await growOrg(s.preview, 100_000);
  }, 300_000);

  it("picks a team's manager by searching as they type and choosing with the arrow keys", async () => {
    const { page } = s;
    await page.goto('about:blank');
    await page.goto(`${s.preview.url}/#/teamHierarchy`);
    await page.getByRole('heading', { name: 'Team Hierarchy', exact: true }).waitFor();
    await page
      .getByRole('treeitem', { name: /VP Sales/ })
      .first()
      .click();
    // Wherever Automatic Mode placed it in the hierarchy.
    await waitForText(page.locator('[data-id="team-details"] h2'), /› VP Sales$/);

    // Every keystroke is not a search: the lookup waits for a pause in the typing.
    const searches: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/__apex/UsersController.listUsers')) searches.push(request.postData() ?? '');
    });
    const lookup = page.getByRole('combobox', { name: 'Set manager' });
    await lookup.focus();
    const typed = 'Sample07312';
    await page.keyboard.type(typed, { delay: 40 });
    const options = page.getByRole('listbox').getByRole('option');
    await expect.poll(() => options.count()).toBe(10);
    expect(searches.length, searches.join('\n')).toBeLessThan(typed.length);
    expect(await read(options.first())).toBe('Sam Sample073120 sam.sample073120@large.example · Top-level team');

    // Down twice from the first match, then Enter: the third match is chosen and saved.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => options.nth(2).getAttribute('aria-selected')).toBe('true');
    expect(await lookup.getAttribute('aria-activedescendant')).toBe(await options.nth(2).getAttribute('id'));
    await page.keyboard.press('Enter');
    await waitForText(toast('Sam Sample073122 now manages VP Sales.'), 'now manages VP Sales');
    await waitForText(page.locator('[data-id="team-manager"]'), 'Manager: Sam Sample073122');

    interface Node {
      name: string;
      managerUserId: string | null;
      children: Node[];
    }
    const find = (node: Node): Node | undefined =>
      node.name === 'VP Sales' ? node : node.children.map(find).find(Boolean);
    const vpSales = find((await s.api<{ top: Node }>('GET', '/teams')).top)!;
    const [manager] = (await s.api<{ items: { id: string }[] }>('GET', '/users?search=sam.sample073122@large.example'))
      .items;
    expect(vpSales.managerUserId).toBe(manager!.id);
    await screenshot(page, 'team-manager-100k');
  });
});
