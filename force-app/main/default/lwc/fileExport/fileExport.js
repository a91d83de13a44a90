import { LightningElement, api } from 'lwc';

/**
 * An export the service writes as a Salesforce file shared with the admin: the job's progress while it runs, then
 * the file ({ title, size, downloadUrl }), downloaded from the org with the admin's own session whatever its size
 * (no data: URI). Light DOM, so the screen's tests and styles reach the bar and the link.
 */
export default class FileExport extends LightningElement {
    static renderMode = 'light';
    @api job;
    @api file;

    get size() {
        const bytes = (this.file && this.file.size) || 0;
        return bytes >= 1048576
            ? `${(bytes / 1048576).toFixed(1)} MB`
            : `${Math.max(1, Math.round(bytes / 1024))} KB`;
    }
}
