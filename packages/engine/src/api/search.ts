import { Search, type SearchHit } from "../search/service.ts";
import { searchFindInput } from "../search/schemas.ts";
import { signedIn } from "./access-rules.ts";
import { procedure, router } from "./trpc.ts";
import { Visibility } from "./visibility.ts";

/**
 * What of `hits` the caller may see, each by its kind's read scope: a
 * request by requests:read:<project>/<type>, an invocation and a scheduler
 * job by scheduler:read:<project>/<job>, a project by scheduler:read:<project>,
 * a queue and its jobs by queues:read:<project>/<queue>. The rest are left
 * out, so a hidden id answers exactly like one that does not exist.
 */
async function visibleHits(seen: Visibility, hits: SearchHit[]): Promise<SearchHit[]> {
  const queued = new Set(await seen.queues(
    hits.filter((h) => h.kind === "queue" || h.kind === "queue_job"),
    (h) => (h.kind === "queue" ? h.name : h.kind === "queue_job" ? h.queueName : ""),
  ));
  return hits.filter((h) => {
    switch (h.kind) {
      case "request": return seen.request(h.project, h.type);
      case "invocation": return seen.schedulerJob(h.job);
      case "scheduler_job": return seen.schedulerJob(h.job);
      case "project": return seen.schedulerProject(h.project);
      case "queue": case "queue_job": return queued.has(h);
    }
  });
}

/** The `search` router: the dashboard's global search (command palette). Any signed-in caller; each sees only its own. */
export const searchRouter = router({
  find: procedure(signedIn, searchFindInput).query(({ ctx, input }) => {
    const seen = new Visibility(ctx.engine, ctx.caller);
    return new Search(ctx.engine.ctx).find(input, (hits) => visibleHits(seen, hits));
  }),
});
