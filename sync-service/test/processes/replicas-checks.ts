import type { LogLine } from './service-process.js';

interface SyncRun {
  id: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: string;
}

/**
 * One org's sync runs, against what each process logged: every run was started by one process, and no two overlap.
 * A run the killed process left running ends at the kill: its process's connection, and with it the org's run lock
 * (db/run-alone.ts), went with it, so another process may run the org's next poll at once. A live process's run
 * still going as the runs are read ends now.
 */
export function syncProblems(o: { runs: SyncRun[]; lines: LogLine[]; victimPid: number; killedAt: number }): string[] {
  const problems: string[] = [];
  const startedBy = new Map(o.lines.filter((l) => l.msg === 'salesforce sync started').map((l) => [l.runId, l.pid]));
  let previous: { run: SyncRun; end: number } | null = null;
  for (const run of o.runs) {
    const pid = startedBy.get(run.id);
    if (pid === undefined) problems.push(`run ${run.id} is in no process's log`);
    const start = run.started_at.getTime();
    let end = run.finished_at?.getTime() ?? o.killedAt;
    if (run.outcome === 'running' && pid === o.victimPid) {
      if (start > o.killedAt) problems.push(`run ${run.id} of the killed process started after the kill`);
      end = o.killedAt;
    } else if (run.outcome === 'running') {
      // A live process's poll in progress as the runs were read.
      end = Date.now();
    }
    if (previous && start < previous.end)
      problems.push(
        `run ${run.id} (${pid}) started ${previous.end - start} ms before ${previous.run.id} (${startedBy.get(previous.run.id)}) ended`,
      );
    if (!previous || end > previous.end) previous = { run, end };
  }
  return problems;
}

/**
 * One org's probes, each in the interval of the user's slot it served (a claim serves the user's latest slot and
 * moves them to the next). Every user is probed exactly once in each interval observed, across the kill, whichever
 * process is left; the one exception is a batch in flight at the kill: its users were claimed (moved to their
 * next slot) and never recorded, so they miss that one interval and are probed at their next slot.
 */
export function probeProblems(o: {
  probes: { user_id: string; probed_at: Date; slot_offset: number }[];
  intervalSeconds: number;
  endedAt: number;
  killedAt: number;
  inFlight: { users: string[] } | null;
}): string[] {
  const problems: string[] = [];
  const interval = o.intervalSeconds * 1000;
  const byUser = new Map<string, { offset: number; times: number[] }>();
  for (const p of o.probes) {
    const entry = byUser.get(p.user_id) ?? { offset: p.slot_offset * 1000, times: [] };
    entry.times.push(p.probed_at.getTime());
    byUser.set(p.user_id, entry);
  }
  const at = (t: number) => new Date(t).toISOString();
  for (const [user, { offset, times }] of byUser) {
    const intervalOf = (t: number) => Math.floor((t - offset) / interval);
    const lostAtKill = !!o.inFlight?.users.includes(user);
    let missed = 0;
    for (let i = 1; i < times.length; i++) {
      const step = intervalOf(times[i]!) - intervalOf(times[i - 1]!);
      if (step === 0) problems.push(`${user} probed twice in one interval: ${at(times[i - 1]!)}, ${at(times[i]!)}`);
      const spansKill = times[i - 1]! <= o.killedAt && times[i]! > o.killedAt;
      if (step === 2 && lostAtKill && spansKill && missed === 0) missed += 1;
      else if (step > 1) problems.push(`${user} not probed in ${step - 1} interval(s) after ${at(times[i - 1]!)}`);
    }
    if (lostAtKill && missed === 0) problems.push(`${user}'s batch in flight at the kill was probed in its interval`);
    const last = times.at(-1);
    if (last !== undefined && intervalOf(o.endedAt) - intervalOf(last) > 1)
      problems.push(`${user} not probed since ${at(last)}`);
  }
  return problems;
}
