// Single sign-on's configuration, from the environment: off unless
// HOURGLASS_OIDC_ISSUER is set. Read by the sign-in page (whether to offer
// it) and the /api/auth/oidc routes; the engine gets the parts it needs as
// options (signInWithSingleSignOn).
import { z } from "zod";

const list = z
  .string()
  .optional()
  .transform((s) => (s ?? "").split(",").map((x) => x.trim()).filter(Boolean));

const envSchema = z.object({
  /** The identity provider's issuer URL; its /.well-known/openid-configuration is read at the first sign-in. */
  HOURGLASS_OIDC_ISSUER: z.url().optional(),
  HOURGLASS_OIDC_CLIENT_ID: z.string().min(1).optional(),
  HOURGLASS_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes / role bindings a first sign-in's new user gets; none by default (an admin binds a role). */
  HOURGLASS_OIDC_DEFAULT_SCOPES: list,
  /** Email domains that may sign in (exact match); none = any the identity provider vouches for. */
  HOURGLASS_OIDC_ALLOWED_DOMAINS: list.transform((domains) => domains.map((d) => d.toLowerCase().replace(/^@/, ""))),
  /** The URL operators use; the redirect URI is built on it (else on the request's origin). */
  HOURGLASS_PUBLIC_URL: z.url().optional(),
});

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  defaultScopes: string[];
  allowedDomains: string[];
  /** HOURGLASS_PUBLIC_URL without a trailing slash, when set. */
  publicUrl: string | null;
}

/** The configuration `env` describes, or null when single sign-on is off. Throws, naming the variable, when it is incomplete. */
export function parseOidcConfig(env: Record<string, string | undefined>): OidcConfig | null {
  // an empty variable counts as unset, as in the rest of the configuration
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`single sign-on configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const e = parsed.data;
  if (!e.HOURGLASS_OIDC_ISSUER) return null;
  const missing = (["HOURGLASS_OIDC_CLIENT_ID", "HOURGLASS_OIDC_CLIENT_SECRET"] as const).filter((k) => !e[k]);
  if (missing.length > 0) throw new Error(`single sign-on configuration: HOURGLASS_OIDC_ISSUER is set, so ${missing.join(" and ")} must be too`);
  return {
    issuer: new URL(e.HOURGLASS_OIDC_ISSUER),
    clientId: e.HOURGLASS_OIDC_CLIENT_ID!,
    clientSecret: e.HOURGLASS_OIDC_CLIENT_SECRET!,
    defaultScopes: e.HOURGLASS_OIDC_DEFAULT_SCOPES,
    allowedDomains: e.HOURGLASS_OIDC_ALLOWED_DOMAINS,
    publicUrl: e.HOURGLASS_PUBLIC_URL?.replace(/\/+$/, "") ?? null,
  };
}

let cached: { config: OidcConfig | null } | undefined;

/** This process's single sign-on configuration (read once), or null when it is off. */
export function getOidcConfig(): OidcConfig | null {
  cached ??= { config: parseOidcConfig(process.env) };
  return cached.config;
}
