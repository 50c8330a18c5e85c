/** A node of a DAG with the times that give its duration (ms since the epoch; null when not yet). */
export interface TimedNode {
  id: string;
  deps: string[];
  startedAt: number | null;
  finishedAt: number | null;
}

/** How long a node took: finished → its run; running → so far (to `now`); not started → 0. */
export function nodeDuration(n: TimedNode, now: number): number {
  if (n.startedAt === null) return 0;
  return Math.max(0, (n.finishedAt ?? now) - n.startedAt);
}

/**
 * The critical path: the chain of dependencies whose durations add up to the
 * most, i.e. the jobs that decided how long the whole DAG took (or takes so
 * far). Returned in order from a root to a leaf; empty when nothing has run
 * (every path weighs 0). Ties go to the node listed first, so the same DAG
 * always gives the same path. Edges to unknown ids are ignored; a cycle
 * (which a valid chain never has) ends the walk instead of looping.
 */
export function criticalPath(nodes: TimedNode[], now: number): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const best = new Map<string, { total: number; via: string | null }>();
  const visiting = new Set<string>();
  const weigh = (id: string): number => {
    const known = best.get(id);
    if (known) return known.total;
    const n = byId.get(id)!;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let via: string | null = null;
    let before = 0;
    for (const d of n.deps) {
      if (!byId.has(d)) continue;
      const w = weigh(d);
      if (via === null || w > before) [via, before] = [d, w];
    }
    visiting.delete(id);
    const total = before + nodeDuration(n, now);
    best.set(id, { total, via });
    return total;
  };
  let end: string | null = null;
  let longest = 0;
  for (const n of nodes) {
    const w = weigh(n.id);
    if (w > longest) [end, longest] = [n.id, w];
  }
  const path: string[] = [];
  for (let at = end; at !== null && !path.includes(at); at = best.get(at)!.via) path.push(at);
  return path.reverse();
}
