import { AsyncLocalStorage } from 'node:async_hooks';

export interface ProgressStep {
  /** What the job is doing now, in the admin's words ("Reading Salesforce users"). */
  phase?: string;
  done: number;
  /** Null while the amount of work is not known. */
  total?: number | null;
  /** False where stopping would leave a half answer (a health check mid-way): the step is only shown. */
  checkpoint?: boolean;
}

export interface ProgressSink {
  report(step: ProgressStep): void;
}

/** Thrown at a progress checkpoint once the service is shutting down: the job is put back and resumes elsewhere. */
export class JobInterrupted extends Error {
  constructor() {
    super('The service is restarting; the job resumes when it is back.');
    this.name = 'JobInterrupted';
  }
}

const current = new AsyncLocalStorage<ProgressSink>();

/** Runs `work` with `sink` receiving the progress that code deep inside it reports. */
export const withProgress = <T>(sink: ProgressSink, work: () => Promise<T>): Promise<T> => current.run(sink, work);

/**
 * Where a long operation is (a page of Salesforce rows read, a batch written). Outside a job it does nothing, so the
 * service functions a job wraps report progress without knowing whether anyone listens. Inside a job it is also the
 * checkpoint where a shutdown stops the work (it throws JobInterrupted), before any half-done write.
 */
export function reportProgress(step: ProgressStep): void {
  current.getStore()?.report(step);
}
