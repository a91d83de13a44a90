import { LightningElement, api } from 'lwc';
import { getJob, listRunningJobs } from 'c/rosterService';

/**
 * Long operations run in the service as jobs (Apex allows 120 s of callouts per transaction): the Apex method
 * answers at once with the job, and the screen follows it here. One way for every screen: runJob polls until the
 * job ends and resolves with its result (or throws its error, shaped like an Apex error for c-error-panel);
 * resumeJob picks up a job still running after a page reload; <c-job-progress job={job}> shows the bar.
 */
export const polling = { intervalMs: 1000 };
const ENDED = new Set(['succeeded', 'failed']);
const wait = (ms) =>
    new Promise((resolve) => {
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        setTimeout(resolve, ms);
    });

/** The job's error as the screens show an Apex error (reduceErrors reads body.message). */
function failure(job) {
    const error = job.error || { code: 'job_failed', message: 'The job failed.' };
    return { body: { message: error.message }, code: error.code, details: error.details, job };
}

/**
 * Whether an apply refused its plan because Salesforce or Roster changed since the preview (error code
 * preview_stale): it applied nothing, and its message says what changed.
 */
export const isStale = (error) => !!error && error.code === 'preview_stale';

/**
 * A job's answer keeps at most 500 items per list (Apex's heap cannot hold 100k rows); `omitted` says how many
 * each list lost, by path ('users.create'). An object answer that lost any carries that map as `omitted`, so a
 * screen can count what it cannot list (see fullCount).
 */
function withOmitted(answer, omitted, prefix = '') {
    const lost = Object.entries(omitted || {})
        .filter(([path]) => path.startsWith(prefix))
        .map(([path, n]) => [path.slice(prefix.length), n]);
    if (!lost.length || !answer || typeof answer !== 'object' || Array.isArray(answer)) {
        return answer;
    }
    return { ...answer, omitted: Object.fromEntries(lost) };
}

/** How many items the list at `path` of a job's answer holds in the service: those listed and those left out. */
export function fullCount(answer, path) {
    const list = path.split('.').reduce((value, key) => (value ? value[key] : undefined), answer);
    const lost = (answer && answer.omitted && answer.omitted[path]) || 0;
    return (list || []).length + lost;
}

/** How many items of every list of a job's answer are not listed (cut for Apex's heap). */
export const notListed = (answer) =>
    Object.values((answer && answer.omitted) || {}).reduce((sum, n) => sum + n, 0);

/** The new preview a stale apply answers with, if it sent one (its lists cut like any answer's). */
export const freshPreview = (error) => {
    const preview = isStale(error) && error.details && error.details.preview;
    if (!preview) return undefined;
    return withOmitted(preview, error.job && error.job.omitted, 'error.details.preview.');
};

/** Follows a job until it ends: `started` is the Apex call that started it (or a job already known). */
export async function runJob(started, onUpdate = () => {}) {
    let job = await started;
    onUpdate(job);
    while (!ENDED.has(job.state)) {
        // Each poll waits for the one before: one after another by design.
        // eslint-disable-next-line no-await-in-loop
        await wait(polling.intervalMs);
        // eslint-disable-next-line no-await-in-loop
        job = await getJob({ jobId: job.id });
        onUpdate(job);
    }
    if (job.state === 'failed') throw failure(job);
    return withOmitted(job.result, job.omitted);
}

/** Follows a job known only by its id (one a service answer names, like the role tree's background refresh). */
export function followJob(jobId, onUpdate) {
    return runJob(getJob({ jobId }), onUpdate);
}

// Every component of one screen asks at once after a load: they share one callout.
let running;
let askedAt = 0;
const SHARED_MS = 5000;

/** The org's job of one of `kinds` still queued or running (after a reload), or null. */
export async function findRunningJob(kinds) {
    if (!running || Date.now() - askedAt > SHARED_MS) {
        askedAt = Date.now();
        running = Promise.resolve()
            .then(() => listRunningJobs())
            .catch(() => ({ items: [] }));
    }
    const { items = [] } = (await running) || {};
    return items.find((job) => kinds.includes(job.kind)) || null;
}

/**
 * A screen whose own first-load answer lists the running jobs shares it: its parts asking findRunningJob while
 * it loads wait for that answer instead of calling out again. `answer` resolves to { items } (or rejects).
 */
export function shareRunningJobs(answer) {
    askedAt = Date.now();
    running = Promise.resolve(answer).catch(() => ({ items: [] }));
}

/** Forgets the shared answer (tests; a screen that starts a job itself knows better). */
export function forgetRunningJobs() {
    running = undefined;
}

const number = (n) => Number(n || 0).toLocaleString();
// The furthest each bar has got, kept outside the component's reactive fields (it changes while rendering).
const furthest = new WeakMap();

/** A job's progress bar: what it is doing, and done of total once the total is known. */
export default class JobProgress extends LightningElement {
    @api job;

    get phase() {
        const job = this.job || {};
        if (job.phase) return job.phase;
        return job.state === 'queued' ? 'Waiting to start' : 'Working';
    }
    get percent() {
        const job = this.job || {};
        const now = job.total ? Math.min(100, Math.floor((100 * job.done) / job.total)) : 0;
        // Each phase of known size fills the bar; a phase of unknown size (saving what was read) keeps it where it was.
        const last = furthest.get(this) || { key: null, percent: 0 };
        if (!job.total) return last.key && last.key.startsWith(`${job.id}:`) ? last.percent : 0;
        const key = `${job.id}:${job.phase}`;
        const percent = last.key === key ? Math.max(last.percent, now) : now;
        furthest.set(this, { key, percent });
        return percent;
    }
    get counts() {
        const job = this.job || {};
        if (job.total) return `${number(job.done)} of ${number(job.total)}`;
        return job.done ? `${number(job.done)} so far` : '';
    }
}
