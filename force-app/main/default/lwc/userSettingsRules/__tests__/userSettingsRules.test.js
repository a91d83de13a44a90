import UserSettingsRules from 'c/userSettingsRules';
import getUserSettingsRulesScreen from '@salesforce/apex/ScreensController.getUserSettingsRulesScreen';
import getJob from '@salesforce/apex/JobsController.getJob';
import createRule from '@salesforce/apex/RulesController.createRule';
import updateRule from '@salesforce/apex/RulesController.updateRule';
import deleteRule from '@salesforce/apex/RulesController.deleteRule';
import reorderRules from '@salesforce/apex/RulesController.reorderRules';
import simulateRules from '@salesforce/apex/RulesController.simulateRules';
import listUsers from '@salesforce/apex/UsersController.listUsers';
import previewReapply from '@salesforce/apex/RulesController.previewReapply';
import reapplyRules from '@salesforce/apex/RulesController.reapplyRules';
import {
    mount,
    cleanup,
    settle,
    byId,
    text,
    click,
    change,
    apexError,
    clone,
    errorText,
    words,
    jobAnswers,
    calloutsMade,
    openModal,
    deepById,
    captureToasts
} from 'roster-test';

const SCREEN = require('./data/getUserSettingsRulesScreen.json');
const RULES = require('./data/listRules.json');
const SIMULATION = require('./data/simulateRules.json');
const REAPPLY_PREVIEW = require('./data/previewReapply.json');
const REAPPLY_RESULT = require('./data/reapplyRules.json');
/** The diff and the apply run over every user, as service jobs the dialog polls. */
const previewJob = (result = clone(REAPPLY_PREVIEW), more = {}) =>
    jobAnswers(previewReapply, { kind: 'rules.reapply.preview', result, ...more });
const applyJob = (result = clone(REAPPLY_RESULT), more = {}) =>
    jobAnswers(reapplyRules, { kind: 'rules.reapply', result, ...more });
const jobsEnd = () => settle(12);
const TEAMS = require('./data/getTeamTree.json');
const PROFILES = require('./data/listProfiles.json');
const USERS = require('../../teamHierarchy/__tests__/data/listUsers.json');
const [AES, WEST_MANAGERS, CATCH_ALL] = RULES.rules;
const [GRACE_ID, LINUS_ID] = REAPPLY_PREVIEW.changes.map((c) => c.userId);
/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a, b) {
    const luminance = (hex) => {
        const [r, g, bl] = [1, 3, 5].map((i) => {
            const c = parseInt(hex.slice(i, i + 2), 16) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
}
/** A user's row in the re-apply dialog's paged table. */
const userRow = (dialog, userId) => deepById(dialog, `row-${userId}`);
const WEST = TEAMS.top.children[0].children[0];
const FULL_SYNC = PROFILES.profiles[1];

/** The screen as the admin opens it: one callout answers the rules, teams, profiles and the users they name. */
async function openScreen(rules = RULES, running = []) {
    listUsers.mockResolvedValue(clone(USERS)); // the editor's and simulator's user lookups
    getUserSettingsRulesScreen.mockResolvedValue({
        ...clone(SCREEN),
        rules: clone(rules),
        runningJobs: { items: clone(running) }
    });
    const element = mount('c-user-settings-rules', UserSettingsRules);
    await settle();
    return element;
}

const ruleNames = (element) =>
    [...byId(element, 'rule-list').querySelectorAll('li')].map(
        (li) => li.querySelector('.slds-text-title_bold').textContent
    );
/** The rule editor dialog open now (lightning/modal mounts it in the document). */
const editor = () => openModal();
const simulator = (element) => element.shadowRoot.querySelector('c-rule-simulator');
const reapply = (element) => element.shadowRoot.querySelector('c-rule-reapply');
const buttonFor = (element, label) =>
    [...element.shadowRoot.querySelectorAll('lightning-button-icon')].find(
        (b) => b.alternativeText === label
    );

describe('c-user-settings-rules', () => {
    afterEach(cleanup);

    it('lists rules in order with their filters and assignments in words, the catch-all pinned last', async () => {
        const element = await openScreen();
        expect(ruleNames(element)).toEqual(['1. Account Executives', '2. West managers']);
        expect(words(byId(element, 'rule-1'))).toContain(
            'When Job Title contains "Account Executive"'
        );
        expect(words(byId(element, 'rule-1'))).toContain(
            'Assigns Sales - Full Sync · Member · Team Ownership'
        );
        expect(words(byId(element, 'rule-2'))).toContain('When Team Name is under "West"');
        expect(text(element, 'catch-all')).toBe(
            'Catch-all (always last) Assigns Default - Intake Off · Member · Full Visibility'
        );
    });

    it('flags a rule that references a deleted profile instead of hiding it', async () => {
        const element = await openScreen();
        expect(words(byId(element, 'rule-2'))).toContain('Assigns a deleted profile');
        expect(text(element, 'rule-problem')).toBe(
            'Invalid: The configuration profile this rule assigns was deleted.'
        );
    });

    it('shows an invalid rule in text that keeps a contrast of at least 4.5:1', async () => {
        const element = await openScreen();
        const rule = byId(element, 'rule-2');
        expect(rule.classList).toContain('rule-invalid');
        expect(rule.classList).not.toContain('slds-theme_warning');
        expect(byId(element, 'rule-problem').classList).toContain('rule-problem');
        // The colours the stylesheet gives them, as the browser would paint them.
        const css = require('fs').readFileSync(
            require('path').join(__dirname, '../userSettingsRules.css'),
            'utf8'
        );
        const colour = (selector, property) =>
            new RegExp(`\\.${selector}\\s*{[^}]*?${property}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)[1];
        expect(
            contrast(colour('rule-problem', 'color'), colour('rule-invalid', 'background-color'))
        ).toBeGreaterThanOrEqual(4.5);
    });

    it('reorders by drag and drop and saves the order only with Save Rules', async () => {
        reorderRules.mockResolvedValue(clone(RULES));
        const element = await openScreen();
        expect(byId(element, 'save-rules').disabled).toBe(true);
        byId(element, 'rule-2').dispatchEvent(new CustomEvent('dragstart'));
        byId(element, 'rule-1').dispatchEvent(new CustomEvent('drop'));
        await settle();
        expect(ruleNames(element)).toEqual(['1. West managers', '2. Account Executives']);
        expect(reorderRules).not.toHaveBeenCalled();
        await click(element, 'save-rules');
        expect(reorderRules).toHaveBeenCalledWith({ ruleIds: [WEST_MANAGERS.id, AES.id] });
    });

    it('reorders from the keyboard with Move up and Move down', async () => {
        const element = await openScreen();
        expect(buttonFor(element, 'Move Account Executives up').disabled).toBe(true);
        buttonFor(element, 'Move Account Executives down').click();
        await settle();
        expect(ruleNames(element)).toEqual(['1. West managers', '2. Account Executives']);
        expect(buttonFor(element, 'Move Account Executives down').disabled).toBe(true);
        expect(text(element, 'notice')).toBe('Rules reordered. Save Rules to keep this order.');
    });

    it('adds a rule with filters using the operators each field allows, and assignments', async () => {
        createRule.mockResolvedValue(clone(AES));
        const element = await openScreen();
        await click(element, 'add-rule');
        const dialog = editor(element);
        await change(dialog, 'rule-name', 'SDRs in the West');
        await change(dialog, 'rule-description', 'Sales development reps');
        await change(dialog, 'filter-value-0', 'SDR');
        await click(dialog, 'add-filter');
        await change(dialog, 'filter-field-1', 'team_name');
        expect(byId(dialog, 'filter-operator-1').options.map((o) => o.label)).toEqual([
            'is',
            'is not',
            'is under'
        ]);
        await change(dialog, 'filter-operator-1', 'is_under');
        await change(dialog, 'filter-value-1', WEST.id);
        await change(dialog, 'assign-profile', FULL_SYNC.id);
        await change(dialog, 'assign-role', 'manager');
        await change(dialog, 'assign-visibility', 'individual');
        await change(dialog, 'assign-licenses', ['foundation', 'forecasting']);
        await click(dialog, 'save-rule');
        expect(createRule).toHaveBeenCalledWith({
            rule: {
                name: 'SDRs in the West',
                description: 'Sales development reps',
                filters: [
                    { field: 'job_title', operator: 'contains', value: 'SDR' },
                    { field: 'team_name', operator: 'is_under', value: WEST.id }
                ],
                assignments: {
                    profileId: FULL_SYNC.id,
                    role: 'manager',
                    visibility: 'individual',
                    licenses: ['foundation', 'forecasting']
                }
            }
        });
        expect(editor(element)).toBeNull();
    });

    it('offers the Job Title operators and removes or clears filters', async () => {
        const element = await openScreen();
        await click(element, 'add-rule');
        const dialog = editor(element);
        expect(byId(dialog, 'filter-operator-0').options.map((o) => o.label)).toEqual([
            'equals',
            'not equals',
            'contains',
            'does not contain',
            'starts with'
        ]);
        await click(dialog, 'add-filter');
        await click(dialog, 'filter-remove-0');
        expect(byId(dialog, 'filter-field-1')).toBeNull();
        await click(dialog, 'clear-filters');
        expect(byId(dialog, 'filter-field-0')).toBeNull();
    });

    it('names each filter row’s field, operator and value apart for a screen reader, the column names shown once above them', async () => {
        const element = await openScreen();
        await click(element, 'add-rule');
        const dialog = editor(element);
        await click(dialog, 'add-filter');
        await change(dialog, 'filter-field-1', 'team_name');
        const inputs = [0, 1].flatMap((row) =>
            ['field', 'operator', 'value'].map((part) => byId(dialog, `filter-${part}-${row}`))
        );
        expect(inputs.map((input) => input.label)).toEqual([
            'Filter 1 field',
            'Filter 1 operator',
            'Filter 1 value',
            'Filter 2 field',
            'Filter 2 operator',
            'Filter 2 value'
        ]);
        // The labels are for screen readers; the eye reads the columns' names once, above the first row.
        expect(inputs.map((input) => input.variant)).toEqual(Array(6).fill('label-hidden'));
        expect(text(dialog, 'filter-columns')).toBe('Field Operator Value');
        expect(byId(dialog, 'filter-columns').getAttribute('aria-hidden')).toBe('true');
        await expect(dialog).toBeAccessible();

        await click(dialog, 'clear-filters');
        expect(byId(dialog, 'filter-columns')).toBeNull();
    });

    it('edits and deletes a rule', async () => {
        updateRule.mockResolvedValue(clone(AES));
        deleteRule.mockResolvedValue(null);
        const element = await openScreen();
        buttonFor(element, 'Edit Account Executives').click();
        await settle();
        await change(editor(element), 'rule-name', 'AEs');
        await click(editor(element), 'save-rule');
        expect(updateRule).toHaveBeenCalledWith({
            ruleId: AES.id,
            changes: expect.objectContaining({
                name: 'AEs',
                filters: AES.filters,
                assignments: AES.assignments
            })
        });
        buttonFor(element, 'Edit West managers').click();
        await settle();
        await click(editor(element), 'delete-rule');
        expect(text(openModal(), 'confirm-message')).toContain(
            'West managers stops configuring new users at once'
        );
        expect(document.body.querySelectorAll('[data-modal="open"]').length).toBe(1);
        expect(deleteRule).not.toHaveBeenCalled();
        await click(openModal(), 'confirm-ok');
        expect(deleteRule).toHaveBeenCalledWith({ ruleId: WEST_MANAGERS.id });
        expect(openModal()).toBeNull();
        expect(text(element, 'notice')).toBe('West managers was deleted.');
    });

    it('goes back to the rule when the admin cancels its deletion, and Cancel there changes nothing', async () => {
        const element = await openScreen();
        buttonFor(element, 'Edit West managers').click();
        await settle();
        await click(editor(element), 'delete-rule');
        await click(openModal(), 'confirm-cancel');
        expect(byId(editor(element), 'rule-name').value).toBe('West managers');
        await click(editor(element), 'cancel-rule');
        expect(openModal()).toBeNull();
        expect(deleteRule).not.toHaveBeenCalled();
        expect(updateRule).not.toHaveBeenCalled();
    });

    it('lets the admin change what the catch-all assigns but not delete it or give it filters', async () => {
        updateRule.mockResolvedValue(clone(CATCH_ALL));
        const element = await openScreen();
        await click(element, 'edit-catch-all');
        const dialog = editor(element);
        expect(byId(dialog, 'delete-rule')).toBeNull();
        expect(byId(dialog, 'add-filter')).toBeNull();
        await change(dialog, 'assign-visibility', 'team');
        await click(dialog, 'save-rule');
        expect(updateRule).toHaveBeenCalledWith({
            ruleId: CATCH_ALL.id,
            changes: { assignments: { ...CATCH_ALL.assignments, visibility: 'team' } }
        });
    });

    it('simulates which rule a user would get and why, with the order on screen', async () => {
        simulateRules.mockResolvedValue(clone(SIMULATION));
        const element = await openScreen();
        buttonFor(element, 'Move Account Executives down').click();
        await settle();
        const sim = simulator(element);
        await change(sim, 'simulate-user', USERS.items[1].id);
        await click(sim, 'run-simulation');
        expect(simulateRules).toHaveBeenCalledWith({
            request: {
                userId: USERS.items[1].id,
                rules: [{ id: WEST_MANAGERS.id }, { id: AES.id }]
            }
        });
        expect(text(sim, 'simulation-result')).toBe(
            'Grace Hopper (grace@example.com) gets Account Executives because Job Title contains "Account Executive". Sales - Full Sync · Member · Team Ownership · Foundation, Engagement Dashboard'
        );
    });

    it('simulates for all users', async () => {
        simulateRules.mockResolvedValue(clone(SIMULATION));
        const element = await openScreen();
        await change(simulator(element), 'simulate-who', 'all');
        await click(simulator(element), 'run-simulation');
        expect(simulateRules).toHaveBeenCalledWith({
            request: { all: true, rules: [{ id: AES.id }, { id: WEST_MANAGERS.id }] }
        });
    });

    it('shows all users by rule first, then every user a page at a time', async () => {
        const [one] = SIMULATION.results;
        const results = Array.from({ length: 12 }, (_, i) => ({
            ...clone(one),
            subject: { ...one.subject, name: `Rep ${i + 1}`, email: `rep${i + 1}@example.com` }
        }));
        simulateRules.mockResolvedValue({
            results,
            summary: [{ ruleId: AES.id, ruleName: 'Account Executives', users: 12 }]
        });
        const element = await openScreen();
        const sim = simulator(element);
        await change(sim, 'simulate-who', 'all');
        await click(sim, 'run-simulation');
        expect(text(sim, 'simulation-summary')).toBe('Account Executives: 12 users');
        expect(byId(sim, 'simulation-result')).toBeNull();
        const table = byId(sim, 'simulation-table');
        expect(text(table, 'page-range')).toBe('1–10 of 12');
        await click(table, 'page-next');
        expect(words(deepById(table, 'table'))).toContain(
            'Rep 12 (rep12@example.com) Account Executives because Job Title contains "Account Executive"'
        );
    });

    it("shows the service's message when a rule is refused", async () => {
        createRule.mockRejectedValue(
            apexError(
                'Job Title Contains takes exactly one value per clause; create a separate rule for each further value.'
            )
        );
        const element = await openScreen();
        await click(element, 'add-rule');
        await click(editor(element), 'save-rule');
        expect(errorText(editor(element))).toContain('takes exactly one value per clause');
        expect(editor(element)).not.toBeNull();
    });

    it('says when only the catch-all exists', async () => {
        const element = await openScreen({ rules: [CATCH_ALL], invalidCount: 0 });
        expect(text(element, 'empty-rules')).toBe(
            'No rules yet: every new user gets the catch-all.'
        );
    });

    it('opens with one callout, the users the rules name included', async () => {
        const named = clone(RULES);
        named.rules[0].filters = [
            { field: 'team_manager', operator: 'is', value: USERS.items[0].id }
        ];
        getUserSettingsRulesScreen.mockResolvedValue({
            ...clone(SCREEN),
            rules: named,
            ruleUsers: [clone(USERS.items[0])]
        });
        const element = mount('c-user-settings-rules', UserSettingsRules);
        await settle();
        expect(calloutsMade()).toEqual(['ScreensController.getUserSettingsRulesScreen']);
        expect(text(element, 'rule-list')).toContain('When Team Manager is "Ada Lovelace"');
    });

    it('opens with at most two callouts when it resumes a re-apply still running after a reload', async () => {
        // Started before the reload: no start call answers it here.
        const job = jobAnswers(null, {
            kind: 'rules.reapply',
            result: clone(REAPPLY_RESULT),
            params: { confirm: true, previewToken: REAPPLY_PREVIEW.previewToken },
            hold: true,
            steps: [{ phase: 'Saving the changes', done: 0, total: null }]
        });
        await openScreen(RULES, [job.job]);
        await jobsEnd();
        expect(getJob).toHaveBeenCalled();
        expect(calloutsMade().length).toBeLessThanOrEqual(2);
        job.release();
        await jobsEnd();
    });

    it('is accessible', async () => {
        const element = await openScreen();
        await expect(element).toBeAccessible();
    });
    describe('re-applying the rules to existing users', () => {
        it('shows, per user, which rule applies and what would change before anything changes', async () => {
            previewJob();
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            expect(previewReapply).toHaveBeenCalledTimes(1);
            expect(text(dialog, 'reapply-summary')).toBe(
                '2 of 3 users would change; 1 already match their rule.'
            );
            expect(words(userRow(dialog, GRACE_ID))).toBe(
                'grace@example.com Account Executives ' +
                    'Profile: Default - Intake Off → Sales - Full Sync; ' +
                    'Role: Manager → Member; ' +
                    'Licenses: Foundation → Foundation, Engagement Dashboard'
            );
            expect(words(userRow(dialog, LINUS_ID))).toBe(
                'linus@example.com Catch-all Visibility: Team Ownership → Full Visibility'
            );
            expect(byId(dialog, 'confirm-reapply').label).toBe('Apply to 2 users');
            expect(byId(dialog, 'reapply-warning')).toBeNull();
            expect(reapplyRules).not.toHaveBeenCalled();
        });

        it('applies exactly the reviewed changes, then says how many users were updated', async () => {
            previewJob();
            applyJob();
            const element = await openScreen();
            const toast = jest.fn();
            element.addEventListener('lightning__showtoast', toast);
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            await click(dialog, 'confirm-reapply');
            await jobsEnd();
            expect(reapplyRules).toHaveBeenCalledWith({
                previewToken: REAPPLY_PREVIEW.previewToken,
                excludeUserIds: []
            });
            expect(toast.mock.calls[0][0].detail).toEqual({
                title: 'Rules re-applied',
                message: '2 users updated; 1 already matched.',
                variant: 'success'
            });
            expect(openModal()).toBeNull();
            expect(text(element, 'notice')).toBe(
                'The rules were re-applied: 2 existing users updated.'
            );
        });

        it('counts and applies to every changing user of a 100k-user org, though the table lists the first 500', async () => {
            const large = clone(REAPPLY_PREVIEW);
            large.total = 100_000;
            large.unchanged = 40_000;
            previewJob(large, { omitted: { changes: 59_998 } });
            applyJob({ applied: 60_000, unchanged: 40_000, excluded: 0 });
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            expect(text(dialog, 'reapply-summary')).toBe(
                '60,000 of 100,000 users would change; 40,000 already match their rule.'
            );
            expect(text(dialog, 'reapply-not-listed')).toBe(
                'The table lists the first users only; 59,998 more would change as well.'
            );
            expect(byId(dialog, 'confirm-reapply').label).toBe('Apply to 60,000 users');
            await click(dialog, 'confirm-reapply');
            await jobsEnd();
            expect(reapplyRules).toHaveBeenCalledWith({
                previewToken: REAPPLY_PREVIEW.previewToken,
                excludeUserIds: []
            });
        });

        it('leaves out the users the admin unchecks, and applies to the rest', async () => {
            previewJob();
            applyJob({ applied: 1, unchanged: 1, excluded: 1 });
            const element = await openScreen();
            const toasts = captureToasts();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            const include = userRow(dialog, GRACE_ID).querySelector('input[type="checkbox"]');
            expect(include.getAttribute('aria-label')).toBe('Include grace@example.com');
            include.checked = false;
            include.dispatchEvent(new CustomEvent('change'));
            await settle();
            expect(text(dialog, 'reapply-excluded')).toBe(
                '1 user is left out and keeps what they have.'
            );
            expect(byId(dialog, 'confirm-reapply').label).toBe('Apply to 1 user');
            await click(dialog, 'confirm-reapply');
            await jobsEnd();
            expect(reapplyRules).toHaveBeenCalledWith({
                previewToken: REAPPLY_PREVIEW.previewToken,
                excludeUserIds: [GRACE_ID]
            });
            expect(toasts[0].message).toBe('1 users updated; 1 already matched; 1 left out.');
        });

        it('cannot apply when every changing user is left out', async () => {
            previewJob();
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            for (const id of [GRACE_ID, LINUS_ID]) {
                const include = userRow(dialog, id).querySelector('input[type="checkbox"]');
                include.checked = false;
                include.dispatchEvent(new CustomEvent('change'));
                // eslint-disable-next-line no-await-in-loop
                await settle();
            }
            expect(byId(dialog, 'confirm-reapply').disabled).toBe(true);
        });

        it('shows what changed and the new diff when users or rules changed since the preview, applying nothing', async () => {
            const fresher = {
                ...clone(REAPPLY_PREVIEW),
                previewToken: 'reapply1.fresher',
                total: 4,
                changes: [REAPPLY_PREVIEW.changes[1]]
            };
            const message =
                'Users or rules changed since the preview (users to change: 2 -> 1; users whose role changes: 1 -> 0), ' +
                'so nothing was applied. Review the new preview, then apply again.';
            previewJob();
            applyJob(null, {
                error: {
                    code: 'preview_stale',
                    message,
                    details: { changed: [], preview: fresher }
                }
            });
            applyJob({ applied: 1, unchanged: 3 });
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            await click(dialog, 'confirm-reapply');
            await jobsEnd();
            // The new diff came with the refusal: no second preview.
            expect(previewReapply).toHaveBeenCalledTimes(1);
            expect(text(dialog, 'reapply-notice')).toBe(message);
            expect(errorText(dialog)).toBe('');
            expect(text(dialog, 'reapply-summary')).toBe(
                '1 of 4 users would change; 1 already match their rule.'
            );
            expect(userRow(dialog, GRACE_ID)).toBeNull();
            await click(dialog, 'confirm-reapply');
            await jobsEnd();
            expect(reapplyRules).toHaveBeenLastCalledWith({
                previewToken: fresher.previewToken,
                excludeUserIds: []
            });
        });

        it('previews again when a refusal for a changed preview carries no new diff', async () => {
            const fresher = {
                ...clone(REAPPLY_PREVIEW),
                previewToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
                total: 4,
                changes: [REAPPLY_PREVIEW.changes[1]]
            };
            const message =
                'Users or rules changed since the preview, so nothing was applied. Review the new preview, then apply again.';
            previewJob();
            applyJob(null, { error: { code: 'preview_stale', message } });
            previewJob(clone(fresher));
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            await click(dialog, 'confirm-reapply');
            await jobsEnd();
            expect(previewReapply).toHaveBeenCalledTimes(2);
            expect(text(dialog, 'reapply-notice')).toBe(message);
            expect(text(dialog, 'reapply-summary')).toBe(
                '1 of 4 users would change; 1 already match their rule.'
            );
        });

        it('warns and refuses to apply when no active admin would be left', async () => {
            previewJob({
                ...clone(REAPPLY_PREVIEW),
                warnings: [
                    'Re-applying would leave no active admin; add a rule that keeps at least one admin first.'
                ]
            });
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            expect(text(dialog, 'reapply-warning')).toContain('would leave no active admin');
            expect(byId(dialog, 'confirm-reapply').disabled).toBe(true);
        });

        it("shows the service's message when the preview fails", async () => {
            previewReapply.mockRejectedValue(apexError('The Roster service could not be reached.'));
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            expect(errorText(dialog)).toContain('The Roster service could not be reached.');
            expect(byId(dialog, 'confirm-reapply').disabled).toBe(true);
        });

        it('shows the progress of the diff while it is worked out, then the diff', async () => {
            const job = previewJob(clone(REAPPLY_PREVIEW), {
                hold: true,
                steps: [{ phase: 'Working out the changes', done: 0, total: null }]
            });
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            expect(text(byId(dialog, 'reapply-progress'), 'job-phase')).toBe(
                'Working out the changes'
            );
            expect(byId(dialog, 'confirm-reapply').disabled).toBe(true);
            job.release();
            await jobsEnd();
            expect(byId(dialog, 'reapply-progress')).toBeNull();
            expect(text(dialog, 'reapply-summary')).toContain('2 of 3 users');
        });

        it('picks up an apply still running after a page reload, then confirms it', async () => {
            const job = applyJob(clone(REAPPLY_RESULT), {
                params: { confirm: true, previewToken: REAPPLY_PREVIEW.previewToken },
                hold: true,
                steps: [{ phase: 'Saving the changes', done: 0, total: null }]
            });
            const element = await openScreen(RULES, [job.job]);
            await jobsEnd();
            expect(reapplyRules).not.toHaveBeenCalled();
            expect(byId(openModal(), 'reapply-progress')).not.toBeNull();
            job.release();
            await jobsEnd();
            expect(text(element, 'notice')).toBe(
                'The rules were re-applied: 2 existing users updated.'
            );
        });

        it('is accessible with the diff open', async () => {
            previewJob();
            const element = await openScreen();
            await click(reapply(element), 'reapply-rules');
            const dialog = openModal();
            await jobsEnd();
            await expect(dialog).toBeAccessible();
        });
    });
});
