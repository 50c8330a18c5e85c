import { AuditLog } from "../audit/search.ts";
import { auditSearchInput } from "../audit/schemas.ts";
import { signedIn } from "./access-rules.ts";
import { procedure, router } from "./trpc.ts";

/**
 * The `audit` router: the event log as the audit log, newest first. Any
 * signed-in caller may search; each sees only the events it may read
 * (AuditLog), the rest are absent. The export is a plain HTTP route
 * (audit-export.ts), for files.
 */
export const auditRouter = router({
  search: procedure(signedIn, auditSearchInput)
    .query(({ ctx, input }) => new AuditLog(ctx.engine.events, ctx.engine.feed.refs).search(ctx.caller.scopes, input)),
});
