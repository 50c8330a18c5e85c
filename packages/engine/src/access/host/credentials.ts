import type { EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { HeldScopes, isSubset, scopeIntersection, scopesNotHeld } from "../scopes.ts";
import { ANONYMOUS_ACTOR, recordAccessEvent, sessionRef } from "./access-events.ts";
import { ANONYMOUS, type ApiCaller } from "./caller.ts";
import { checkPassword } from "./passwords.ts";
import type { RoleStore } from "./role-store.ts";
import { formatToken, parseToken, randomId, randomSecret, sameDigest, sha256 } from "./secrets.ts";

/** How long a dashboard session lasts from sign-in. */
export const SESSION_TTL_MS = 12 * 3600_000;
/** Failed sign-ins in a row before an account is locked, and for how long. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** A resolved credential is trusted this long in one process; a revocation here applies at once. */
const CALLER_CACHE_MS = 5000;
/** last_used_at / last_seen_at are written at most this often per credential. */
const TOUCH_EVERY_MS = 60_000;

export interface TokenInfo {
  id: string;
  principalId: string;
  name: string;
  scopes: string[];
  createdAtTimestampMillis: number;
  createdBy: string;
  expiresAtTimestampMillis: number | null;
  lastUsedAtTimestampMillis: number | null;
  revokedAtTimestampMillis: number | null;
  revokedBy: string | null;
}

type TokenRow = {
  id: string; principalId: string; name: string; scopes: string[]; createdAt: Date; createdBy: string;
  expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null; revokedBy: string | null;
};

const toTokenInfo = (t: TokenRow): TokenInfo => ({
  id: t.id, principalId: t.principalId, name: t.name, scopes: t.scopes, createdAtTimestampMillis: t.createdAt.getTime(),
  createdBy: t.createdBy, expiresAtTimestampMillis: t.expiresAt?.getTime() ?? null,
  lastUsedAtTimestampMillis: t.lastUsedAt?.getTime() ?? null, revokedAtTimestampMillis: t.revokedAt?.getTime() ?? null,
  revokedBy: t.revokedBy,
});

/** What a request presents: a bearer token (Authorization header) and/or a session cookie's secret. */
export interface Credentials {
  bearer?: string | null;
  session?: string | null;
}

/**
 * Sign-in, sessions and API tokens, and the one function that turns a
 * request's credentials into an ApiCaller. Secrets are shown once and stored
 * as SHA-256; passwords as argon2id. A token's scopes are at most its
 * creator's when made and are cut to its principal's current scopes at each
 * use, so taking a role from a user takes it from their tokens too.
 */
export class Authenticator {
  private readonly callers = new Map<string, { caller: ApiCaller; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly ctx: EngineContext, private readonly roles: RoleStore) {}

  /**
   * Who is calling. No credentials: ANONYMOUS. Credentials that are unknown,
   * expired or revoked, or whose principal is disabled: UNAUTHENTICATED (401),
   * never a silent fall back to anonymous.
   */
  async authenticate(c: Credentials): Promise<ApiCaller> {
    if (c.bearer) return this.cachedOr(`t:${c.bearer}`, () => this.tokenCaller(c.bearer!));
    if (c.session) return this.cachedOr(`s:${c.session}`, () => this.sessionCaller(c.session!));
    return ANONYMOUS;
  }

  private async cachedOr(key: string, resolve: () => Promise<ApiCaller>): Promise<ApiCaller> {
    const hit = this.callers.get(key);
    if (hit && hit.until > Date.now()) return hit.caller;
    const caller = await resolve();
    if (this.callers.size > 10_000) this.callers.clear();
    this.callers.set(key, { caller, until: Date.now() + CALLER_CACHE_MS });
    return caller;
  }

  private forget(prefix: "t" | "s", predicate: (caller: ApiCaller) => boolean): void {
    for (const [key, { caller }] of this.callers) if (key.startsWith(`${prefix}:`) && predicate(caller)) this.callers.delete(key);
  }

  private async principalCaller(principalId: string, extra: Partial<ApiCaller>, cut?: string[]): Promise<ApiCaller> {
    const [p, declared] = await Promise.all([
      this.ctx.db.prisma.principal.findUnique({ where: { id: principalId } }),
      this.ctx.db.prisma.configBinding.findUnique({ where: { principalId } }),
    ]);
    if (!p || p.disabledAt) throw new HourglassError("UNAUTHENTICATED", "these credentials belong to an account that is disabled or gone");
    // its own scopes plus the bindings the access config file declares for it (access-config.ts)
    let scopes = await this.roles.expand([...p.scopes, ...(declared?.scopes ?? [])]);
    if (cut) scopes = scopeIntersection(scopes, await this.roles.expand(cut));
    return { id: p.id, kind: p.kind === "USER" ? "user" : "service", displayName: p.displayName, scopes: new HeldScopes(scopes), ...extra };
  }

  private async tokenCaller(bearer: string): Promise<ApiCaller> {
    const parsed = parseToken(bearer);
    const invalid = new HourglassError("UNAUTHENTICATED", "the API token is not valid (unknown, expired or revoked)");
    if (!parsed) throw invalid;
    const t = await this.ctx.db.prisma.apiToken.findUnique({ where: { id: parsed.id } });
    const now = this.ctx.clock.now();
    if (!t || !sameDigest(t.secretHash, sha256(parsed.secret)) || t.revokedAt || (t.expiresAt && t.expiresAt <= now)) throw invalid;
    this.touch(`t:${t.id}`, () => this.ctx.db.prisma.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: now } }));
    return this.principalCaller(t.principalId, { tokenId: t.id }, t.scopes);
  }

  private async sessionCaller(secret: string): Promise<ApiCaller> {
    const idHash = sha256(secret);
    const s = await this.ctx.db.prisma.session.findUnique({ where: { idHash } });
    const now = this.ctx.clock.now();
    if (!s || s.expiresAt <= now) throw new HourglassError("UNAUTHENTICATED", "the session has expired: sign in again");
    this.touch(`s:${idHash}`, () => this.ctx.db.prisma.session.update({ where: { idHash }, data: { lastSeenAt: now } }));
    return this.principalCaller(s.principalId, { sessionId: idHash });
  }

  private touch(key: string, write: () => Promise<unknown>): void {
    const last = this.touched.get(key) ?? 0;
    if (Date.now() - last < TOUCH_EVERY_MS) return;
    this.touched.set(key, Date.now());
    write().catch(() => {}); // best effort: a lost last-used stamp is not worth failing a call
  }

  /**
   * Password sign-in; returns the session secret for the cookie. Unknown login
   * and wrong password answer alike, in about the same time. After
   * MAX_FAILED_SIGN_INS failures in a row the account is locked for LOCKOUT_MS.
   * A failure on an existing account writes its `sign_in_failed` event (or
   * `locked`, ACTIVE → LOCKED, for the one that locks it) as actor
   * "anonymous"; an unknown login and a refusal while locked change nothing
   * and write nothing.
   */
  async signIn(login: string, password: string, userAgent: string | null): Promise<{ secret: string; expiresAt: Date; caller: ApiCaller }> {
    const id = `user:${login.trim().toLowerCase()}`;
    const p = await this.ctx.db.prisma.principal.findUnique({ where: { id } });
    const now = this.ctx.clock.now();
    if (p?.lockedUntil && p.lockedUntil > now) {
      throw new HourglassError("ACCOUNT_LOCKED", `too many failed sign-ins: try again after ${p.lockedUntil.toISOString()}`);
    }
    const ok = await checkPassword(p?.passwordHash ?? null, password);
    if (!p || !ok || p.disabledAt || p.kind !== "USER") {
      if (p) await this.failedSignIn(id, now, !ok ? "wrong password" : p.disabledAt ? "disabled" : "not a user");
      throw new HourglassError("INVALID_CREDENTIALS", "unknown login or wrong password");
    }
    return this.startSession(id, userAgent, "password", p.failedSignIns > 0 || p.lockedUntil !== null);
  }

  /** Counts a failed sign-in (locking the account at the limit) and records it, in one transaction. */
  private async failedSignIn(id: string, now: Date, why: string): Promise<void> {
    await this.ctx.db.prisma.$transaction(async (tx) => {
      const counted = await tx.principal.update({ where: { id }, data: { failedSignIns: { increment: 1 } } });
      const locks = counted.failedSignIns >= MAX_FAILED_SIGN_INS;
      const lockedUntil = new Date(now.getTime() + LOCKOUT_MS);
      if (locks) await tx.principal.update({ where: { id }, data: { failedSignIns: 0, lockedUntil } });
      await recordAccessEvent(tx, {
        at: now, entityKind: "principal", entityId: id, action: locks ? "locked" : "sign_in_failed",
        ...(locks && { from: "ACTIVE", to: "LOCKED" }), reason: why, actor: ANONYMOUS_ACTOR,
        payload: locks
          ? { failedSignIns: counted.failedSignIns, lockedUntilTimestampMillis: lockedUntil.getTime() }
          : { failedSignIns: counted.failedSignIns },
      });
    });
  }

  /**
   * A session for a principal whose identity was proven (`method`: a
   * password, single sign-on). Its `signed_in` event (entity `session`, the
   * principal as actor) is written with it; `resetFailures` clears a
   * password's failed-sign-in count and lock in the same transaction.
   */
  async startSession(
    principalId: string, userAgent: string | null, method: "password" | "single_sign_on" = "password", resetFailures = false,
  ): Promise<{ secret: string; expiresAt: Date; caller: ApiCaller }> {
    const secret = randomSecret();
    const idHash = sha256(secret);
    const now = this.ctx.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    const agent = userAgent?.slice(0, 300) ?? null;
    await this.ctx.db.prisma.$transaction(async (tx) => {
      if (resetFailures) await tx.principal.update({ where: { id: principalId }, data: { failedSignIns: 0, lockedUntil: null } });
      await tx.session.create({ data: { idHash, principalId, createdAt: now, expiresAt, lastSeenAt: now, userAgent: agent } });
      await recordAccessEvent(tx, {
        at: now, entityKind: "session", entityId: sessionRef(idHash), action: "signed_in", to: "ACTIVE", actor: principalId,
        payload: { principal: principalId, method, userAgent: agent, expiresAtTimestampMillis: expiresAt.getTime() },
      });
    });
    return { secret, expiresAt, caller: await this.authenticate({ session: secret }) };
  }

  /** Ends the session; its `signed_out` event names its principal as actor. An unknown or ended session is a no-op. */
  async signOut(secret: string): Promise<void> {
    const idHash = sha256(secret);
    const now = this.ctx.clock.now();
    await this.ctx.db.prisma.$transaction(async (tx) => {
      const session = await tx.session.findUnique({ where: { idHash } });
      if (!session) return;
      const r = await tx.session.deleteMany({ where: { idHash } });
      if (r.count === 0) return;
      await recordAccessEvent(tx, {
        at: now, entityKind: "session", entityId: sessionRef(idHash), action: "signed_out", from: "ACTIVE",
        actor: session.principalId, payload: { principal: session.principalId },
      });
    });
    this.forget("s", (c) => c.sessionId === idHash);
  }

  /**
   * A new token for `principalId`, shown once. Its scopes must be within the
   * creator's (a token cannot grant more than whoever made it holds). Its
   * `created` event names the creator as actor; never the secret.
   */
  async createToken(creator: ApiCaller, input: { principalId: string; name: string; scopes: string[]; expiresInDays?: number }) {
    const beyond = scopesNotHeld(input.scopes, creator.scopes);
    if (!isSubset(input.scopes, creator.scopes)) {
      throw new HourglassError("PERMISSION_DENIED", `a token cannot have scopes its creator does not hold: ${beyond.join(", ")}`);
    }
    const id = randomId(20);
    const secret = randomSecret();
    const now = this.ctx.clock.now();
    const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
    const row = await this.ctx.db.prisma.$transaction(async (tx) => {
      const made = await tx.apiToken.create({
        data: {
          id, principalId: input.principalId, name: input.name, secretHash: sha256(secret), scopes: input.scopes,
          createdAt: now, createdBy: creator.id, expiresAt,
        },
      });
      await recordAccessEvent(tx, {
        at: now, entityKind: "token", entityId: id, action: "created", to: "ACTIVE", actor: creator.id,
        payload: {
          principal: input.principalId, name: input.name, scopes: input.scopes,
          expiresAtTimestampMillis: expiresAt?.getTime() ?? null,
        },
      });
      return made;
    });
    return { token: formatToken(id, secret), clientId: id, accessToken: secret, info: toTokenInfo(row) };
  }

  async listTokens(principalId?: string): Promise<TokenInfo[]> {
    const rows = await this.ctx.db.prisma.apiToken.findMany({
      where: principalId ? { principalId } : {}, orderBy: { createdAt: "desc" },
    });
    return rows.map(toTokenInfo);
  }

  async token(id: string): Promise<TokenInfo | null> {
    const row = await this.ctx.db.prisma.apiToken.findUnique({ where: { id } });
    return row && toTokenInfo(row);
  }

  /** Revokes a token; its `revoked` event names `by`. A token already revoked is left as it is (no event). */
  async revokeToken(id: string, by: string): Promise<TokenInfo> {
    const now = this.ctx.clock.now();
    const revoked = await this.ctx.db.prisma.$transaction(async (tx) => {
      const r = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedBy: by } });
      if (r.count === 0) return false;
      const t = await tx.apiToken.findUniqueOrThrow({ where: { id } });
      await recordAccessEvent(tx, {
        at: now, entityKind: "token", entityId: id, action: "revoked", from: "ACTIVE", to: "REVOKED", actor: by,
        payload: { principal: t.principalId, name: t.name },
      });
      return true;
    });
    const row = await this.ctx.db.prisma.apiToken.findUnique({ where: { id } });
    if (!row) throw new HourglassError("TOKEN_NOT_FOUND", `no such token: ${id}`);
    if (revoked) this.forget("t", (c) => c.tokenId === id);
    return toTokenInfo(row);
  }
}
