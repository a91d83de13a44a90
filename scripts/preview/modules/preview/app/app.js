import { LightningElement } from 'lwc';

/** The Roster Lightning app's navigation, as the org shows it: one tab per screen. */
const TABS = [
  { name: 'usersAndTeams', label: 'Users and Teams' },
  { name: 'teamHierarchy', label: 'Team Hierarchy' },
  { name: 'roleHierarchy', label: 'Salesforce Role Hierarchy' },
  { name: 'userSettingsRules', label: 'User Settings Rules' },
  { name: 'configurationProfiles', label: 'Configuration Profiles' },
  { name: 'integrationHealth', label: 'Integration Health' },
  { name: 'mailboxAccess', label: 'Mailbox Access' },
  { name: 'auditLog', label: 'Audit Log' },
];
/** Lightning tab URLs (/lightning/n/Roster_...) that screens link to, as the preview's routes. */
const TAB_PAGES = {
  Roster_Users_and_Teams: 'usersAndTeams',
  Roster_Team_Hierarchy: 'teamHierarchy',
  Roster_Role_Hierarchy: 'roleHierarchy',
  Roster_User_Settings_Rules: 'userSettingsRules',
  Roster_Configuration_Profiles: 'configurationProfiles',
  Roster_Integration_Health: 'integrationHealth',
  Roster_Mailbox_Access: 'mailboxAccess',
  Roster_Audit_Log: 'auditLog',
};

const fromHash = () => {
  const name = window.location.hash.replace(/^#\/?/, '');
  return TABS.some((tab) => tab.name === name) ? name : TABS[0].name;
};

export default class App extends LightningElement {
  current = fromHash();

  connectedCallback() {
    this.onHashChange = () => {
      this.current = fromHash();
    };
    window.addEventListener('hashchange', this.onHashChange);
    // A link to another Roster tab goes where Lightning would take it.
    this.onClick = (event) => {
      const link = event.composedPath().find((n) => n.tagName === 'A');
      const match = link && /\/lightning\/n\/(\w+)/.exec(link.getAttribute('href') || '');
      if (match && TAB_PAGES[match[1]]) {
        event.preventDefault();
        window.location.hash = `#/${TAB_PAGES[match[1]]}`;
      }
    };
    document.addEventListener('click', this.onClick);
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHashChange);
    document.removeEventListener('click', this.onClick);
  }

  get tabs() {
    return TABS.map((tab) => ({
      ...tab,
      href: `#/${tab.name}`,
      dataId: `nav-${tab.name}`,
      current: tab.name === this.current ? 'page' : undefined,
      itemClass: `slds-context-bar__item${tab.name === this.current ? ' slds-is-active' : ''}`,
    }));
  }

  get show() {
    return Object.fromEntries(TABS.map((tab) => [tab.name, tab.name === this.current]));
  }

  handleNavigate(event) {
    event.preventDefault();
    window.location.hash = `#/${event.currentTarget.dataset.name}`;
  }
}
