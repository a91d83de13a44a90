import { LightningElement, api } from 'lwc';
import { getTeamHistory } from 'c/rosterService';
import { formatDateTime } from 'c/rosterVocabulary';

const COLUMNS = [
    { label: 'Name', fieldName: 'name' },
    { label: 'Email', fieldName: 'email' },
    { label: 'Joined', fieldName: 'started' },
    { label: 'Left', fieldName: 'ended' }
];

/**
 * A team's membership history: who was in it and when, newest first, loaded a page at a time. The screen's
 * answer carries the first page of one team (`firstPage`: { teamId, items, nextCursor }); others are loaded.
 */
export default class TeamHistory extends LightningElement {
    columns = COLUMNS;
    items = [];
    nextCursor = null;
    loading = false;
    error;
    _teamId;

    @api
    get teamId() {
        return this._teamId;
    }
    set teamId(value) {
        if (value === this._teamId) return;
        this._teamId = value;
        this.items = [];
        this.nextCursor = null;
        this.show();
    }

    @api
    get firstPage() {
        return this._firstPage;
    }
    set firstPage(value) {
        this._firstPage = value;
        this.show();
    }

    connectedCallback() {
        this.connected = true;
        this.show();
    }

    /** The first page: the screen's when it is this team's, else loaded (once connected: both props are set by then). */
    show() {
        const given = this._firstPage;
        if (!this._teamId) return;
        if (given && given.teamId === this._teamId) {
            this.items = given.items;
            this.nextCursor = given.nextCursor;
            this.error = undefined;
        } else if (this.connected) this.load();
    }

    get rows() {
        return this.items.map((p, i) => ({
            key: `${p.userId}-${p.startedAt}-${i}`,
            name: [p.firstName, p.lastName].filter(Boolean).join(' ') || p.email,
            email: p.email,
            started: formatDateTime(p.startedAt),
            ended: p.endedAt ? formatDateTime(p.endedAt) : 'Still a member'
        }));
    }
    get isEmpty() {
        return !this.loading && !this.error && this.items.length === 0;
    }
    get hasMore() {
        return !!this.nextCursor;
    }

    async load(cursor) {
        const teamId = this._teamId;
        this.loading = true;
        try {
            const page = await getTeamHistory({ teamId, cursor: cursor || null });
            if (teamId !== this._teamId) return;
            this.items = [...(cursor ? this.items : []), ...page.items];
            this.nextCursor = page.nextCursor;
            this.error = undefined;
        } catch (error) {
            this.error = error;
        } finally {
            this.loading = false;
        }
    }

    loadMore() {
        if (this.nextCursor && !this.loading) this.load(this.nextCursor);
    }
}
