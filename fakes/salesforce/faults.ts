/**
 * A fault fires on requests whose route name (see README) or path matches: from the
 * `onCall`-th matching call (1-based) for `times` calls, or at random with probability
 * `rate`. It adds latency, resets the connection, or answers with an error.
 */
export interface FaultSpec {
  route?: string | RegExp;
  onCall?: number;
  times?: number;
  rate?: number;
  seed?: number;
  status?: number;
  errorCode?: string;
  message?: string;
  latencyMs?: number;
  reset?: boolean;
}

interface ActiveFault extends FaultSpec {
  id: number;
  seen: number;
  fired: number;
  random: () => number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private list: ActiveFault[] = [];
  private nextId = 1;

  inject(spec: FaultSpec): number {
    const id = this.nextId++;
    const route =
      typeof spec.route === 'string' && spec.route.startsWith('/') && spec.route.endsWith('/') && spec.route.length > 2
        ? new RegExp(spec.route.slice(1, -1))
        : spec.route;
    this.list.push({ ...spec, route, id, seen: 0, fired: 0, random: mulberry32(spec.seed ?? id) });
    return id;
  }

  clear(id?: number): void {
    this.list = id === undefined ? [] : this.list.filter((f) => f.id !== id);
  }

  /** The faults that fire for this request; call once per request. */
  match(routeName: string, path: string): FaultSpec[] {
    const firing: FaultSpec[] = [];
    for (const f of this.list) {
      const matches =
        f.route === undefined ||
        f.route === '*' ||
        (f.route instanceof RegExp
          ? f.route.test(path)
          : f.route === routeName || (f.route.startsWith('/') && path.startsWith(f.route)));
      if (!matches) continue;
      f.seen++;
      const from = f.onCall ?? 1;
      const times = f.times ?? (f.onCall !== undefined ? 1 : Infinity);
      if (f.seen < from || f.fired >= times) continue;
      if (f.rate !== undefined && f.random() >= f.rate) continue;
      f.fired++;
      firing.push(f);
    }
    return firing;
  }
}
