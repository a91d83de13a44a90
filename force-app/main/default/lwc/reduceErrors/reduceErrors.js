/**
 * Reduces one or more errors (Apex AuraHandledExceptions, wire errors, JS errors, strings) to a
 * list of messages, so every screen shows errors the same way.
 */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    return list
        .filter((error) => !!error)
        .map((error) => {
            if (typeof error === 'string') return error;
            if (Array.isArray(error.body)) return error.body.map((e) => e.message);
            if (error.body && typeof error.body.message === 'string') return error.body.message;
            if (error.body && error.body.pageErrors && error.body.pageErrors.length) {
                return error.body.pageErrors.map((e) => e.message);
            }
            if (typeof error.message === 'string') return error.message;
            return error.statusText;
        })
        .flat()
        .filter((message) => !!message);
}
