/**
 * Hourglass's access control, pure: the scope algebra (scopes.ts), scope
 * expressions (expressions.ts), roles and their expansion (roles.ts), the
 * resource scopes (resources.ts) and the predefined project roles
 * (predefined-roles.ts). The host checks a call as
 *   satisfies(expandScopes(tokenScopes, roles), scope.queues("manage", project, queue))
 */
export * from "./scopes.ts";
export * from "./expressions.ts";
export * from "./roles.ts";
export * from "./resources.ts";
export * from "./predefined-roles.ts";
