import { LightningElement, api } from 'lwc';

/**
 * An export the service wrote as a Salesforce file shared with the admin ({ title, size, downloadUrl }): the link
 * downloads it from the org with the admin's own session, whatever its size (no data: URI). Light DOM, so the
 * screen's tests and styles reach the link.
 */
export default class FileDownload extends LightningElement {
    static renderMode = 'light';
    @api file;

    get size() {
        const bytes = (this.file && this.file.size) || 0;
        return bytes >= 1048576
            ? `${(bytes / 1048576).toFixed(1)} MB`
            : `${Math.max(1, Math.round(bytes / 1024))} KB`;
    }
}
