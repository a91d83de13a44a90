import { LightningElement, wire } from 'lwc';
import listPermissionErrors from '@salesforce/apex/PermissionErrorsController.listPermissionErrors';
import { exportPermissionErrors, testAccess, refreshApex } from 'c/rosterService';
import { downloadText } from 'c/rosterVocabulary';

const COLUMNS = [
    { label: 'Email', fieldName: 'email' },
    {
        label: 'Since',
        fieldName: 'since',
        type: 'date',
        typeAttributes: {
            year: 'numeric',
            month: 'short',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit'
        }
    },
    { label: 'Reason', fieldName: 'reasonText', wrapText: true },
    { label: 'Fix', fieldName: 'fix', wrapText: true },
    { label: 'Provider said', fieldName: 'providerMessage', wrapText: true },
    {
        type: 'button',
        typeAttributes: { label: 'Test access now', name: 'test', variant: 'neutral' }
    }
];

/** Users whose mailbox or calendar Roster cannot read: since when, why, the fix, a re-probe and CSV export. */
export default class PermissionErrors extends LightningElement {
    columns = COLUMNS;
    rows = [];
    total = 0;
    error;
    actionError;
    result;
    wired;

    @wire(listPermissionErrors)
    receive(result) {
        this.wired = result;
        if (result.data) {
            this.total = result.data.total;
            this.rows = result.data.items.map((item) => ({
                ...item,
                id: item.userId,
                reasonText: `${item.reason.label}: ${item.reason.reason}`,
                fix: item.reason.fix,
                providerMessage: item.provider
                    ? [item.provider.httpStatus, item.provider.message].filter(Boolean).join(' ')
                    : ''
            }));
            this.error = undefined;
        }
        if (result.error) this.error = result.error;
    }

    get isEmpty() {
        return !this.error && this.wired && this.wired.data && this.rows.length === 0;
    }

    async handleRowAction(event) {
        const { row } = event.detail;
        this.actionError = undefined;
        this.result = undefined;
        try {
            const outcome = await testAccess({ userId: row.userId });
            this.result =
                outcome.outcome === 'ok'
                    ? `${outcome.email}: access works now.`
                    : `${outcome.email}: still failing${outcome.reason ? ` (${outcome.reason.label}). ${outcome.reason.fix}` : '.'}`;
            await refreshApex(this.wired);
        } catch (error) {
            this.actionError = error;
        }
    }

    async handleExport() {
        this.actionError = undefined;
        try {
            downloadText(await exportPermissionErrors(), 'roster-permission-errors.csv');
        } catch (error) {
            this.actionError = error;
        }
    }
}
