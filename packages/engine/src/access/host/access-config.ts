import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import { predefinedRole } from "../predefined-roles.ts";
import { assumeScope, roleProblems } from "../roles.ts";
import { invalidScopes, normalizeScopes } from "../scopes.ts";

/** Who stored roles and bindings that come from the access config file. */
export const CONFIG_AUTHOR = "config:access";

const scopes = z.array(z.string().min(1).max(500)).max(500).default([]);
const fileSchema = z.object({
  /** Named scope sets; `assume:<id>` grants one. */
  roles: z.array(z.object({ id: z.string().min(1).max(200), description: z.string().max(2000).default(""), scopes })).default([]),
  /** Principals and what they hold: roles (by id) and scopes. */
  bindings: z.array(z.object({
    principal: z.string().regex(/^(user|service):[a-z0-9][a-z0-9._@-]{0,99}$/, "a principal is user:<login> or service:<name>"),
    roles: z.array(z.string().min(1).max(200)).default([]),
    scopes,
  })).default([]),
}).strict();

export type AccessConfig = z.infer<typeof fileSchema>;

/** Parses and checks an access config file; the errors name the path and the problem. */
export function parseAccessConfig(text: string): { ok: true; config: AccessConfig } | { ok: false; errors: string[] } {
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (err) {
    return { ok: false, errors: [`not valid YAML: ${(err as Error).message.split("\n")[0]}`] };
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`) };
  const errors: string[] = [];
  for (const r of parsed.data.roles) {
    if (predefinedRole(r.id) !== null) errors.push(`roles.${r.id}: a built-in role cannot be redefined`);
    for (const bad of invalidScopes(r.scopes)) errors.push(`roles.${r.id}: not a valid scope: ${JSON.stringify(bad)}`);
    errors.push(...roleProblems({ roleId: r.id, scopes: r.scopes }).map((p) => `roles.${r.id}: ${p}`));
  }
  for (const b of parsed.data.bindings) {
    for (const bad of invalidScopes(b.scopes)) errors.push(`bindings.${b.principal}: not a valid scope: ${JSON.stringify(bad)}`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, config: parsed.data };
}

/**
 * Makes the stored config roles and bindings exactly the file's, in one
 * transaction: roles the file defines are written (as CONFIG_AUTHOR), config
 * roles it no longer has are removed (roles made in the dashboard are left
 * alone), and the bindings are replaced. A file that does not parse changes
 * nothing (the last good one stays) and its errors are returned.
 */
export async function syncAccessConfig(ctx: EngineContext, file: string): Promise<{ errors: string[]; roles: number; bindings: number }> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { errors: [], roles: 0, bindings: 0 }; // no file: nothing declared
  }
  const parsed = parseAccessConfig(text);
  if (!parsed.ok) return { errors: parsed.errors.map((e) => `${file}: ${e}`), roles: 0, bindings: 0 };
  const { roles, bindings } = parsed.config;
  const now = ctx.clock.now();
  await withTransaction(ctx.db.pool, async (sql) => {
    await sql.query(`DELETE FROM role WHERE updated_by = $1 AND NOT (id = ANY($2::text[]))`, [CONFIG_AUTHOR, roles.map((r) => r.id)]);
    for (const r of roles) {
      await sql.query(
        `INSERT INTO role (id, description, scopes, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET description = $2, scopes = $3, updated_at = $4, updated_by = $5`,
        [r.id, r.description, normalizeScopes(r.scopes), now, CONFIG_AUTHOR]);
    }
    await sql.query(`DELETE FROM config_binding`);
    const merged = new Map<string, string[]>();
    for (const b of bindings) merged.set(b.principal, [...(merged.get(b.principal) ?? []), ...b.roles.map(assumeScope), ...b.scopes]);
    if (merged.size > 0) {
      await sql.query(
        `INSERT INTO config_binding (principal_id, scopes, synced_at)
         SELECT p, ARRAY(SELECT jsonb_array_elements_text(s)), $3 FROM unnest($1::text[], $2::jsonb[]) AS u(p, s)`,
        [[...merged.keys()], [...merged.values()].map((s) => JSON.stringify(normalizeScopes(s))), now]);
    }
  });
  return { errors: [], roles: roles.length, bindings: bindings.length };
}
