import type { Engine } from "../../engine.ts";
import { HourglassError, isHourglassError } from "../../errors.ts";
import type { ApiCaller } from "./caller.ts";
import { toPrincipalInfo, type PrincipalInfo } from "./principals.ts";

/**
 * Single sign-on over OpenID Connect, the engine's half: the web app runs the
 * protocol (openid-client verifies the ID token's signature, issuer,
 * audience, nonce and PKCE) and hands over the verified claims; this file
 * decides who that is and starts their session. Pure of env: the web app
 * passes its configuration in as options.
 *
 * A person is their identity provider's (issuer, subject) pair, never their
 * email or login: an email can be reassigned or, at some providers, typed in
 * unverified, and a login can collide with a password account. So a first
 * sign-in always creates a new principal (with a numeric suffix when the
 * login is taken) and never takes over an existing one; later sign-ins find
 * it by issuer and subject alone (the `principal` table's unique key).
 */

/** Claims of a verified ID token (and, for what the token leaves out, the UserInfo response). */
export interface SingleSignOnClaims {
  /** `iss`: the identity provider. */
  issuer: string;
  /** `sub`: the person at that provider; never reassigned. */
  subject: string;
  email?: string;
  /** When the provider says false, the email may be anybody's: refused where allowedDomains apply. */
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

export interface SingleSignOnOptions {
  /** Scopes (role bindings) a first sign-in's new principal gets; often none, until an admin binds a role. */
  defaultScopes: string[];
  /** When set (non-empty), only emails at exactly these domains may sign in, on every sign-in. */
  allowedDomains?: string[];
}

export interface SingleSignOnResult {
  /** The session secret, for the `hourglass_session` cookie. */
  secret: string;
  expiresAt: Date;
  caller: ApiCaller;
  principal: PrincipalInfo;
  /** Whether this sign-in created the principal. */
  created: boolean;
}

/** Who is recorded as having created single sign-on users. */
export const SINGLE_SIGN_ON_CREATOR = "system:single-sign-on";

/** A login's base is cut to this length, leaving room for "-<n>" within principalId's 100 characters. */
const MAX_LOGIN_BASE = 90;
/** Logins tried per first sign-in before giving up (only a race with other first sign-ins uses more than one). */
const MAX_CREATE_ATTEMPTS = 20;

/**
 * The login a first sign-in would like: `preferred_username`, else the
 * email's local part, made valid for principalId's rule (lower-case, accents
 * dropped, any other character run replaced by "-", starting with a letter or
 * digit); "sso-user" when neither gives anything.
 */
export function singleSignOnLogin(claims: Pick<SingleSignOnClaims, "email" | "preferred_username">): string {
  const email = claims.email;
  const localPart = email && email.includes("@") ? email.slice(0, email.lastIndexOf("@")) : email;
  for (const raw of [claims.preferred_username, localPart]) {
    const login = normalizeLogin(raw);
    if (login) return login;
  }
  return "sso-user";
}

function normalizeLogin(raw: string | undefined): string {
  if (!raw) return "";
  return raw
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9._@-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, MAX_LOGIN_BASE)
    .replace(/[._@-]+$/, "");
}

/** The email's domain, lower-case, or null when there is no usable email. */
function emailDomain(email: string | undefined): string | null {
  const at = email?.lastIndexOf("@") ?? -1;
  if (!email || at < 1 || at === email.length - 1) return null;
  return email.slice(at + 1).toLowerCase();
}

function checkDomain(claims: SingleSignOnClaims, allowedDomains: string[] | undefined): void {
  const allowed = (allowedDomains ?? []).map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean);
  if (allowed.length === 0) return;
  const domain = emailDomain(claims.email);
  if (!domain || !allowed.includes(domain)) {
    throw new HourglassError("PERMISSION_DENIED", `single sign-on is open to emails at ${allowed.join(", ")} only`
      + (domain ? `, not ${domain}` : ": the identity provider sent no email"));
  }
  if (claims.email_verified === false) {
    throw new HourglassError("PERMISSION_DENIED", "the identity provider has not verified this email, so its domain proves nothing");
  }
}

/**
 * Signs in the person a verified ID token names: finds the principal with
 * its issuer and subject, or creates `user:<login>` with
 * `options.defaultScopes`, and starts a session. PERMISSION_DENIED when the
 * email is outside `options.allowedDomains` (checked on every sign-in, so
 * narrowing the list shuts out existing users too) or the principal is
 * disabled. Password lockout does not apply: no password is involved.
 */
export async function signInWithSingleSignOn(
  engine: Engine,
  claims: SingleSignOnClaims,
  options: SingleSignOnOptions,
  userAgent: string | null = null,
): Promise<SingleSignOnResult> {
  if (!claims.issuer || !claims.subject) {
    throw new HourglassError("INVALID_ARGUMENT", "single sign-on needs the ID token's issuer and subject");
  }
  checkDomain(claims, options.allowedDomains);
  const { principal, created } = await findOrCreate(engine, claims, options.defaultScopes);
  if (principal.disabled || principal.kind !== "user") {
    throw new HourglassError("PERMISSION_DENIED", `${principal.id} is disabled: ask an administrator`);
  }
  const session = await engine.access.credentials.startSession(principal.id, userAgent, "single_sign_on");
  return { ...session, principal, created };
}

async function findByIdentity(engine: Engine, claims: SingleSignOnClaims): Promise<PrincipalInfo | null> {
  const row = await engine.ctx.db.prisma.principal.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: claims.issuer, oidcSubject: claims.subject } },
  });
  return row && toPrincipalInfo(row);
}

async function findOrCreate(
  engine: Engine,
  claims: SingleSignOnClaims,
  defaultScopes: string[],
): Promise<{ principal: PrincipalInfo; created: boolean }> {
  const existing = await findByIdentity(engine, claims);
  if (existing) return { principal: existing, created: false };

  const base = singleSignOnLogin(claims);
  const taken = new Set(
    (await engine.ctx.db.prisma.principal.findMany({ where: { id: { startsWith: `user:${base}` } }, select: { id: true } }))
      .map((p) => p.id.slice("user:".length)),
  );
  const displayName = (claims.name?.trim() || claims.preferred_username?.trim() || claims.email || base).slice(0, 200);
  let n = 1;
  for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
    let name = n === 1 ? base : `${base}-${n}`;
    while (taken.has(name)) name = `${base}-${++n}`;
    try {
      const principal = await engine.access.principals.create({
        kind: "user", name, displayName, scopes: defaultScopes, by: SINGLE_SIGN_ON_CREATOR,
        oidc: { issuer: claims.issuer, subject: claims.subject },
      });
      return { principal, created: true };
    } catch (err) {
      // A concurrent first sign-in of the same person won: use theirs (the unique key stopped a duplicate).
      const winner = await findByIdentity(engine, claims);
      if (winner) return { principal: winner, created: false };
      // Somebody else took this login between the read above and the insert: try the next one.
      if ((isHourglassError(err) && err.code === "CONFLICT") || uniqueViolation(err)) {
        taken.add(name);
        continue;
      }
      throw err;
    }
  }
  throw new HourglassError("CONFLICT", `could not find a free login for ${base}: try again`);
}

/** Prisma's unique-constraint error (two inserts passed their existence checks at once). */
function uniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "P2002";
}
