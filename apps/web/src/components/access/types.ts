// The access router's answers, as the access pages use them (types only).
import type { AppRouter } from "@hourglass/engine/api";
import type { inferRouterOutputs } from "@trpc/server";

type AccessOutputs = inferRouterOutputs<AppRouter>["access"];

export type Principal = AccessOutputs["listPrincipals"][number];
export type Token = AccessOutputs["listTokens"][number];
export type CreatedToken = AccessOutputs["createToken"];
export type StoredRole = AccessOutputs["listRoles"]["roles"][number];
export type PrincipalKind = Principal["kind"];
