import type { EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { invalidScopes, normalizeScopes } from "../scopes.ts";
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

/** Users and service accounts: the identities that hold scopes. Internal API: callers check access:manage first. */
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
    const exists = await this.ctx.db.prisma.principal.findUnique({ where: { id } });
    if (exists) throw new HourglassError("CONFLICT", `${id} already exists`);
    const row = await this.ctx.db.prisma.principal.create({
      data: {
        id, kind: input.kind === "user" ? "USER" : "SERVICE", displayName: input.displayName ?? input.name,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        oidcIssuer: input.oidc?.issuer ?? null, oidcSubject: input.oidc?.subject ?? null,
        scopes: checkScopes(input.scopes), createdAt: this.ctx.clock.now(), createdBy: input.by,
      },
    });
    return toPrincipalInfo(row);
  }

  /** Changes what the patch names: display name, scopes (role bindings), password, disabled. */
  async update(id: string, patch: { displayName?: string; scopes?: string[]; password?: string; disabled?: boolean }) {
    const current = await this.get(id);
    if (patch.password !== undefined) {
      if (current.kind === "service") throw new HourglassError("INVALID_ARGUMENT", "service accounts have no password");
      checkPassword(patch.password);
    }
    const row = await this.ctx.db.prisma.principal.update({
      where: { id },
      data: {
        ...(patch.displayName !== undefined && { displayName: patch.displayName }),
        ...(patch.scopes !== undefined && { scopes: checkScopes(patch.scopes) }),
        ...(patch.password !== undefined && { passwordHash: await hashPassword(patch.password), failedSignIns: 0, lockedUntil: null }),
        ...(patch.disabled !== undefined && { disabledAt: patch.disabled ? this.ctx.clock.now() : null }),
      },
    });
    // a disabled principal's sessions end now; its tokens stop working at once (authenticate reads disabledAt)
    if (patch.disabled) await this.ctx.db.prisma.session.deleteMany({ where: { principalId: id } });
    return toPrincipalInfo(row);
  }

  async remove(id: string): Promise<{ deleted: boolean }> {
    const r = await this.ctx.db.prisma.principal.deleteMany({ where: { id } });
    return { deleted: r.count > 0 };
  }
}
