import type { EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { predefinedRole, predefinedRoles } from "../predefined-roles.ts";
import { combineResolvers, expandScopes, roleIndex, roleProblems, type Role, type RoleResolver } from "../roles.ts";
import { invalidScopes, normalizeScopes } from "../scopes.ts";

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

  /** Creates or replaces a stored role. Predefined role ids cannot be redefined. */
  async put(role: { id: string; description: string; scopes: string[] }, by: string): Promise<RoleInfo> {
    if (predefinedRole(role.id) !== null) throw new HourglassError("INVALID_ARGUMENT", `${role.id} is a built-in role`);
    const bad = invalidScopes(role.scopes);
    if (bad.length) throw new HourglassError("INVALID_ARGUMENT", `not valid scopes: ${bad.map((b) => JSON.stringify(b)).join(", ")}`);
    const candidate: Role = { roleId: role.id, scopes: normalizeScopes(role.scopes) };
    const problems = roleProblems(candidate);
    if (problems.length) throw new HourglassError("INVALID_ARGUMENT", `role ${role.id}: ${problems.join("; ")}`);
    const now = this.ctx.clock.now();
    const data = { description: role.description, scopes: [...candidate.scopes], updatedAt: now, updatedBy: by };
    const row = await this.ctx.db.prisma.role.upsert({ where: { id: role.id }, create: { id: role.id, ...data }, update: data });
    this.cached = null;
    return {
      id: row.id, description: row.description, scopes: row.scopes, builtIn: false,
      updatedAtTimestampMillis: now.getTime(), updatedBy: by,
    };
  }

  async remove(id: string): Promise<{ deleted: boolean }> {
    const r = await this.ctx.db.prisma.role.deleteMany({ where: { id } });
    this.cached = null;
    return { deleted: r.count > 0 };
  }
}
