/** lightning/platformShowToastEvent outside Salesforce: the same event, caught by preview-toasts. */
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', { composed: true, bubbles: true, cancelable: true, detail: toast });
  }
}
