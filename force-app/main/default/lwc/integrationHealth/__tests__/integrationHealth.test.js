import IntegrationHealth from 'c/integrationHealth';
import getIntegrationHealthScreen from '@salesforce/apex/ScreensController.getIntegrationHealthScreen';
import getJob from '@salesforce/apex/JobsController.getJob';
import runIntegrationHealth from '@salesforce/apex/HealthController.runIntegrationHealth';
import listSyncRuns from '@salesforce/apex/HealthController.listSyncRuns';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    click,
    apexError,
    clone,
    errorText,
    jobAnswers,
    calloutsMade,
    deepById,
    words
} from 'roster-test';

const SCREEN = require('./data/getIntegrationHealthScreen.json');
const REPORT = require('./data/getIntegrationHealth.json');
const RUNS = require('./data/listSyncRuns.json');
/** The check runs as a service job; its result is the stored report. */
const checkJob = (more = {}) =>
    jobAnswers(runIntegrationHealth, { kind: 'health.check', result: clone(REPORT), ...more });
const jobsEnd = () => settle(12);

/** The screen as the admin opens it: one callout answers the report, the runs and what waits for review. */
async function openScreen(report = REPORT, runs = RUNS, running = [], mode = SCREEN.mode) {
    getIntegrationHealthScreen.mockResolvedValue({
        ...clone(SCREEN),
        health: clone(report),
        runs: clone(runs),
        mode: clone(mode),
        runningJobs: { items: clone(running) }
    });
    listSyncRuns.mockResolvedValue(clone(runs)); // reloads after a check or a decision
    const element = mount('c-integration-health', IntegrationHealth);
    await settle();
    return element;
}

/** The cells of a sync run's row, as the admin reads them. */
const rowCells = (element, run) =>
    [...byId(element, `run-${run.id}`).querySelectorAll('td')].map((td) => words(td));

describe('c-integration-health', () => {
    afterEach(cleanup);

    it('shows the overall status and what it means', async () => {
        const element = await openScreen();
        expect(text(element, 'overall')).toContain(
            'Blocked The Salesforce sync is stopped until the required items below are fixed.'
        );
        expect(text(element, 'overall')).toContain(
            '3 OK · 1 required missing · 1 recommended missing · 1 not applicable'
        );
        expect(text(element, 'integration-user')).toBe(
            'Integration user: Roster Integration User (roster@acme.example) · Profile: Roster Integration · License: Salesforce · Role: CEO'
        );
    });

    it('lists the missing required field first, with the fix, then the recommended one', async () => {
        const element = await openScreen();
        expect(text(element, 'group-field')).toBe(
            'Field access Opportunity.StageName · Missing · Required Fix: Setup > Object Manager > Opportunity > Fields > Stage > Set Field-Level Security: give the Roster Integration profile Read Access. ' +
                'Lead.Rating · Missing · Recommended Fix: Setup > Object Manager > Lead > Fields > Rating > Set Field-Level Security: give Read Access.'
        );
        expect(byId(element, 'group-systemPermission')).toBeNull();
    });

    it('shows every check, with where each grant comes from, on request', async () => {
        const element = await openScreen();
        const checkbox = byId(element, 'show-all');
        checkbox.checked = true;
        checkbox.dispatchEvent(new CustomEvent('change'));
        await settle();
        expect(text(element, 'item-system.PermissionsViewAllData')).toBe(
            'View All Data · OK · Required Granted by Profile: Roster Integration'
        );
        expect(text(element, 'item-object.Account.viewAll')).toContain(
            'Granted by Permission set: Roster Standard Permissions'
        );
        expect(text(element, 'item-field.CurrencyType.IsoCode')).toContain(
            'Not applicable · Required Multi-currency is off in this org.'
        );
    });

    it('says when nothing is missing', async () => {
        const healthy = {
            ...clone(REPORT),
            overall: 'healthy',
            items: REPORT.items.filter((i) => i.status !== 'missing')
        };
        const element = await openScreen(healthy);
        expect(text(element, 'overall')).toContain('Healthy');
        expect(text(element, 'nothing-missing')).toBe('Nothing is missing.');
    });

    it('re-runs the check and shows the new result', async () => {
        const job = checkJob({
            result: { ...clone(REPORT), overall: 'degraded' },
            hold: true,
            steps: [{ phase: 'Checking the integration user', done: 3, total: null }]
        });
        const element = await openScreen();
        await click(element, 'rerun-health');
        await jobsEnd();
        expect(text(byId(element, 'health-progress'), 'job-phase')).toBe(
            'Checking the integration user'
        );
        expect(text(byId(element, 'health-progress'), 'job-counts')).toBe('3 so far');
        expect(byId(element, 'rerun-health').disabled).toBe(true);
        job.release();
        await jobsEnd();
        expect(byId(element, 'health-progress')).toBeNull();
        expect(runIntegrationHealth).toHaveBeenCalledWith();
        expect(text(element, 'overall')).toContain('Degraded');
    });

    it('offers the first check, not an error, when none has run yet', async () => {
        checkJob();
        const element = await openScreen(null);
        expect(text(element, 'no-health-check')).toContain('No check has run yet.');
        expect(errorText(element)).toBe('');
        await click(element, 'rerun-health');
        await jobsEnd();
        expect(byId(element, 'no-health-check')).toBeNull();
        expect(text(element, 'overall')).toContain('Blocked');
    });

    it('lists sync runs in words: what ran, the outcome, the changes without zeros, and why', async () => {
        const element = await openScreen();
        const [blocked, succeeded] = RUNS.items;
        expect(rowCells(element, blocked).slice(1)).toEqual([
            'Changes since the last sync',
            'Blocked: nothing was applied',
            'No changes',
            '3',
            'Required fields are not readable: Opportunity.StageName.'
        ]);
        expect(rowCells(element, succeeded).slice(1, 4)).toEqual([
            'Full sync',
            'Succeeded',
            '2 users added 1 user updated 10 users unchanged'
        ]);
        expect(text(element, 'sync-runs')).not.toMatch(/\b0 |teamsMoved|created,/);
    });

    it('says an enable refused for an outdated preview applied nothing, with what changed', async () => {
        const message =
            'Salesforce or Roster changed since the preview (users to create: 8 -> 9), so nothing was applied. ' +
            'Review the new preview, then apply again.';
        const stale = {
            ...clone(RUNS.items[1]),
            kind: 'enable',
            outcome: 'preview_stale',
            counts: {},
            error: message
        };
        const element = await openScreen(REPORT, { items: [stale] });
        expect(rowCells(element, stale).slice(1)).toEqual([
            'Automatic Mode turned on',
            'Not applied: Salesforce or Roster changed since the preview',
            'No changes',
            '6',
            message
        ]);
    });

    it('names team changes and any count the service adds later, never its code', async () => {
        const element = await openScreen(REPORT, {
            items: [
                {
                    ...clone(RUNS.items[1]),
                    counts: { teamsMoved: 1, teamsCreated: 0, moved: 3, recordsLinked: 2 }
                }
            ]
        });
        expect(text(element, 'run-counts')).toBe(
            '3 users moved to another team 1 team moved 2 records linked'
        );
    });

    it('says the sync is stopped while Blocked in Automatic Mode, even when the last sync succeeded', async () => {
        const element = await openScreen(REPORT, { items: [clone(RUNS.items[1])] });
        expect(RUNS.items[1].outcome).toBe('success');
        expect(text(element, 'overall')).toContain(
            'Blocked The Salesforce sync is stopped until the required items below are fixed.'
        );
    });

    it('says Blocked without "stopped" in Manual Mode, where nothing syncs', async () => {
        const element = await openScreen(REPORT, RUNS, [], {
            ...SCREEN.mode,
            mode: 'manual',
            stopped: null
        });
        expect(text(element, 'overall')).toContain(
            'Blocked Required items below are missing: fix them before turning on Automatic Mode, whose sync does not run while they are missing.'
        );
        expect(text(element, 'overall')).not.toContain('stopped');
    });

    it('says when no sync has run', async () => {
        const element = await openScreen(REPORT, { items: [] });
        expect(text(element, 'no-sync-runs')).toBe('No sync has run yet.');
    });

    it('shows why the check could not run', async () => {
        checkJob({
            error: { code: 'salesforce_not_connected', message: 'Salesforce is not connected yet.' }
        });
        const element = await openScreen();
        await click(element, 'rerun-health');
        await jobsEnd();
        expect(errorText(element)).toContain('Salesforce is not connected yet.');
        expect(byId(element, 'rerun-health').disabled).toBe(false);
    });

    it('says so when a check is already running', async () => {
        runIntegrationHealth.mockRejectedValue(apexError('This is already running.'));
        const element = await openScreen();
        await click(element, 'rerun-health');
        expect(errorText(element)).toContain('This is already running.');
    });

    it('picks up a check still running after a page reload, then shows its report', async () => {
        const job = checkJob({
            result: { ...clone(REPORT), overall: 'degraded' },
            hold: true,
            steps: [{ phase: 'Checking the integration user', done: 2, total: null }]
        });
        const element = await openScreen(REPORT, RUNS, [job.job]);
        await jobsEnd();
        expect(runIntegrationHealth).not.toHaveBeenCalled();
        expect(byId(element, 'health-progress')).not.toBeNull();
        job.release();
        await jobsEnd();
        expect(text(element, 'overall')).toContain('Degraded');
    });

    it('reviews the sync here, and reloads the sync history and drift in one callout after a decision runs the sync', async () => {
        const element = await openScreen();
        const review = element.shadowRoot.querySelector('c-sync-review');
        expect(review).not.toBeNull();
        expect(review.data.conflictUsers).toEqual(SCREEN.conflictUsers);
        // The decision suspended Margaret through the sync: only Linus is left as drift.
        getIntegrationHealthScreen.mockResolvedValue({
            ...clone(SCREEN),
            drift: { count: 1, items: [clone(SCREEN.drift.items[0])] }
        });
        review.dispatchEvent(new CustomEvent('syncran'));
        await settle();
        expect(getIntegrationHealthScreen).toHaveBeenCalledTimes(2);
        expect(listSyncRuns).not.toHaveBeenCalled();
        expect(text(element, 'drift-count')).toBe('1 user is still inactive in Salesforce');
    });

    it('lists the users an admin kept active while Salesforce has them inactive, with their count', async () => {
        const element = await openScreen();
        expect(text(element, 'drift-count')).toBe('2 users are still inactive in Salesforce');
        const table = words(deepById(byId(element, 'drift-users'), 'table'));
        expect(table).toContain('Linus Pauling (linus@example.com) Deactivated in Salesforce');
        expect(table).toContain(
            'Margaret Hamilton (margaret@example.com) Salesforce license revoked'
        );
    });

    it('shows no drift while every user matches Salesforce', async () => {
        getIntegrationHealthScreen.mockResolvedValue({
            ...clone(SCREEN),
            drift: { count: 0, items: [] }
        });
        mount('c-integration-health', IntegrationHealth);
        await settle();
        const element = document.body.querySelector('c-integration-health');
        expect(byId(element, 'drift')).toBeNull();
        expect(text(element, 'overall')).toContain('Blocked');
    });

    it('opens with one callout, the sync review’s lists and names included', async () => {
        await openScreen();
        expect(calloutsMade()).toEqual(['ScreensController.getIntegrationHealthScreen']);
    });

    it('opens with at most two callouts when it resumes a check still running after a reload', async () => {
        // Started before the reload: no start call answers it here.
        const job = jobAnswers(null, {
            kind: 'health.check',
            result: clone(REPORT),
            steps: [{ phase: 'Checking the integration user', done: 1 }],
            hold: true
        });
        await openScreen(REPORT, RUNS, [job.job]);
        await jobsEnd();
        expect(getJob).toHaveBeenCalled();
        expect(calloutsMade().length).toBeLessThanOrEqual(2);
        job.release();
        await jobsEnd();
    });

    it('opens with at most two callouts when it resumes a sync decision still running after a reload, shown in the review', async () => {
        const approvalId = SCREEN.approvals.items[0].id;
        const job = jobAnswers(null, {
            kind: 'sync.decision',
            params: { approvalId, decision: 'approved' },
            steps: [{ phase: 'Reading Salesforce users', done: 10, total: 40 }],
            hold: true
        });
        const element = await openScreen(REPORT, RUNS, [job.job]);
        await jobsEnd();
        expect(words(deepById(deepById(element, 'decision-progress'), 'job-progress'))).toBe(
            'Reading Salesforce users 10 of 40'
        );
        expect(calloutsMade()).toEqual([
            'JobsController.getJob',
            'ScreensController.getIntegrationHealthScreen'
        ]);
        job.release();
        await jobsEnd();
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await expect(element).toBeAccessible();
    });
});
