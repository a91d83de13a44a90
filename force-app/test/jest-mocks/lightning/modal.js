/**
 * lightning/modal for jest (sfdx-lwc-jest ships no stub): `open()` mounts the dialog in document.body, as the
 * platform's overlay container does, and resolves with what `close()` is given; the test drives the dialog's
 * own template like the admin would.
 */
import { LightningElement, api, createElement } from 'lwc';

const resolvers = new WeakMap();
let opened = 0;

export default class LightningModal extends LightningElement {
    @api label;
    @api size;
    @api description;
    @api disableClose = false;

    static open(props = {}) {
        opened += 1;
        const element = createElement(`c-modal-${opened}`, { is: this });
        Object.entries(props).forEach(([key, value]) => {
            element[key] = value;
        });
        element.dataset.modal = 'open';
        return new Promise((resolve) => {
            resolvers.set(element, resolve);
            document.body.appendChild(element);
        });
    }

    @api
    close(result) {
        if (this.disableClose) return;
        const host = this.template.host;
        const resolve = resolvers.get(host);
        resolvers.delete(host);
        host.remove();
        if (resolve) resolve(result);
    }
}
