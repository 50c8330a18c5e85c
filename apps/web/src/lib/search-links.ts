// Where each search hit leads, how it reads, and the palette's recent items
// (kept per browser). Pure: tested in apps/web/test/search-links.test.ts.
import type { AppRouter } from "@hourglass/engine/api";
import type { inferRouterOutputs } from "@trpc/server";

export type SearchHit = inferRouterOutputs<AppRouter>["search"]["find"]["hits"][number];
export type SearchHitKind = SearchHit["kind"];

/** Group headings, in the order the palette shows them. */
export const KIND_LABELS: Record<SearchHitKind, string> = {
  request: "Requests", invocation: "Invocations", queue_job: "Queue jobs",
  queue: "Queues", scheduler_job: "Scheduler jobs", project: "Projects",
};

/** The dashboard page of a hit. */
export function hitHref(h: SearchHit): string {
  switch (h.kind) {
    case "request": return `/requests/${encodeURIComponent(h.id)}`;
    case "invocation": return `/jobs/${h.job.split("/").map(encodeURIComponent).join("/")}/${h.id}`;
    case "queue_job": return `/queues/${encodeURIComponent(h.queueName)}/jobs/${h.jobDescriptor.split(":")[1]}`;
    case "queue": return `/queues/${encodeURIComponent(h.name)}`;
    case "scheduler_job": return `/jobs/${h.job.split("/").map(encodeURIComponent).join("/")}`;
    case "project": return `/jobs/${encodeURIComponent(h.project)}`;
  }
}

/** The hit's name as the palette lists it, and a line of detail. */
export function hitText(h: SearchHit): { title: string; detail: string } {
  switch (h.kind) {
    case "request": return { title: h.id, detail: `${h.type} · ${h.state} · ${h.project}` };
    case "invocation": return { title: `${h.job} #${h.id}`, detail: `invocation · ${h.state}` };
    case "queue_job": return { title: h.jobDescriptor, detail: `queue job · ${h.state}` };
    case "queue": return { title: h.name, detail: `queue · project ${h.project}` };
    case "scheduler_job": return { title: h.job, detail: "scheduler job" };
    case "project": return { title: h.project, detail: "project" };
  }
}

/** A visited hit, remembered for the palette's "Recent" list. */
export interface RecentItem { href: string; title: string; detail: string }

export const RECENT_STORAGE_KEY = "hourglass.recent";
export const RECENT_MAX = 8;

/** `item` first, without an older copy of it, at most RECENT_MAX. */
export function addRecent(list: RecentItem[], item: RecentItem): RecentItem[] {
  return [item, ...list.filter((r) => r.href !== item.href)].slice(0, RECENT_MAX);
}

/** What localStorage held, read defensively (another version, or a hand edit, may have written it). */
export function parseRecent(stored: string | null): RecentItem[] {
  if (!stored) return [];
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value)) return [];
    return value.filter((r): r is RecentItem => typeof r?.href === "string" && r.href.startsWith("/") && !r.href.startsWith("//")
      && typeof r.title === "string" && typeof r.detail === "string").slice(0, RECENT_MAX);
  } catch {
    return [];
  }
}
