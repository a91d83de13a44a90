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

/** Room for the More button before it was measured (its label and chevron, as SLDS draws them). */
const MORE_WIDTH_ESTIMATE = 90;

const fromHash = () => {
  const name = window.location.hash.replace(/^#\/?/, '');
  return TABS.some((tab) => tab.name === name) ? name : TABS[0].name;
};

/**
 * The app shell: Lightning's navigation bar with one tab per screen, and the current screen. The tabs that do not
 * fit the window's width fold into More, as Lightning's app navigation does (the current tab always stays in the
 * bar), so a 1024 px window never scrolls sideways.
 */
export default class App extends LightningElement {
  current = fromHash();
  /** How many tabs the bar shows, in order (the rest are under More); all of them until measured. */
  fitting = TABS.length;
  moreOpen = false;
  /** Each tab's width in the bar, and the More button's, measured once each is drawn. */
  widths = new Map();
  moreWidth;

  connectedCallback() {
    this.onHashChange = () => {
      this.current = fromHash();
      this.moreOpen = false;
      this.layOut();
    };
    window.addEventListener('hashchange', this.onHashChange);
    // A link to another Roster tab goes where Lightning would take it; a click elsewhere closes More.
    this.onClick = (event) => {
      const path = event.composedPath();
      if (this.moreOpen && !path.includes(this.refs.more)) this.moreOpen = false;
      const link = path.find((n) => n.tagName === 'A');
      const match = link && /\/lightning\/n\/(\w+)/.exec(link.getAttribute('href') || '');
      if (match && TAB_PAGES[match[1]]) {
        event.preventDefault();
        window.location.hash = `#/${TAB_PAGES[match[1]]}`;
      }
    };
    document.addEventListener('click', this.onClick);
  }

  renderedCallback() {
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.layOut());
      this.resizeObserver.observe(this.refs.nav);
    }
    this.measure();
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHashChange);
    document.removeEventListener('click', this.onClick);
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  /** Widths of what the bar draws that were not measured yet; a first measure lays the bar out again. */
  measure() {
    let measured = false;
    for (const item of this.refs.nav.querySelectorAll('li[data-tab]')) {
      if (!this.widths.has(item.dataset.tab)) {
        this.widths.set(item.dataset.tab, item.getBoundingClientRect().width);
        measured = true;
      }
    }
    if (this.moreWidth === undefined && this.hasMore && this.refs.more) {
      this.moreWidth = this.refs.more.getBoundingClientRect().width;
      measured = true;
    }
    if (measured) this.layOut();
  }

  /** The tabs that fit the bar's width, in order, with room for More when some do not. */
  layOut() {
    const nav = this.refs?.nav;
    if (!nav || TABS.some((tab) => !this.widths.has(tab.name))) return;
    const room = nav.clientWidth;
    const width = (tabs) => tabs.reduce((sum, tab) => sum + this.widths.get(tab.name), 0);
    let fitting = TABS.length;
    if (width(TABS) > room) {
      const left = room - (this.moreWidth ?? MORE_WIDTH_ESTIMATE);
      const current = TABS.find((tab) => tab.name === this.current);
      // The current tab takes the place of the last ones that fit when it is not among them.
      const fits = (count) => {
        const bar = TABS.slice(0, count);
        return width(bar.includes(current) ? bar : [...bar.slice(0, -1), current]) <= left;
      };
      fitting = 0;
      while (fitting < TABS.length && fits(fitting + 1)) fitting += 1;
    }
    if (fitting !== this.fitting) this.fitting = fitting;
  }

  get shownTabs() {
    const tabs = TABS.map((tab) => ({
      ...tab,
      href: `#/${tab.name}`,
      dataId: `nav-${tab.name}`,
      current: tab.name === this.current ? 'page' : undefined,
      itemClass: `slds-context-bar__item${tab.name === this.current ? ' slds-is-active' : ''}`,
    }));
    const bar = tabs.slice(0, this.fitting);
    const index = tabs.findIndex((tab) => tab.name === this.current);
    // The current tab stays in the bar, in the place of the last one that fits.
    if (index >= this.fitting && this.fitting > 0) bar.splice(this.fitting - 1, 1, tabs[index]);
    return { bar, more: tabs.filter((tab) => !bar.includes(tab)) };
  }

  get barTabs() {
    return this.shownTabs.bar;
  }
  get moreTabs() {
    return this.shownTabs.more;
  }
  get hasMore() {
    return this.moreTabs.length > 0;
  }
  get moreExpanded() {
    return this.moreOpen ? 'true' : 'false';
  }
  get moreClass() {
    return `slds-context-bar__item slds-context-bar__dropdown-trigger slds-dropdown-trigger slds-dropdown-trigger_click${this.moreOpen ? ' slds-is-open' : ''}`;
  }

  get show() {
    return Object.fromEntries(TABS.map((tab) => [tab.name, tab.name === this.current]));
  }

  toggleMore() {
    this.moreOpen = !this.moreOpen;
  }

  /** Focus that leaves More (Tab past its last tab) closes it. */
  handleMoreFocusOut(event) {
    if (this.moreOpen && !this.refs.more.contains(event.relatedTarget)) this.moreOpen = false;
  }

  /** Escape closes More and gives focus back to its button. */
  handleMoreKey(event) {
    if (event.key !== 'Escape' || !this.moreOpen) return;
    event.stopPropagation();
    this.moreOpen = false;
    this.refs.moreButton.focus();
  }

  handleNavigate(event) {
    event.preventDefault();
    this.moreOpen = false;
    window.location.hash = `#/${event.currentTarget.dataset.name}`;
  }
}
