import { LightningElement, api } from 'lwc';

/**
 * lightning-file-upload outside Salesforce (the base components package does not ship it): the admin picks files,
 * each is uploaded to the simulated org's Salesforce Files as a ContentVersion owned by the admin (the preview
 * server's /__files, as the platform's upload servlet does), then `uploadfinished` reports them as the real
 * component does: detail.files = [{ name, documentId, contentVersionId }].
 */
export default class FileUpload extends LightningElement {
  @api label;
  @api name;
  @api accept;
  @api recordId;
  @api multiple = false;
  @api disabled = false;
  uploading = false;
  error;

  get inputDisabled() {
    return this.disabled || this.uploading;
  }

  async handleChange(event) {
    // The event's target is gone once the first await has let the event finish.
    const input = event.target;
    const chosen = [...(input.files || [])];
    if (!chosen.length) return;
    this.uploading = true;
    this.error = undefined;
    try {
      const files = [];
      for (const file of chosen) {
        const response = await fetch(`/__files?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        });
        if (!response.ok) throw new Error(`The upload answered ${response.status}.`);
        files.push(await response.json());
      }
      this.dispatchEvent(new CustomEvent('uploadfinished', { detail: { files } }));
    } catch (err) {
      this.error = err.message;
    } finally {
      this.uploading = false;
      input.value = ''; // the same file picked again is a new upload
    }
  }
}
