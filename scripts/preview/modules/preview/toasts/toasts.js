import { LightningElement } from 'lwc';

let nextId = 1;

/** Shows the toasts that screens raise with ShowToastEvent, as Lightning Experience would. */
export default class Toasts extends LightningElement {
  toasts = [];

  connectedCallback() {
    this.onToast = (event) => {
      const { title, message, variant = 'info' } = event.detail ?? {};
      const toast = { id: nextId++, title, message, className: `slds-notify slds-notify_toast slds-theme_${variant}` };
      this.toasts = [...this.toasts, toast];
      setTimeout(() => this.remove(toast.id), 8000);
    };
    document.addEventListener('lightning__showtoast', this.onToast);
  }

  disconnectedCallback() {
    document.removeEventListener('lightning__showtoast', this.onToast);
  }

  dismiss(event) {
    this.remove(Number(event.currentTarget.dataset.key));
  }

  remove(id) {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
