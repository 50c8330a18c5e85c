import { missingScopesMessage, type ScopeExpression } from "../access/expressions.ts";
import { holds, type ApiCaller } from "../access/host/caller.ts";
import type { Engine } from "../engine.ts";
import { HourglassError } from "../errors.ts";

/**
 * What a procedure requires of its caller: declared once per procedure (the
 * `access` meta), checked by `enforceAccess` before the procedure runs. This
 * module is the API's one access seam; routers and React components decide
 * nothing about access.
 */
export type Access<I = any> =
  /** Anyone, without credentials (who am I; the server's version). */
  | { kind: "anyone" }
  /**
   * Any authenticated caller; the procedure returns only what the caller may
   * see (lists, filtered through visibility.ts).
   */
  | { kind: "signedIn" }
  /** Fixed scopes built from the input, with nothing to hide (e.g. access:manage). */
  | { kind: "scopes"; need: (input: I) => ScopeExpression }
  /** One resource (or several) of a project: invisible reads as missing, then `need` must hold. */
  | { kind: "resource"; resolve: (ctx: { engine: Engine; caller: ApiCaller }, input: I) => Promise<ResourceCheck> };

export interface ResourceCheck {
  /** The scopes that make the resource visible (all must hold); null = it does not exist. */
  read: ScopeExpression | null;
  /** What the call needs beyond seeing it. */
  need?: ScopeExpression;
  /** What a missing resource answers; an invisible one answers exactly the same. */
  notFound: () => HourglassError;
}

/**
 * Throws unless `caller` may make this call: no credentials → UNAUTHENTICATED
 * (401); a resource it may not see → that resource's not-found error (404,
 * the same message as a missing one); a visible resource without the needed
 * scope → PERMISSION_DENIED (403) naming the missing scope.
 */
export async function enforceAccess(access: Access, ctx: { engine: Engine; caller: ApiCaller }, input: unknown): Promise<void> {
  if (access.kind === "anyone") return;
  if (ctx.caller.kind === "anonymous") {
    throw new HourglassError("UNAUTHENTICATED", "sign in, or send an API token (Authorization: Bearer hg_…)");
  }
  if (access.kind === "signedIn") return;
  if (access.kind === "scopes") return demand(ctx.caller, access.need(input));
  const check = await access.resolve(ctx, input);
  if (check.read === null || !holds(ctx.caller, check.read)) throw check.notFound();
  if (check.need !== undefined) demand(ctx.caller, check.need);
}

function demand(caller: ApiCaller, need: ScopeExpression): void {
  if (holds(caller, need)) return;
  throw new HourglassError("PERMISSION_DENIED", `${caller.id} may not do this: ${missingScopesMessage(caller.scopes, need)}`);
}
