/**
 * How a node shows its state: a fill, and — so colour is never the only cue —
 * an icon and a border pattern. The chain-job states are kept in step with
 * the Badge colours; another graph (tasks) passes looks of its own.
 */
export interface StateLook {
  /** The state as the legend and screen readers say it. */
  label: string;
  fill: string;
  /** Minimap colour: the fills are too pale to see at minimap scale. */
  mini: string;
  icon: string;
  border: "solid" | "dashed" | "dotted" | "double";
}

export const CHAIN_JOB_LOOKS: Record<string, StateLook> = {
  PENDING: { label: "pending", fill: "#e0f2fe", mini: "#7dd3fc", icon: "○", border: "dashed" },
  RUNNING: { label: "running", fill: "#fde68a", mini: "#f59e0b", icon: "▶", border: "solid" },
  COMPLETE: { label: "complete", fill: "#bbf7d0", mini: "#22c55e", icon: "✓", border: "solid" },
  FAIL: { label: "failed", fill: "#fecdd3", mini: "#f43f5e", icon: "✕", border: "double" },
  STOPPED: { label: "stopped", fill: "#e2e8f0", mini: "#64748b", icon: "■", border: "dotted" },
};

export const UNKNOWN_LOOK: StateLook = { label: "unknown", fill: "#ffffff", mini: "#cbd5e1", icon: "?", border: "solid" };

/** The critical path's colour (edges and node rings), distinct from the selection's indigo. */
export const CRITICAL = "#ea580c";
export const SELECTED = "#4f46e5";
