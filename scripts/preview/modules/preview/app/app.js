import { LightningElement } from 'lwc';

/** The Roster Lightning app's navigation, as the org shows it: one tab per screen. */
const TABS = [
    { name: 'usersAndTeams', label: 'Users and Teams' },
    { name: 'teamHierarchy', label: 'Team Hierarchy' },
    { name: 'roleHierarchy', label: 'Salesforce Role Hierarchy' },
    { name: 'userSettingsRules', label: 'User Settings Rules' },
    { name: 'configurationProfiles', label: 'Configuration Profiles' },
    { name: 'integrationHealth', label: 'Integration Health' }
];

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
    }

    disconnectedCallback() {
        window.removeEventListener('hashchange', this.onHashChange);
    }

    get tabs() {
        return TABS.map((tab) => ({
            ...tab,
            href: `#/${tab.name}`,
            dataId: `nav-${tab.name}`,
            current: tab.name === this.current ? 'page' : undefined,
            itemClass: `slds-context-bar__item${tab.name === this.current ? ' slds-is-active' : ''}`
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
