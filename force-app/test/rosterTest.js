/** What the LWC tests share: mounting a screen, waiting for it, and finding things the admin sees. */
import { createElement } from 'lwc';
import getJob from '@salesforce/apex/JobsController.getJob';
import listRunningJobs from '@salesforce/apex/JobsController.listRunningJobs';
import { polling, forgetRunningJobs } from 'c/jobProgress';

// Jobs are polled without waiting in tests; the answers below decide what each poll sees.
polling.intervalMs = 0;

// Every @AuraEnabled method of force-app's Apex; each one calls out to the Roster service.
const { auraEnabledMethods } = require('./apexMocks.cjs');

/**
 * The Apex methods called since the test began, by Class.method: imperative calls, and wired (cacheable) ones
 * by their live wire instances. Each is one callout or more to the service; Apex allows few per page load.
 */
export function calloutsMade() {
    return auraEnabledMethods().filter((name) => {
        const method = require(`@salesforce/apex/${name}`).default;
        const wired = method.adapter && method.adapter._wireInstances;
        return method.mock.calls.length > 0 || (wired && wired.size > 0);
    });
}

export function mount(tag, Component, props = {}) {
    const element = createElement(tag, { is: Component });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

export function cleanup() {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    toastListeners
        .splice(0)
        .forEach((listener) => document.removeEventListener('lightning__showtoast', listener));
    jest.clearAllMocks();
    forgetRunningJobs();
    jobs.clear();
}

const jobs = new Map();
let jobCount = 0;
getJob.mockImplementation(({ jobId }) => {
    const answers = jobs.get(jobId);
    if (!answers) return Promise.reject(apexError(`Job ${jobId} was not found.`));
    return answers.length > 1 ? answers.shift() : answers[0];
});

/**
 * The service's side of one job, as the screen sees it through Apex: `start` (the Apex method that starts it)
 * answers queued, each poll answers the next of `steps` (running, with phase/done/total), then the end: the
 * `result`, or the `error` ({ code, message }), with `omitted` (how many items each list of them lost to the
 * service's cut, by path). With `hold`, the end waits for release(), so a test can look at the progress bar mid-way.
 */
export function jobAnswers(
    start,
    { kind, params = {}, result = null, error, omitted = {}, steps = [], hold = false }
) {
    jobCount += 1;
    const base = {
        id: `job-${jobCount}`,
        kind,
        params,
        phase: null,
        done: 0,
        total: null,
        result: null,
        omitted: {},
        error: null
    };
    let release;
    const gate = hold ? new Promise((resolve) => (release = resolve)) : Promise.resolve();
    const end = error
        ? { ...base, state: 'failed', error, omitted }
        : { ...base, state: 'succeeded', phase: 'Done', done: 1, total: 1, result, omitted };
    jobs.set(base.id, [
        ...steps.map((step) => Promise.resolve({ ...base, state: 'running', ...step })),
        gate.then(() => end)
    ]);
    if (start) start.mockResolvedValueOnce({ ...base, state: 'queued' });
    return {
        id: base.id,
        job: { ...base, state: 'running', ...(steps[0] || {}) },
        release: () => release()
    };
}

/** The next poll of a job waits for the test, which answers it with `update`: a bar seen before and after it moves. */
export function holdNextPoll() {
    let answer;
    getJob.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    return (update) => answer(update);
}

/** After a reload: the service reports these jobs as still running. */
export function runningJobs(...list) {
    listRunningJobs.mockResolvedValue({ items: list });
}

const toastListeners = [];
/** Every toast the screens raise from now on (ShowToastEvent bubbles to the document), as { title, message, variant }. */
export function captureToasts() {
    const toasts = [];
    const listener = (event) => toasts.push(event.detail);
    toastListeners.push(listener);
    document.addEventListener('lightning__showtoast', listener);
    return toasts;
}

/** The element with this data-id anywhere inside `root`, looking through every child component's shadow root. */
export function deepById(root, id) {
    const scope = root.shadowRoot || root;
    const direct = scope.querySelector(`[data-id="${id}"]`);
    if (direct) return direct;
    for (const node of scope.querySelectorAll('*')) {
        if (node.shadowRoot) {
            const found = deepById(node, id);
            if (found) return found;
        }
    }
    return null;
}

/** The lightning/modal dialog open now (the jest mock mounts it in document.body), or null. */
export const openModal = () => document.body.querySelector('[data-modal="open"]');

/** Lets pending promises (Apex calls) and the re-render that follows them settle. */
export async function settle(times = 3) {
    for (let i = 0; i < times; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 0));
    }
}

/** Waits past a debounce (search as you type waits 300 ms after the last key). */
export const pastDebounce = () =>
    new Promise((resolve) => setTimeout(resolve, 350)).then(() => settle());

/**
 * The element's own template and its dialog footer's: a dialog's Cancel and Save sit in its c-dialog-footer, and
 * the admin (and a test) sees them as the dialog's own buttons.
 */
const scopes = (element) => [
    element.shadowRoot,
    ...[...element.shadowRoot.querySelectorAll('c-dialog-footer')].map((f) => f.shadowRoot)
];
export const byId = (element, id) =>
    scopes(element)
        .map((scope) => scope.querySelector(`[data-id="${id}"]`))
        .find(Boolean) || null;
export const allById = (element, id) =>
    scopes(element).flatMap((scope) => [...scope.querySelectorAll(`[data-id="${id}"]`)]);
/** The words in an element as the admin reads them: each text node, separated by a space. */
export function words(node) {
    if (!node) return null;
    const parts = [];
    const visit = (n) => {
        if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent.trim());
        // A synthetic shadow root is not a real node: walk its children instead.
        else n.childNodes.forEach(visit);
    };
    visit(node);
    return parts.filter(Boolean).join(' ').replace(/\s+/g, ' ');
}
export const text = (element, id) => words(byId(element, id));

export async function click(element, id) {
    const target = byId(element, id);
    if (!target) throw new Error(`nothing with data-id="${id}" to click`);
    target.click();
    await settle();
}

/** A base component's change event, as lightning-input, -combobox and friends send it. */
export async function change(element, id, value, eventName = 'change') {
    const target = byId(element, id);
    if (!target) throw new Error(`no input with data-id="${id}"`);
    target.value = value;
    target.dispatchEvent(new CustomEvent(eventName, { detail: { value, checked: value } }));
    await settle();
}

/** An Apex failure as the LWC runtime reports it: the AuraHandledException message in body.message. */
export const apexError = (message) => ({
    body: { message },
    ok: false,
    status: 400,
    statusText: 'Bad Request'
});

export const clone = (value) => JSON.parse(JSON.stringify(value));

/** One of an org's fields as getObjectFields describes it: filterable, sortable and updateable unless told. */
export const field = (name, label, type, extra = {}) => ({
    name,
    label,
    type,
    picklistValues: [],
    filterable: true,
    sortable: true,
    updateable: true,
    relationshipName: null,
    ...extra
});

/** Everything the error panels of a screen say, in order. */
export const errorText = (element) =>
    [...element.shadowRoot.querySelectorAll('c-error-panel')]
        .map((panel) => words(panel.shadowRoot))
        .filter(Boolean)
        .join(' ');
