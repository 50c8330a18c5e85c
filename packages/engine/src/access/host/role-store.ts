import type { EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { predefinedRole, predefinedRoles } from "../predefined-roles.ts";
import { combineResolvers, expandScopes, roleIndex, roleProblems, type Role, type RoleResolver } from "../roles.ts";
import { invalidScopes, normalizeScopes } from "../scopes.ts";
import { fieldChanges, recordAccessEvent } from "./access-events.ts";

/** A stored role as the API shows it. Predefined roles (project roles, admin) are listed as `builtIn`. */
export interface RoleInfo {
  id: string;
  description: string;
  scopes: string[];
  builtIn: boolean;
  updatedAtTimestampMillis: number | null;
  updatedBy: string | null;
}

/** Stored roles are re-read at most this often by each process (a change made here applies at once). */
const ROLES_TTL_MS = 5000;

/**
 * Roles: the stored ones (Taskcluster's roles, managed by admins) and the
 * predefined project roles, combined into one resolver for expandScopes.
 */
export class RoleStore {
  private cached: { resolver: RoleResolver; at: number } | null = null;

  constructor(private readonly ctx: EngineContext) {}

  async resolver(): Promise<RoleResolver> {
    if (this.cached && Date.now() - this.cached.at < ROLES_TTL_MS) return this.cached.resolver;
    const rows = await this.ctx.db.prisma.role.findMany();
    const resolver = combineResolvers(predefinedRoles, roleIndex(rows.map((r) => ({ roleId: r.id, scopes: r.scopes }))));
    this.cached = { resolver, at: Date.now() };
    return resolver;
  }

  /** Every scope `held` grants through roles. */
  async expand(held: readonly string[]): Promise<string[]> {
    return expandScopes(held, await this.resolver());
  }

  async list(): Promise<RoleInfo[]> {
    const rows = await this.ctx.db.prisma.role.findMany({ orderBy: { id: "asc" } });
    return rows.map((r) => ({
      id: r.id, description: r.description, scopes: r.scopes, builtIn: false,
      updatedAtTimestampMillis: r.updatedAt.getTime(), updatedBy: r.updatedBy,
    }));
  }

  /**
   * Creates or replaces a stored role. Predefined role ids cannot be
   * redefined. Its `created` or `updated` event (what changed) names `by`;
   * a put that changes nothing writes none.
   */
  async put(role: { id: string; description: string; scopes: string[] }, by: string): Promise<RoleInfo> {
    if (predefinedRole(role.id) !== null) throw new HourglassError("INVALID_ARGUMENT", `${role.id} is a built-in role`);
    const bad = invalidScopes(role.scopes);
    if (bad.length) throw new HourglassError("INVALID_ARGUMENT", `not valid scopes: ${bad.map((b) => JSON.stringify(b)).join(", ")}`);
    const candidate: Role = { roleId: role.id, scopes: normalizeScopes(role.scopes) };
    const problems = roleProblems(candidate);
    if (problems.length) throw new HourglassError("INVALID_ARGUMENT", `role ${role.id}: ${problems.join("; ")}`);
    const now = this.ctx.clock.now();
    const data = { description: role.description, scopes: [...candidate.scopes], updatedAt: now, updatedBy: by };
    const row = await this.ctx.db.prisma.$transaction(async (tx) => {
      const before = await tx.role.findUnique({ where: { id: role.id } });
      const written = await tx.role.upsert({ where: { id: role.id }, create: { id: role.id, ...data }, update: data });
      const changes = fieldChanges(
        { description: before?.description, scopes: before?.scopes },
        { description: data.description, scopes: data.scopes },
      );
      if (!before || Object.keys(changes).length > 0) {
        await recordAccessEvent(tx, {
          at: now, entityKind: "role", entityId: role.id, action: before ? "updated" : "created", actor: by,
          payload: before ? { changes } : { description: data.description, scopes: data.scopes },
        });
      }
      return written;
    });
    this.cached = null;
    return {
      id: row.id, description: row.description, scopes: row.scopes, builtIn: false,
      updatedAtTimestampMillis: now.getTime(), updatedBy: by,
    };
  }

  /** Deletes a stored role; its `deleted` event keeps the scopes it had. A role that does not exist is a no-op. */
  async remove(id: string, by: string): Promise<{ deleted: boolean }> {
    const now = this.ctx.clock.now();
    const deleted = await this.ctx.db.prisma.$transaction(async (tx) => {
      const before = await tx.role.findUnique({ where: { id } });
      const r = await tx.role.deleteMany({ where: { id } });
      if (r.count === 0) return false;
      await recordAccessEvent(tx, {
        at: now, entityKind: "role", entityId: id, action: "deleted", actor: by,
        payload: { description: before?.description ?? "", scopes: before?.scopes ?? [] },
      });
      return true;
    });
    this.cached = null;
    return { deleted };
  }
}
