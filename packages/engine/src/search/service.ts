import type { EngineContext } from "../context.ts";
import { isBigintId } from "../bounds.ts";
import { SEARCH_KINDS, type SearchFindInput, type SearchKind } from "./schemas.ts";
import { findProjects } from "./sql/findProjects.ts";
import { findQueues } from "./sql/findQueues.ts";
import { findSchedulerJobs } from "./sql/findSchedulerJobs.ts";
import { lookupInvocation } from "./sql/lookupInvocation.ts";
import { lookupQueueJob } from "./sql/lookupQueueJob.ts";
import { lookupRequest } from "./sql/lookupRequest.ts";

/** One thing the search found; the dashboard turns each kind into a link. */
export type SearchHit =
  | { kind: "request"; id: string; type: string; project: string; state: string; atTimestampMillis: number }
  | { kind: "invocation"; id: string; job: string; project: string; state: string; atTimestampMillis: number }
  | { kind: "queue_job"; jobDescriptor: string; queueName: string; state: string; atTimestampMillis: number }
  | { kind: "queue"; name: string; project: string }
  | { kind: "scheduler_job"; job: string; project: string }
  | { kind: "project"; project: string };

/** Keeps the hits the caller may see (the API passes its visibility; the engine decides nothing about access). */
export type VisibleFilter = (hits: SearchHit[]) => Promise<SearchHit[]>;

/** Name matches read this many times `limit` rows, so hits the caller may not see rarely crowd out ones it may. */
const OVERFETCH = 4;

const DESCRIPTOR = /^([A-Za-z0-9_]{1,64}):([0-9]{1,19})$/;
const REQUEST_ID = /^[a-z0-9]{1,40}$/;

/**
 * The global search: every kind at once, each by what names it. Ids are
 * looked up exactly through primary keys (requests, invocations, queue jobs:
 * tables that grow without bound); names are matched by substring only in
 * the catalogues (queues, scheduler jobs and projects), with LIMIT. Each
 * kind answers at most `limit` hits, closest first.
 */
export class Search {
  constructor(private readonly ctx: EngineContext) {}

  async find(input: SearchFindInput, visible: VisibleFilter): Promise<{ hits: SearchHit[] }> {
    const kinds = new Set<SearchKind>(input.kinds ?? SEARCH_KINDS);
    const q = input.q;
    const id = q.replace(/^#/, "");
    const descriptor = DESCRIPTOR.exec(q);
    const sql = this.ctx.db.sql;
    const wide = input.limit * OVERFETCH;
    const sources: Partial<Record<SearchKind, () => Promise<SearchHit[]>>> = {
      request: async () => (REQUEST_ID.test(q) ? (await lookupRequest(sql, q)).map((r) => ({
        kind: "request" as const, id: r.id, type: r.type, project: r.project, state: r.state, atTimestampMillis: r.created_at.getTime(),
      })) : []),
      invocation: async () => (isBigintId(id) ? (await lookupInvocation(sql, id)).map((r) => ({
        kind: "invocation" as const, id: r.id, job: r.job_key, project: r.project, state: r.state, atTimestampMillis: r.started_at.getTime(),
      })) : []),
      queue_job: async () => {
        const [jobId, queueName] = descriptor && isBigintId(descriptor[2]!) ? [descriptor[2]!, descriptor[1]!] : [id, null];
        if (!isBigintId(jobId)) return [];
        return (await lookupQueueJob(sql, jobId, queueName)).map((r) => ({
          kind: "queue_job" as const, jobDescriptor: `${r.queue_name}:${r.id}`, queueName: r.queue_name, state: r.state,
          atTimestampMillis: r.run_after.getTime(),
        }));
      },
      queue: async () => (await findQueues(sql, q, wide)).map((r) => ({ kind: "queue" as const, name: r.name, project: r.project })),
      scheduler_job: async () => (await findSchedulerJobs(sql, q, wide))
        .map((r) => ({ kind: "scheduler_job" as const, job: r.key, project: r.project })),
      project: async () => (await findProjects(sql, q, wide)).map((r) => ({ kind: "project" as const, project: r.id })),
    };
    const perKind = await Promise.all(SEARCH_KINDS.filter((k) => kinds.has(k)).map(async (k) => {
      const found = await sources[k]!();
      return (await visible(found)).slice(0, input.limit);
    }));
    return { hits: perKind.flat() };
  }
}
