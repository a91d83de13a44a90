import ConfigurationProfiles from 'c/configurationProfiles';
import listProfiles from '@salesforce/apex/ProfilesController.listProfiles';
import getProfile from '@salesforce/apex/ProfilesController.getProfile';
import getProfileSummary from '@salesforce/apex/ProfilesController.getProfileSummary';
import createProfile from '@salesforce/apex/ProfilesController.createProfile';
import deleteProfile from '@salesforce/apex/ProfilesController.deleteProfile';
import updateProfile from '@salesforce/apex/ProfilesController.updateProfile';
import setActivity from '@salesforce/apex/ProfilesController.setActivity';
import listRules from '@salesforce/apex/RulesController.listRules';
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
    captureToasts,
    openModal,
    calloutsMade
} from 'roster-test';

const PROFILES = require('./data/listProfiles.json');
const PROFILE = require('./data/getProfile.json');
const SUMMARY = require('./data/getProfileSummary.json');
const [DEFAULT, FULL_SYNC] = PROFILES.profiles;

async function openScreen(profiles = PROFILES) {
    listProfiles.mockResolvedValue(clone(profiles));
    const element = mount('c-configuration-profiles', ConfigurationProfiles);
    await settle();
    return element;
}

async function openProfile(element) {
    getProfile.mockResolvedValue(clone(PROFILE));
    await click(element, `open-${FULL_SYNC.id}`);
    await settle();
    return element.shadowRoot.querySelector('c-profile-editor');
}

describe('c-configuration-profiles', () => {
    afterEach(cleanup);

    it('lists profiles with their user counts; the built-in one cannot be deleted', async () => {
        const element = await openScreen();
        expect(text(element, `open-${DEFAULT.id}`)).toBe('Default - Intake Off');
        expect(byId(element, `delete-${DEFAULT.id}`)).toBeNull();
        expect(byId(element, `delete-${FULL_SYNC.id}`)).not.toBeNull();
    });

    it("summarises a profile's enabled and disabled settings on hover", async () => {
        getProfileSummary.mockResolvedValue(clone(SUMMARY));
        const element = await openScreen();
        byId(element, `open-${FULL_SYNC.id}`).parentElement.dispatchEvent(
            new CustomEvent('mouseenter')
        );
        await settle();
        expect(getProfileSummary).toHaveBeenCalledWith({ profileId: FULL_SYNC.id });
        expect(text(element, `summary-${FULL_SYNC.id}`)).toBe(
            'On: Intake Data, Display Data, Push Data, Email Sync, Meeting Sync. Off: Transcript Intake, Contact Creation, Contact Role Creation.'
        );
    });

    it('creates a profile copied from an existing one', async () => {
        createProfile.mockResolvedValue({
            ...clone(PROFILE),
            id: 'new',
            name: 'Sales Team – Full Sync'
        });
        getProfile.mockResolvedValue({
            ...clone(PROFILE),
            id: 'new',
            name: 'Sales Team – Full Sync'
        });
        const element = await openScreen();
        const toasts = captureToasts();
        await click(element, 'add-profile');
        const dialog = openModal();
        expect(dialog.label).toBe('Add Configuration Profile');
        expect(byId(dialog, 'copy-from').options.map((o) => o.label)).toEqual([
            'Start with everything off',
            ...PROFILES.profiles.map((p) => p.name)
        ]);
        await change(dialog, 'new-profile-name', 'Sales Team – Full Sync');
        await change(dialog, 'copy-from', FULL_SYNC.id);
        await click(dialog, 'save-profile');
        expect(openModal()).toBeNull();
        expect(createProfile).toHaveBeenCalledWith({
            name: 'Sales Team – Full Sync',
            copyFromId: FULL_SYNC.id
        });
        expect(toasts[0].title).toBe('Sales Team – Full Sync was created.');
        expect(element.shadowRoot.querySelector('c-profile-editor').profileId).toBe('new');
    });

    it('keeps Add Configuration Profile open with the refusal, sends Save once, and Cancel adds nothing', async () => {
        let refuse;
        createProfile.mockReturnValue(
            new Promise((resolve, reject) => {
                refuse = reject;
            })
        );
        const element = await openScreen();
        await click(element, 'add-profile');
        const dialog = openModal();
        expect(byId(dialog, 'save-profile').disabled).toBe(true); // no name yet
        await change(dialog, 'new-profile-name', 'Sales - Full Sync');
        await click(dialog, 'save-profile');
        await click(dialog, 'save-profile');
        expect(byId(dialog, 'save-profile').label).toBe('Saving…');
        refuse(apexError('A profile named Sales - Full Sync already exists.'));
        await settle();
        expect(createProfile).toHaveBeenCalledTimes(1);
        expect(openModal()).toBe(dialog);
        expect(errorText(dialog)).toContain('A profile named Sales - Full Sync already exists.');
        await click(dialog, 'cancel-profile');
        expect(openModal()).toBeNull();
        expect(listProfiles).toHaveBeenCalledTimes(1);
        expect(element.shadowRoot.querySelector('c-profile-editor')).toBeNull();
    });

    it('opens one Add Configuration Profile dialog however often the button is clicked', async () => {
        const element = await openScreen();
        await click(element, 'add-profile');
        await click(element, 'add-profile');
        expect(document.body.querySelectorAll('[data-modal="open"]')).toHaveLength(1);
        await click(openModal(), 'cancel-profile');
    });

    it('is accessible with Add Configuration Profile open', async () => {
        const element = await openScreen();
        await click(element, 'add-profile');
        await expect(openModal()).toBeAccessible();
        await click(openModal(), 'cancel-profile');
    });

    it('refuses to delete a profile that still has users, with the reason', async () => {
        deleteProfile.mockRejectedValue(
            apexError('Sales - Full Sync still has 1 user; reassign them first.')
        );
        listRules.mockResolvedValue({
            rules: [
                { id: 'r1', name: 'Sales reps', assignments: { profileId: FULL_SYNC.id } },
                { id: 'r2', name: 'Catch-all', assignments: { profileId: DEFAULT.id } }
            ]
        });
        const element = await openScreen();
        await click(element, `delete-${FULL_SYNC.id}`);
        // The confirmation names who is on it and which rules use it before anything is sent.
        expect(deleteProfile).not.toHaveBeenCalled();
        expect(text(openModal(), 'confirm-details')).toContain('1 user is on it');
        expect(text(openModal(), 'confirm-details')).toContain('Used by 1 rule: Sales reps.');
        await click(openModal(), 'confirm-ok');
        expect(deleteProfile).toHaveBeenCalledWith({ profileId: FULL_SYNC.id });
        expect(errorText(openModal())).toContain('still has 1 user; reassign them first.');
    });

    it('opens a profile on the Activity tab with the eight toggles and turns one on', async () => {
        setActivity.mockResolvedValue({ ...PROFILE.activity, transcriptIntake: true });
        const element = await openScreen();
        const editor = await openProfile(element);
        const toggles = [...editor.shadowRoot.querySelectorAll('lightning-input[data-toggle]')];
        expect(toggles.map((t) => `${t.label}:${t.checked}`)).toEqual([
            'Intake Data:true',
            'Transcript Intake:false',
            'Display Data:true',
            'Push Data:true',
            'Email Sync:true',
            'Meeting Sync:true',
            'Contact Creation:false',
            'Contact Role Creation:false'
        ]);
        const transcript = byId(editor, 'toggle-transcriptIntake');
        transcript.checked = true;
        transcript.dispatchEvent(new CustomEvent('change'));
        await settle();
        expect(setActivity).toHaveBeenCalledWith({
            profileId: FULL_SYNC.id,
            toggles: { transcriptIntake: true }
        });
        expect(text(editor, 'profile-notice')).toBe('Transcript Intake is on.');
    });

    it('renames a profile', async () => {
        updateProfile.mockResolvedValue(clone(PROFILE));
        const element = await openScreen();
        const editor = await openProfile(element);
        await change(editor, 'profile-name', 'Sales - Everything');
        await click(editor, 'rename-profile');
        expect(updateProfile).toHaveBeenCalledWith({
            profileId: FULL_SYNC.id,
            changes: { name: 'Sales - Everything' }
        });
    });

    it('is accessible with a profile open', async () => {
        const element = await openScreen();
        await openProfile(element);
        await expect(element).toBeAccessible();
    });

    it('opens with one callout: the list of profiles', async () => {
        await openScreen();
        expect(calloutsMade()).toEqual(['ProfilesController.listProfiles']);
    });
});
