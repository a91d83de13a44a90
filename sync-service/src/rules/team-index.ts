/** A team as rules see it: its place in the tree and its manager. */
export interface TeamNode {
  id: string;
  name: string;
  parentId: string | null;
  managerUserId: string | null;
}

/** The team tree, indexed once per evaluation run so every lookup is O(1). */
export interface TeamIndex {
  has(teamId: string): boolean;
  name(teamId: string): string | undefined;
  managerOf(teamId: string | null): string | null;
  /** True when `teamId` is `ancestorId` or anywhere in its subtree. */
  isUnder(teamId: string | null, ancestorId: string): boolean;
}

export function buildTeamIndex(teams: readonly TeamNode[]): TeamIndex {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const t of teams) {
    if (t.parentId && byId.has(t.parentId))
      (children.get(t.parentId) ?? children.set(t.parentId, []).get(t.parentId)!).push(t.id);
    else roots.push(t.id);
  }
  // Entry and exit times of a depth-first walk: a subtree is an interval, so "is under" is two comparisons.
  const enter = new Map<string, number>();
  const exit = new Map<string, number>();
  let clock = 0;
  for (const root of roots) {
    const stack: { id: string; done: boolean }[] = [{ id: root, done: false }];
    while (stack.length) {
      const top = stack.pop()!;
      if (top.done) {
        exit.set(top.id, clock++);
        continue;
      }
      if (enter.has(top.id)) continue;
      enter.set(top.id, clock++);
      stack.push({ id: top.id, done: true });
      for (const child of children.get(top.id) ?? []) stack.push({ id: child, done: false });
    }
  }
  return {
    has: (id) => byId.has(id),
    name: (id) => byId.get(id)?.name,
    managerOf: (id) => (id === null ? null : (byId.get(id)?.managerUserId ?? null)),
    isUnder(id, ancestorId) {
      if (id === null) return false;
      const a = enter.get(ancestorId);
      const t = enter.get(id);
      if (a === undefined || t === undefined) return false;
      return a <= t && (exit.get(id) as number) <= (exit.get(ancestorId) as number);
    },
  };
}
