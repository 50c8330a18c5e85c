import { z } from "zod";
import { PROJECT_ROLE_DOC, PROJECT_ROLE_LEVELS } from "../access/predefined-roles.ts";
import { ACCESS_MANAGE } from "../access/resources.ts";
import { HourglassError } from "../errors.ts";
import { anyone, manageAccess, signedIn } from "./access-rules.ts";
import type { Access } from "./access-check.ts";
import { plainProcedure, procedure, router } from "./trpc.ts";

const scopeList = z.array(z.string().min(1).max(500)).max(500);
const principalId = z.string().regex(/^(user|service):[a-z0-9][a-z0-9._@-]{0,99}$/, "a principal is user:<login> or service:<name>");
const principalIdInput = z.object({ id: principalId });
const tokenIdInput = z.object({ id: z.string().regex(/^[0-9A-Za-z]{20}$/, "a token id is 20 letters and digits") });

const createPrincipalInput = z.object({
  kind: z.enum(["user", "service"]),
  name: z.string().min(1).max(100),
  displayName: z.string().min(1).max(200).optional(),
  password: z.string().max(1000).optional(),
  /** Granted scopes and role bindings, e.g. assume:project:demo:reader. */
  scopes: scopeList.default([]),
});
const updatePrincipalInput = principalIdInput.extend({
  displayName: z.string().min(1).max(200).optional(),
  scopes: scopeList.optional(),
  password: z.string().max(1000).optional(),
  disabled: z.boolean().optional(),
});
const createTokenInput = z.object({
  name: z.string().trim().min(1, "name the token").max(200),
  /** At most the creator's own scopes. */
  scopes: scopeList,
  expiresInDays: z.int().min(1).max(3650).optional(),
  /** Another principal (a service account) to hold the token; needs access:manage. Default: the caller. */
  principalId: principalIdInput.shape.id.optional(),
});
const putRoleInput = z.object({
  id: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, "a role id is printable ASCII without spaces"),
  description: z.string().max(2000).default(""),
  scopes: scopeList,
});

/** Tokens of others: only with access:manage; without it another's token reads as missing. */
const ownTokenOrManage: Access<{ id: string }> = {
  kind: "resource",
  resolve: async (ctx, input) => {
    const token = await ctx.engine.access.credentials.token(input.id);
    const mine = token !== null && token.principalId === ctx.caller.id;
    return {
      read: token === null ? null : mine ? { AllOf: [] } : ACCESS_MANAGE,
      notFound: () => new HourglassError("TOKEN_NOT_FOUND", `no such token: ${input.id}`),
    };
  },
};

/** A token for someone else needs access:manage; for oneself, only a signed-in caller (and the scopes it holds). */
const tokenForAccess: Access<{ principalId?: string }> = {
  kind: "scopes",
  need: (input) => (input.principalId === undefined ? { AllOf: [] } : ACCESS_MANAGE),
};

/**
 * The `access` router: who am I, users and service accounts, API tokens and
 * roles. Managing identities and roles needs access:manage (the admin role).
 */
export const accessRouter = router({
  whoami: plainProcedure(anyone).query(({ ctx }) => ({
    id: ctx.caller.id,
    kind: ctx.caller.kind,
    displayName: ctx.caller.displayName,
    anonymous: ctx.caller.kind === "anonymous",
    scopes: ctx.caller.scopes.normalized(),
    tokenId: ctx.caller.tokenId ?? null,
  })),
  listPrincipals: plainProcedure(manageAccess).query(({ ctx }) => ctx.engine.access.principals.list()),
  getPrincipal: procedure(manageAccess, principalIdInput).query(({ ctx, input }) => ctx.engine.access.principals.get(input.id)),
  createPrincipal: procedure(manageAccess, createPrincipalInput)
    .mutation(({ ctx, input }) => ctx.engine.access.principals.create({ ...input, by: ctx.caller.id })),
  updatePrincipal: procedure(manageAccess, updatePrincipalInput).mutation(({ ctx, input }) => {
    const { id, ...patch } = input;
    return ctx.engine.access.principals.update(id, patch, ctx.caller.id);
  }),
  deletePrincipal: procedure(manageAccess, principalIdInput).mutation(({ ctx, input }) => ctx.engine.access.principals.remove(input.id, ctx.caller.id)),
  /** The caller's own tokens (with access:manage: every token, or one principal's). */
  listTokens: procedure(signedIn, z.object({ principalId: principalIdInput.shape.id.optional(), all: z.boolean().default(false) }))
    .query(({ ctx, input }) => {
      const manager = ctx.caller.scopes.satisfies(ACCESS_MANAGE);
      const principalId = manager ? (input.all ? undefined : (input.principalId ?? ctx.caller.id)) : ctx.caller.id;
      return ctx.engine.access.credentials.listTokens(principalId);
    }),
  /** A new API token, shown once: `token` for Bearer, or Taskcluster's clientId / accessToken. */
  createToken: procedure(tokenForAccess, createTokenInput).mutation(async ({ ctx, input }) => {
    const principalId = input.principalId ?? ctx.caller.id;
    if (input.principalId !== undefined) await ctx.engine.access.principals.get(principalId);
    return ctx.engine.access.credentials.createToken(ctx.caller, { ...input, principalId });
  }),
  revokeToken: procedure(ownTokenOrManage, tokenIdInput)
    .mutation(({ ctx, input }) => ctx.engine.access.credentials.revokeToken(input.id, ctx.caller.id)),
  /** Stored roles, and the built-in project roles as patterns. */
  listRoles: plainProcedure(signedIn).query(async ({ ctx }) => ({
    roles: await ctx.engine.access.roles.list(),
    builtIn: [
      ...PROJECT_ROLE_LEVELS.map((level) => ({ id: `project:<project>:${level}`, description: PROJECT_ROLE_DOC[level] })),
      { id: "admin", description: "every scope (*)" },
    ],
  })),
  putRole: procedure(manageAccess, putRoleInput).mutation(({ ctx, input }) => ctx.engine.access.roles.put(input, ctx.caller.id)),
  deleteRole: procedure(manageAccess, z.object({ id: putRoleInput.shape.id })).mutation(({ ctx, input }) => ctx.engine.access.roles.remove(input.id, ctx.caller.id)),
  /** What a set of scopes grants through roles (Taskcluster's expandScopes). */
  expandScopes: procedure(signedIn, z.object({ scopes: scopeList })).query(async ({ ctx, input }) => ({
    scopes: await ctx.engine.access.roles.expand(input.scopes),
  })),
});
