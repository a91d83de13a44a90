// When each step of this process's start finished, in milliseconds since the process began (performance.now() counts
// from there), and the CPU time the process had used by then (every thread's: on a shared machine the wall clock
// mostly measures the other processes): the launcher logs them once the service listens, so a slow start says where
// its time went.
const finished: { step: string; ms: number; cpuMs: number }[] = [];

/** Records that `step` of the start has just finished. */
export function startupStep(step: string): void {
  const cpu = process.cpuUsage();
  finished.push({ step, ms: Math.round(performance.now()), cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
}

/** Every step recorded so far, in the order they finished: wall and CPU milliseconds since the process began. */
export function startupSteps(): { msSinceProcessStart: Record<string, number>; cpuMs: Record<string, number> } {
  return {
    msSinceProcessStart: Object.fromEntries(finished.map((f) => [f.step, f.ms])),
    cpuMs: Object.fromEntries(finished.map((f) => [f.step, f.cpuMs])),
  };
}
