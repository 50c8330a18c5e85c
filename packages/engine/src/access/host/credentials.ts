import type { EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { HeldScopes, isSubset, scopeIntersection, scopesNotHeld } from "../scopes.ts";
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
      if (p) {
        const failed = p.failedSignIns + 1;
        await this.ctx.db.prisma.principal.update({
          where: { id },
          data: failed >= MAX_FAILED_SIGN_INS
            ? { failedSignIns: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MS) }
            : { failedSignIns: failed },
        });
      }
      throw new HourglassError("INVALID_CREDENTIALS", "unknown login or wrong password");
    }
    if (p.failedSignIns > 0 || p.lockedUntil) {
      await this.ctx.db.prisma.principal.update({ where: { id }, data: { failedSignIns: 0, lockedUntil: null } });
    }
    return this.startSession(id, userAgent);
  }

  /** A session for a principal whose identity was proven elsewhere (single sign-on, a one-time link). */
  async startSession(principalId: string, userAgent: string | null): Promise<{ secret: string; expiresAt: Date; caller: ApiCaller }> {
    const secret = randomSecret();
    const now = this.ctx.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await this.ctx.db.prisma.session.create({
      data: { idHash: sha256(secret), principalId, createdAt: now, expiresAt, lastSeenAt: now, userAgent: userAgent?.slice(0, 300) ?? null },
    });
    return { secret, expiresAt, caller: await this.authenticate({ session: secret }) };
  }

  async signOut(secret: string): Promise<void> {
    const idHash = sha256(secret);
    await this.ctx.db.prisma.session.deleteMany({ where: { idHash } });
    this.forget("s", (c) => c.sessionId === idHash);
  }

  /**
   * A new token for `principalId`, shown once. Its scopes must be within the
   * creator's (a token cannot grant more than whoever made it holds).
   */
  async createToken(creator: ApiCaller, input: { principalId: string; name: string; scopes: string[]; expiresInDays?: number }) {
    const beyond = scopesNotHeld(input.scopes, creator.scopes);
    if (!isSubset(input.scopes, creator.scopes)) {
      throw new HourglassError("PERMISSION_DENIED", `a token cannot have scopes its creator does not hold: ${beyond.join(", ")}`);
    }
    const id = randomId(20);
    const secret = randomSecret();
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.prisma.apiToken.create({
      data: {
        id, principalId: input.principalId, name: input.name, secretHash: sha256(secret), scopes: input.scopes,
        createdAt: now, createdBy: creator.id,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
      },
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

  async revokeToken(id: string, by: string): Promise<TokenInfo> {
    const r = await this.ctx.db.prisma.apiToken.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: this.ctx.clock.now(), revokedBy: by },
    });
    const row = await this.ctx.db.prisma.apiToken.findUnique({ where: { id } });
    if (!row) throw new HourglassError("TOKEN_NOT_FOUND", `no such token: ${id}`);
    if (r.count > 0) this.forget("t", (c) => c.tokenId === id);
    return toTokenInfo(row);
  }
}
