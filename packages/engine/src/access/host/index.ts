import type { EngineContext } from "../../context.ts";
import { Authenticator } from "./credentials.ts";
import { Principals } from "./principals.ts";
import { ResourceProjects } from "./resource-projects.ts";
import { RoleStore } from "./role-store.ts";

export { ANONYMOUS, holds, systemCaller, type ApiCaller, type CallerKind } from "./caller.ts";
export type { Credentials, TokenInfo } from "./credentials.ts";
export { SESSION_TTL_MS, MAX_FAILED_SIGN_INS, LOCKOUT_MS } from "./credentials.ts";
export type { PrincipalInfo } from "./principals.ts";
export type { RoleInfo } from "./role-store.ts";
export { MIN_PASSWORD_LENGTH } from "./passwords.ts";
export { parseAccessConfig, syncAccessConfig, CONFIG_AUTHOR } from "./access-config.ts";

/**
 * The access host: identities (users, service accounts), credentials
 * (sessions, API tokens), roles, and which project each resource belongs to.
 * Its writes are internal API: the `access` router checks access:manage (or
 * ownership) before calling them.
 */
export class Access {
  readonly roles: RoleStore;
  readonly principals: Principals;
  readonly credentials: Authenticator;
  readonly projects: ResourceProjects;

  constructor(ctx: EngineContext) {
    this.roles = new RoleStore(ctx);
    this.principals = new Principals(ctx);
    this.credentials = new Authenticator(ctx, this.roles);
    this.projects = new ResourceProjects(ctx);
  }
}
