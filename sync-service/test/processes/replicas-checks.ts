import type { LogLine } from './service-process.js';

interface SyncRun {
  id: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: string;
}

/**
 * One org's sync runs, against what each process logged: every run was started by one process, and no two overlap.
 * A run the killed process had in progress is ended interrupted by the org's next run, which holds the org's run lock
 * (sync/runner.ts): the killed process's connection, and with it the lock, went with it, so that run was dead. A live
 * process's run still going as the runs are read ends now.
 */
export function syncProblems(o: { runs: SyncRun[]; lines: LogLine[]; victimPid: number; killedAt: number }): string[] {
  const problems: string[] = [];
  const startedBy = new Map(o.lines.filter((l) => l.msg === 'salesforce sync started').map((l) => [l.runId, l.pid]));
  let previous: { run: SyncRun; end: number } | null = null;
  for (const run of o.runs) {
    const pid = startedBy.get(run.id);
    if (pid === undefined) problems.push(`run ${run.id} is in no process's log`);
    const start = run.started_at.getTime();
    if (pid === o.victimPid && start > o.killedAt)
      problems.push(`run ${run.id} of the killed process started after the kill`);
    const inProgressAtKill = !run.finished_at || run.finished_at.getTime() > o.killedAt;
    if (pid === o.victimPid && inProgressAtKill && run.outcome !== 'interrupted')
      problems.push(`run ${run.id} of the killed process, in progress at the kill, is ${run.outcome}, not interrupted`);
    // A live process's poll in progress as the runs were read.
    const end = run.outcome === 'running' ? Date.now() : (run.finished_at?.getTime() ?? Date.now());
    if (previous && start < previous.end)
      problems.push(
        `run ${run.id} (${pid}) started ${previous.end - start} ms before ${previous.run.id} (${startedBy.get(previous.run.id)}) ended`,
      );
    if (!previous || end > previous.end) previous = { run, end };
  }
  return problems;
}

/**
 * One org's probes, each in the interval of the user's slot it served (a claim serves the user's latest slot, and
 * recording its probe moves them to the next). Every user is probed exactly once in each interval observed, across
 * the kill, whichever process is left. The batches in flight at the kill were claimed and never recorded: their
 * claims' lease ran out, so their users are probed again within `reprobeWithinMs` of the kill, in the interval of the
 * slot they lost or, when the kill came late in it, the next one (that one probe standing for both).
 */
export function probeProblems(o: {
  probes: { user_id: string; probed_at: Date; slot_offset: number }[];
  intervalSeconds: number;
  endedAt: number;
  killedAt: number;
  inFlight: { users: string[] } | null;
  reprobeWithinMs: number;
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
  for (const user of o.inFlight?.users ?? [])
    if (!byUser.has(user)) problems.push(`${user}, in the batch in flight at the kill, was never probed`);
  for (const [user, { offset, times }] of byUser) {
    const intervalOf = (t: number) => Math.floor((t - offset) / interval);
    const lostAtKill = !!o.inFlight?.users.includes(user);
    const reprobe = lostAtKill ? times.find((t) => t > o.killedAt) : undefined;
    const reprobedInTime = reprobe !== undefined && reprobe - o.killedAt <= o.reprobeWithinMs;
    if (lostAtKill && !reprobedInTime)
      problems.push(
        reprobe === undefined
          ? `${user}'s batch in flight at the kill was never probed again`
          : `${user}'s batch in flight at the kill was probed again only ${reprobe - o.killedAt} ms after it`,
      );
    for (let i = 1; i < times.length; i++) {
      const step = intervalOf(times[i]!) - intervalOf(times[i - 1]!);
      if (step === 0) problems.push(`${user} probed twice in one interval: ${at(times[i - 1]!)}, ${at(times[i]!)}`);
      const lateReprobe = step === 2 && times[i] === reprobe && reprobedInTime;
      if (step > 1 && !lateReprobe)
        problems.push(`${user} not probed in ${step - 1} interval(s) after ${at(times[i - 1]!)}`);
    }
    const last = times.at(-1);
    if (last !== undefined && intervalOf(o.endedAt) - intervalOf(last) > 1)
      problems.push(`${user} not probed since ${at(last)}`);
  }
  return problems;
}
