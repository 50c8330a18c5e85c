import type { Caller } from "../../context.ts";
import { satisfies, type ScopeExpression } from "../expressions.ts";
import { HeldScopes } from "../scopes.ts";

/** How a caller proved who it is. */
export type CallerKind =
  /** Signed in to the dashboard (a session cookie), or a user's API token. */
  | "user"
  /** A service account's API token (a program or a worker). */
  | "service"
  /** Hourglass itself (scheduler, chain runner, maintenance): internal calls only, never over HTTP. */
  | "system"
  /** No credentials: may only ask who it is. */
  | "anonymous";

/**
 * A caller of the public API: who (recorded in histories as `id`), how it
 * authenticated, and its expanded scopes. Built by authenticate(); the API's
 * access check reads nothing else.
 */
export interface ApiCaller extends Caller {
  kind: CallerKind;
  displayName: string;
  /** Expanded through roles, and for a token cut to its principal's current scopes. */
  scopes: HeldScopes;
  /** The API token this call used, if any (its principal is `id`). */
  tokenId?: string;
  /** The dashboard session this call used, if any (for sign-out). */
  sessionId?: string;
}

export const ANONYMOUS: ApiCaller = { id: "anonymous", kind: "anonymous", displayName: "anonymous", scopes: new HeldScopes() };

/** Hourglass's own identities, for internal calls that go through the public API's shape (tests, demo data). */
export function systemCaller(name: string): ApiCaller {
  return { id: `system:${name}`, kind: "system", displayName: name, scopes: new HeldScopes(["*"]) };
}

/** Whether the caller's scopes satisfy `expr`. */
export function holds(caller: ApiCaller, expr: ScopeExpression): boolean {
  return satisfies(caller.scopes, expr);
}
