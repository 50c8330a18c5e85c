import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { appendEvents } from "../../events/sql/appendEvents.ts";
import type { EventInput } from "../../events/types.ts";
import { withTransaction } from "../../transaction.ts";
import { predefinedRole } from "../predefined-roles.ts";
import { assumeScope, roleProblems } from "../roles.ts";
import { invalidScopes, normalizeScopes } from "../scopes.ts";
import { ACCESS_CONFIG_ACTOR, fieldChanges, INSTALLATION_PROJECT } from "./access-events.ts";

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
 * nothing (the last good one stays) and its errors are returned. Only what
 * differs is written, each change with its event (actor
 * ACCESS_CONFIG_ACTOR): a role created, updated or deleted, a principal's
 * bindings changed. Syncs are serialized by a table lock, so workers that
 * sync together record each change once.
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
  const merged = new Map<string, string[]>();
  for (const b of bindings) merged.set(b.principal, [...(merged.get(b.principal) ?? []), ...b.roles.map(assumeScope), ...b.scopes]);
  const wantedBindings = new Map([...merged].map(([p, s]) => [p, normalizeScopes(s)]));
  const wantedRoles = new Map(roles.map((r) => [r.id, { description: r.description, scopes: normalizeScopes(r.scopes) }]));
  const now = ctx.clock.now();
  await withTransaction(ctx.db.pool, async (sql) => {
    await sql.query(`LOCK TABLE config_binding IN EXCLUSIVE MODE`);
    const events = [
      ...(await syncRoles(sql, wantedRoles, now)),
      ...(await syncBindings(sql, wantedBindings, now)),
    ];
    await appendEvents(sql, events.map((e) => ({ ...e, at: now, project: INSTALLATION_PROJECT, actor: ACCESS_CONFIG_ACTOR })));
  });
  return { errors: [], roles: roles.length, bindings: bindings.length };
}

type SyncEvent = Pick<EventInput, "entityKind" | "entityId" | "action" | "payload">;

/** Writes the roles that differ from the file's; returns their events. */
async function syncRoles(sql: Sql, wanted: Map<string, { description: string; scopes: string[] }>, now: Date): Promise<SyncEvent[]> {
  const stored = await sql.query<{ id: string; description: string; scopes: string[]; updated_by: string }>(
    `SELECT id, description, scopes, updated_by FROM role WHERE updated_by = $1 OR id = ANY($2::text[])`,
    [CONFIG_AUTHOR, [...wanted.keys()]]);
  const byId = new Map(stored.rows.map((r) => [r.id, r]));
  const events: SyncEvent[] = [];
  const gone = stored.rows.filter((r) => r.updated_by === CONFIG_AUTHOR && !wanted.has(r.id));
  if (gone.length > 0) await sql.query(`DELETE FROM role WHERE id = ANY($1::text[])`, [gone.map((r) => r.id)]);
  for (const r of gone) {
    events.push({ entityKind: "role", entityId: r.id, action: "deleted", payload: { description: r.description, scopes: r.scopes } });
  }
  for (const [id, role] of wanted) {
    const before = byId.get(id);
    const changes = fieldChanges(
      { description: before?.description, scopes: before?.scopes, updatedBy: before?.updated_by },
      { ...role, updatedBy: CONFIG_AUTHOR },
    );
    if (before && Object.keys(changes).length === 0) continue;
    await sql.query(
      `INSERT INTO role (id, description, scopes, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET description = $2, scopes = $3, updated_at = $4, updated_by = $5`,
      [id, role.description, role.scopes, now, CONFIG_AUTHOR]);
    events.push(before
      ? { entityKind: "role", entityId: id, action: "updated", payload: { changes } }
      : { entityKind: "role", entityId: id, action: "created", payload: role });
  }
  return events;
}

/** Writes the bindings that differ from the file's; returns their events (one per principal whose bindings changed). */
async function syncBindings(sql: Sql, wanted: Map<string, string[]>, now: Date): Promise<SyncEvent[]> {
  const stored = await sql.query<{ principal_id: string; scopes: string[] }>(`SELECT principal_id, scopes FROM config_binding`);
  const current = new Map(stored.rows.map((r) => [r.principal_id, r.scopes]));
  const gone = [...current.keys()].filter((p) => !wanted.has(p));
  const changed = [...wanted].filter(([p, scopes]) => JSON.stringify(current.get(p) ?? null) !== JSON.stringify(scopes));
  if (gone.length > 0) await sql.query(`DELETE FROM config_binding WHERE principal_id = ANY($1::text[])`, [gone]);
  if (changed.length > 0) {
    await sql.query(
      `INSERT INTO config_binding (principal_id, scopes, synced_at)
       SELECT p, ARRAY(SELECT jsonb_array_elements_text(s)), $3 FROM unnest($1::text[], $2::jsonb[]) AS u(p, s)
       ON CONFLICT (principal_id) DO UPDATE SET scopes = EXCLUDED.scopes, synced_at = EXCLUDED.synced_at`,
      [changed.map(([p]) => p), changed.map(([, s]) => JSON.stringify(s)), now]);
  }
  const event = (principal: string, to: string[] | null): SyncEvent => ({
    entityKind: "principal", entityId: principal, action: "bindings_changed",
    payload: { changes: { configBindings: { from: current.get(principal) ?? null, to } } },
  });
  return [...gone.map((p) => event(p, null)), ...changed.map(([p, s]) => event(p, s))];
}
