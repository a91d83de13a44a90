import UsersAndTeams from 'c/usersAndTeams';
import TeamHierarchy from 'c/teamHierarchy';
import RoleHierarchy from 'c/roleHierarchy';
import IntegrationHealth from 'c/integrationHealth';
import UserSettingsRules from 'c/userSettingsRules';
import ConfigurationProfiles from 'c/configurationProfiles';
import MailboxAccess from 'c/mailboxAccess';
import AuditLog from 'c/auditLog';
import { mount, cleanup, settle, apexError, errorText } from 'roster-test';

// Every tab of the app: the page's title, its component, the Apex method of its first load, and what the page
// frame says when that load fails.
const TABS = [
    [
        'Users and Teams',
        UsersAndTeams,
        'ScreensController.getUsersAndTeamsScreen',
        'The users could not be loaded.'
    ],
    [
        'Team Hierarchy',
        TeamHierarchy,
        'ScreensController.getTeamHierarchyScreen',
        'The team hierarchy could not be loaded.'
    ],
    [
        'Salesforce Role Hierarchy',
        RoleHierarchy,
        'ScreensController.getRoleHierarchyScreen',
        'The role hierarchy could not be loaded.'
    ],
    [
        'Integration Health',
        IntegrationHealth,
        'ScreensController.getIntegrationHealthScreen',
        'The integration health could not be loaded.'
    ],
    [
        'User Settings Rules',
        UserSettingsRules,
        'ScreensController.getUserSettingsRulesScreen',
        'The rules could not be loaded.'
    ],
    [
        'Configuration Profiles',
        ConfigurationProfiles,
        'ProfilesController.listProfiles',
        'Configuration profiles could not be loaded.'
    ],
    [
        'Mailbox Access',
        MailboxAccess,
        'PermissionErrorsController.getMailboxStats',
        'The mailbox settings could not be loaded.'
    ],
    ['Audit Log', AuditLog, 'AuditController.listAuditLog', 'The audit log could not be loaded.']
];

describe('every Roster tab', () => {
    afterEach(cleanup);

    it.each(TABS)(
        '%s opens in the Roster page frame and says there when it cannot be loaded',
        async (heading, Component, firstLoad, errorHeading) => {
            require(`@salesforce/apex/${firstLoad}`).default.mockRejectedValue(
                apexError('The Roster service could not be reached.')
            );
            const element = mount('c-tab', Component);
            await settle();
            const page = element.shadowRoot.querySelector('c-roster-page');
            expect(page.heading).toBe(heading);
            expect(page.iconName).toMatch(/^standard:/);
            expect(page.description).toBeTruthy();
            expect(errorText(page)).toContain(errorHeading);
            expect(errorText(page)).toContain('The Roster service could not be reached.');
        }
    );
});
