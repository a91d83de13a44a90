/**
 * How screens tell the admin an outcome: a Lightning toast (lightning/platformShowToastEvent), the way Setup
 * does. Successes fade; failures of an action outside a dialog stay until closed. Errors inside a dialog are
 * shown in the dialog instead (c-error-panel), beside what failed.
 */
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { reduceErrors } from 'c/reduceErrors';

function toast(component, detail) {
    component.dispatchEvent(new ShowToastEvent(detail));
}

/** A finished action, with any warnings the service attached to it (e.g. a team now has two managers). */
export function toastSuccess(component, message, warnings = []) {
    if (warnings && warnings.length) {
        toast(component, {
            title: message,
            message: warnings.join(' '),
            variant: 'warning',
            mode: 'sticky'
        });
    } else {
        toast(component, { title: message, variant: 'success' });
    }
}

export function toastError(component, error, title = 'That did not work.') {
    toast(component, {
        title,
        message: reduceErrors(error).join(' '),
        variant: 'error',
        mode: 'sticky'
    });
}

export function toastInfo(component, message) {
    toast(component, { title: message, variant: 'info' });
}
