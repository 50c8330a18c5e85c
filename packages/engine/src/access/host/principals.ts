import type { EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { invalidScopes, normalizeScopes } from "../scopes.ts";
import { SECRET_CHANGED, SECRET_MASK } from "../../executors/secrets.ts";
import { fieldChanges, principalState, recordAccessEvent } from "./access-events.ts";
import { MIN_PASSWORD_LENGTH, hashPassword } from "./passwords.ts";

/** A user or service account as the API shows it (never its password hash). */
export interface PrincipalInfo {
  id: string;
  kind: "user" | "service";
  displayName: string;
  /** Granted scopes and role bindings, as stored (not expanded). */
  scopes: string[];
  hasPassword: boolean;
  singleSignOn: boolean;
  disabled: boolean;
  lockedUntilTimestampMillis: number | null;
  createdAtTimestampMillis: number;
  createdBy: string;
}

type Row = {
  id: string; kind: "USER" | "SERVICE"; displayName: string; passwordHash: string | null; oidcSubject: string | null;
  scopes: string[]; disabledAt: Date | null; lockedUntil: Date | null; createdAt: Date; createdBy: string;
};

export function toPrincipalInfo(r: Row): PrincipalInfo {
  return {
    id: r.id,
    kind: r.kind === "USER" ? "user" : "service",
    displayName: r.displayName,
    scopes: r.scopes,
    hasPassword: r.passwordHash !== null,
    singleSignOn: r.oidcSubject !== null,
    disabled: r.disabledAt !== null,
    lockedUntilTimestampMillis: r.lockedUntil?.getTime() ?? null,
    createdAtTimestampMillis: r.createdAt.getTime(),
    createdBy: r.createdBy,
  };
}

/** Logins and service-account names: what follows "user:" / "service:" in an id. */
const NAME = /^[a-z0-9][a-z0-9._@-]{0,99}$/;

export function principalId(kind: "user" | "service", name: string): string {
  if (!NAME.test(name)) {
    throw new HourglassError("INVALID_ARGUMENT", `"${name}" is not a valid ${kind === "user" ? "login" : "service account name"}: `
      + "lower-case letters, digits and . _ @ -, starting with a letter or digit, at most 100 characters");
  }
  return `${kind}:${name}`;
}

function checkScopes(scopes: string[]): string[] {
  const bad = invalidScopes(scopes);
  if (bad.length > 0) throw new HourglassError("INVALID_ARGUMENT", `not valid scopes: ${bad.map((b) => JSON.stringify(b)).join(", ")}`);
  return normalizeScopes(scopes);
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new HourglassError("INVALID_ARGUMENT", `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

/**
 * Users and service accounts: the identities that hold scopes. Internal API:
 * callers check access:manage first. Each change writes its `principal`
 * event (created, updated, disabled, enabled, deleted) in the same
 * transaction, `by` as its actor; passwords appear only as "changed".
 */
export class Principals {
  constructor(private readonly ctx: EngineContext) {}

  async list(): Promise<PrincipalInfo[]> {
    return (await this.ctx.db.prisma.principal.findMany({ orderBy: { id: "asc" } })).map(toPrincipalInfo);
  }

  async get(id: string): Promise<PrincipalInfo> {
    const row = await this.ctx.db.prisma.principal.findUnique({ where: { id } });
    if (!row) throw new HourglassError("PRINCIPAL_NOT_FOUND", `no such user or service account: ${id}`);
    return toPrincipalInfo(row);
  }

  /** Creates a user (with a password, or none for single sign-on) or a service account (never a password). */
  async create(input: {
    kind: "user" | "service"; name: string; displayName?: string; password?: string; scopes: string[]; by: string;
    oidc?: { issuer: string; subject: string };
  }): Promise<PrincipalInfo> {
    const id = principalId(input.kind, input.name);
    if (input.kind === "service" && input.password) {
      throw new HourglassError("INVALID_ARGUMENT", "service accounts have no password: they use API tokens");
    }
    if (input.password !== undefined) checkPassword(input.password);
    const scopes = checkScopes(input.scopes);
    const exists = await this.ctx.db.prisma.principal.findUnique({ where: { id } });
    if (exists) throw new HourglassError("CONFLICT", `${id} already exists`);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.prisma.$transaction(async (tx) => {
      const made = await tx.principal.create({
        data: {
          id, kind: input.kind === "user" ? "USER" : "SERVICE", displayName: input.displayName ?? input.name, passwordHash,
          oidcIssuer: input.oidc?.issuer ?? null, oidcSubject: input.oidc?.subject ?? null,
          scopes, createdAt: now, createdBy: input.by,
        },
      });
      const info = toPrincipalInfo(made);
      await recordAccessEvent(tx, {
        at: now, entityKind: "principal", entityId: id, action: "created", to: principalState(false), actor: input.by,
        payload: {
          kind: info.kind, displayName: info.displayName, scopes: info.scopes, hasPassword: info.hasPassword,
          singleSignOn: info.singleSignOn, ...(input.oidc && { issuer: input.oidc.issuer }),
        },
      });
      return made;
    });
    return toPrincipalInfo(row);
  }

  /**
   * Changes what the patch names: display name, scopes (role bindings),
   * password, disabled. One event lists what changed: `disabled` or
   * `enabled` when that flips (ACTIVE ↔ DISABLED), else `updated`; none
   * when nothing changed.
   */
  async update(id: string, patch: { displayName?: string; scopes?: string[]; password?: string; disabled?: boolean }, by: string) {
    const current = await this.get(id);
    if (patch.password !== undefined) {
      if (current.kind === "service") throw new HourglassError("INVALID_ARGUMENT", "service accounts have no password");
      checkPassword(patch.password);
    }
    const scopes = patch.scopes === undefined ? undefined : checkScopes(patch.scopes);
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.prisma.$transaction(async (tx) => {
      const before = await tx.principal.findUnique({ where: { id } });
      if (!before) throw new HourglassError("PRINCIPAL_NOT_FOUND", `no such user or service account: ${id}`);
      const wasDisabled = before.disabledAt !== null;
      const flips = patch.disabled !== undefined && patch.disabled !== wasDisabled;
      const updated = await tx.principal.update({
        where: { id },
        data: {
          ...(patch.displayName !== undefined && { displayName: patch.displayName }),
          ...(scopes !== undefined && { scopes }),
          ...(passwordHash !== undefined && { passwordHash, failedSignIns: 0, lockedUntil: null }),
          ...(flips && { disabledAt: patch.disabled ? now : null }),
        },
      });
      // a disabled principal's sessions end now; its tokens stop working at once (authenticate reads disabledAt)
      const ended = patch.disabled ? (await tx.session.deleteMany({ where: { principalId: id } })).count : 0;
      const changes = {
        ...fieldChanges(
          { displayName: before.displayName, scopes: before.scopes, disabled: wasDisabled },
          { displayName: patch.displayName, scopes, disabled: patch.disabled },
        ),
        ...(passwordHash !== undefined && { password: { from: before.passwordHash ? SECRET_MASK : null, to: SECRET_CHANGED } }),
      };
      if (Object.keys(changes).length > 0 || ended > 0) {
        await recordAccessEvent(tx, {
          at: now, entityKind: "principal", entityId: id, action: flips ? (patch.disabled ? "disabled" : "enabled") : "updated",
          ...(flips && { from: principalState(wasDisabled), to: principalState(patch.disabled!) }),
          actor: by, payload: { changes, ...(ended > 0 && { sessionsEnded: ended }) },
        });
      }
      return updated;
    });
    return toPrincipalInfo(row);
  }

  /** Deletes a principal, its tokens and its sessions (the foreign keys); its event counts the tokens. */
  async remove(id: string, by: string): Promise<{ deleted: boolean }> {
    const now = this.ctx.clock.now();
    return this.ctx.db.prisma.$transaction(async (tx) => {
      const tokens = await tx.apiToken.count({ where: { principalId: id, revokedAt: null } });
      const r = await tx.principal.deleteMany({ where: { id } });
      if (r.count > 0) {
        await recordAccessEvent(tx, {
          at: now, entityKind: "principal", entityId: id, action: "deleted", actor: by, payload: { activeTokens: tokens },
        });
      }
      return { deleted: r.count > 0 };
    });
  }
}
