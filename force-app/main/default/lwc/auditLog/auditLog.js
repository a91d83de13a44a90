import { LightningElement } from 'lwc';
import { listAuditLog, listUsers } from 'c/rosterService';
import { userName } from 'c/rosterLookup';
import { ACTION_LABELS, SERVICE_ACTORS, actionLabel, describeChange } from './auditVocabulary';

const PAGE_SIZE = 50;
const ANYONE = '';
const A_PERSON = 'person';
const ACTOR_OPTIONS = [
    { label: 'Anyone', value: ANYONE },
    { label: 'An admin…', value: A_PERSON },
    ...Object.entries(SERVICE_ACTORS).map(([value, label]) => ({ label, value }))
];
const ACTION_OPTIONS = [
    { label: 'Any action', value: '' },
    ...Object.entries(ACTION_LABELS)
        .map(([value, label]) => ({ label, value }))
        .sort((a, b) => a.label.localeCompare(b.label))
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The admin's local midnight of a day picked in a date input ('2026-12-01'), as ISO 8601; `days` later if asked. */
function localMidnight(day, days = 0) {
    const [y, m, d] = day.split('-').map(Number);
    return new Date(y, m - 1, d + days).toISOString();
}

/**
 * Audit Log: every change, who made it (an admin, the Salesforce sync or Roster), when, and before → after; newest
 * first, a page at a time, filtered by who, what, when and the user it was about. People are shown by name.
 */
export default class AuditLog extends LightningElement {
    actorOptions = ACTOR_OPTIONS;
    actionOptions = ACTION_OPTIONS;
    actorKind = ANYONE;
    actorUserId = '';
    actorLabel = '';
    action = '';
    fromDay = '';
    toDay = '';
    aboutUserId = '';
    aboutLabel = '';
    entries = [];
    names = new Map(); // Roster user id -> name
    cursors = [null]; // the cursor of each page seen, to go back
    pageIndex = 0;
    nextCursor = null;
    loading = false;
    loadError;
    filterError = '';

    connectedCallback() {
        this.load();
    }

    get isPerson() {
        return this.actorKind === A_PERSON;
    }
    get query() {
        const actor = this.isPerson ? this.actorUserId : this.actorKind;
        return {
            actor: actor || null,
            action: this.action || null,
            targetType: this.aboutUserId ? 'user' : null,
            targetId: this.aboutUserId || null,
            from: this.fromDay ? localMidnight(this.fromDay) : null,
            to: this.toDay ? localMidnight(this.toDay, 1) : null,
            limit: PAGE_SIZE,
            cursor: this.cursors[this.pageIndex]
        };
    }

    async load() {
        if (this.fromDay && this.toDay && this.fromDay > this.toDay) {
            this.filterError = 'The first day must not be after the last day.';
            return;
        }
        this.filterError = '';
        this.loading = true;
        const request = (this.request || 0) + 1;
        this.request = request;
        try {
            const page = await listAuditLog({ query: this.query });
            await this.loadNames(page.items);
            // A slower answer to older filters must not replace a newer one.
            if (request !== this.request) return;
            this.entries = page.items;
            this.nextCursor = page.nextCursor;
            this.loadError = undefined;
        } catch (error) {
            if (request === this.request) this.loadError = error;
        } finally {
            if (request === this.request) this.loading = false;
        }
    }

    /** Actors and the users entries are about, by name: one call per page for the ones not known yet. */
    async loadNames(items) {
        const ids = new Set();
        items.forEach((e) => {
            if (UUID.test(e.actor)) ids.add(e.actor);
            if (e.targetType === 'user' && e.targetId) ids.add(e.targetId);
        });
        const missing = [...ids].filter((id) => !this.names.has(id));
        if (!missing.length) return;
        const page = await listUsers({ query: { ids: missing.join(','), limit: missing.length } });
        const names = new Map(this.names);
        page.items.forEach((u) => names.set(u.id, `${userName(u)} (${u.email})`));
        this.names = names;
    }

    nameOf(id) {
        return this.names.get(id) || SERVICE_ACTORS[id] || 'A user no longer in Roster';
    }

    get rows() {
        return this.entries.map((e) => {
            const about =
                e.targetType === 'user' && e.targetId
                    ? this.nameOf(e.targetId)
                    : e.targetType.replace(/_/g, ' ');
            const details = describeChange(e.before, e.after);
            return {
                key: e.id,
                dataId: `entry-${e.id}`,
                at: e.at,
                actor: this.nameOf(e.actor),
                action: actionLabel(e.action),
                about,
                details
            };
        });
    }
    get isEmpty() {
        return !this.loading && !this.loadError && this.entries.length === 0;
    }
    get previousDisabled() {
        return this.loading || this.pageIndex === 0;
    }
    get nextDisabled() {
        return this.loading || !this.nextCursor;
    }
    get pageText() {
        return `Page ${this.pageIndex + 1}`;
    }

    /** Any filter change starts again at the newest entry. */
    refilter() {
        this.cursors = [null];
        this.pageIndex = 0;
        return this.load();
    }
    handleActorKind(event) {
        this.actorKind = event.detail.value;
        if (!this.isPerson) {
            this.actorUserId = '';
            this.actorLabel = '';
        }
        // An admin is chosen in the lookup next; until then the filter stays as it was.
        if (!this.isPerson) this.refilter();
    }
    handleActorUser(event) {
        this.actorUserId = event.detail.value || '';
        this.actorLabel = event.detail.label || '';
        this.refilter();
    }
    handleAction(event) {
        this.action = event.detail.value;
        this.refilter();
    }
    handleFrom(event) {
        this.fromDay = event.detail.value || '';
        this.refilter();
    }
    handleTo(event) {
        this.toDay = event.detail.value || '';
        this.refilter();
    }
    handleAboutUser(event) {
        this.aboutUserId = event.detail.value || '';
        this.aboutLabel = event.detail.label || '';
        this.refilter();
    }
    clearFilters() {
        this.actorKind = ANYONE;
        this.actorUserId = '';
        this.actorLabel = '';
        this.action = '';
        this.fromDay = '';
        this.toDay = '';
        this.aboutUserId = '';
        this.aboutLabel = '';
        this.refilter();
    }

    nextPage() {
        if (this.nextDisabled) return;
        this.cursors = [...this.cursors.slice(0, this.pageIndex + 1), this.nextCursor];
        this.pageIndex += 1;
        this.load();
    }
    previousPage() {
        if (this.previousDisabled) return;
        this.pageIndex -= 1;
        this.load();
    }
}
