import RoleHierarchy from 'c/roleHierarchy';
import listRoles from '@salesforce/apex/RolesController.listRoles';
import setRoleImport from '@salesforce/apex/RolesController.setRoleImport';
import previewRoleImport from '@salesforce/apex/RolesController.previewRoleImport';
import importRoles from '@salesforce/apex/RolesController.importRoles';
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
    words
} from 'roster-test';

const ROLES = require('./data/listRoles.json');
const PREVIEW = require('./data/previewRoleImport.json');
const RESULT = require('./data/importRoles.json');
const [, VP, AE] = ROLES.roles;

async function openScreen(data = ROLES) {
    listRoles.mockResolvedValue(clone(data));
    const element = mount('c-role-hierarchy', RoleHierarchy);
    await settle();
    return element;
}

async function toggle(element, role, on) {
    const input = byId(element, `role-${role.sfRoleId}`).querySelector('lightning-input');
    input.checked = on;
    input.dispatchEvent(new CustomEvent('change'));
    await settle();
}

describe('c-role-hierarchy', () => {
    afterEach(cleanup);

    it('shows the role tree with a toggle and user count per role', async () => {
        const element = await openScreen();
        expect(words(byId(element, 'role-list'))).toBe(
            'CEO 1 active user VP Sales 2 active users AE West 5 active users'
        );
        expect(byId(element, `role-${AE.sfRoleId}`).querySelector('div').style.paddingLeft).toBe(
            '3rem'
        );
        expect(byId(element, `role-${VP.sfRoleId}`).querySelector('lightning-input').checked).toBe(
            true
        );
    });

    it('saves each toggle as the admin flips it', async () => {
        setRoleImport.mockResolvedValue({ ...clone(AE), importEnabled: true });
        const element = await openScreen();
        await toggle(element, AE, true);
        expect(setRoleImport).toHaveBeenCalledWith({ sfRoleId: AE.sfRoleId, importEnabled: true });
        await toggle(element, VP, false);
        expect(setRoleImport).toHaveBeenLastCalledWith({
            sfRoleId: VP.sfRoleId,
            importEnabled: false
        });
    });

    it('previews the teams and users to create and the users skipped with the reason', async () => {
        previewRoleImport.mockResolvedValue(clone(PREVIEW));
        const element = await openScreen();
        expect(byId(element, 'import-roles').disabled).toBe(true);
        await click(element, 'preview-import');
        expect(previewRoleImport).toHaveBeenCalledWith();
        expect(text(element, 'preview-teams')).toBe(
            'Teams to create (1) VP Sales under Top-level team'
        );
        expect(text(element, 'preview-users')).toBe(
            'Users to create (1) Vera Price (vp@example.com) → VP Sales'
        );
        expect(text(element, 'preview-skipped')).toBe(
            'Salesforce users skipped (1) Ian Active (ian@example.com): inactive in Salesforce'
        );
    });

    it('imports after the preview, showing progress, then the result', async () => {
        previewRoleImport.mockResolvedValue(clone(PREVIEW));
        let finish;
        importRoles.mockReturnValue(new Promise((resolve) => (finish = resolve)));
        const element = await openScreen();
        await click(element, 'preview-import');
        await click(element, 'import-roles');
        expect(text(element, 'role-import-progress')).toBe('Importing teams and users…');
        finish(clone(RESULT));
        await settle();
        expect(importRoles).toHaveBeenCalledWith();
        expect(text(element, 'role-import-result')).toBe(
            'Imported 1 teams and 1 users with the Default - Intake Off profile; 1 skipped.'
        );
        expect(byId(element, 'role-import-progress')).toBeNull();
    });

    it('cannot preview with no role enabled, and says when there are no roles', async () => {
        const element = await openScreen({
            roles: ROLES.roles.map((r) => ({ ...r, importEnabled: false }))
        });
        expect(byId(element, 'preview-import').disabled).toBe(true);
        cleanup();
        const empty = await openScreen({ roles: [] });
        expect(text(empty, 'empty-roles')).toContain('No Salesforce roles yet');
    });

    it("shows the service's message when the import fails", async () => {
        previewRoleImport.mockRejectedValue(
            apexError('Role import is only available in Manual Mode.')
        );
        const element = await openScreen();
        await click(element, 'preview-import');
        expect(errorText(element)).toContain('Role import is only available in Manual Mode.');
    });

    it('is accessible', async () => {
        previewRoleImport.mockResolvedValue(clone(PREVIEW));
        const element = await openScreen();
        await click(element, 'preview-import');
        await expect(element).toBeAccessible();
    });
});
