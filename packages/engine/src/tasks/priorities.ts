/**
 * Taskcluster's eight priority names. `normal` is the legacy default and
 * ranks as `lowest`. Runs carry the rank (0 = highest) so a claim orders
 * them with an index.
 */
export const PRIORITIES = ["highest", "very-high", "high", "medium", "low", "very-low", "lowest", "normal"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** 0 (highest) to 6 (lowest, and normal). */
export function priorityRank(p: Priority): number {
  return p === "normal" ? 6 : PRIORITIES.indexOf(p);
}

/**
 * The priorities whose create-task scope allows a task of priority `p`: its
 * own and every one above (Taskcluster: `queue:create-task:high:…` may create
 * tasks of priority high down to lowest).
 */
export function creationPriorities(p: Priority): Priority[] {
  return PRIORITIES.slice(0, priorityRank(p) + 1);
}
