import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import { parseProject, projectIdOfFile, type CatalogError, type JobDefinition, type ProjectDefinition } from "../catalog.ts";
import { arm, disarm } from "../cron-machine.ts";

export interface SyncReport {
  loaded: string[];
  invalid: { project: string; errors: CatalogError[] }[];
  removed: string[];
}

/** What decides when a job ticks: a change re-arms the cron machine. */
const timingOf = (d: JobDefinition) => JSON.stringify([d.schedule, d.disabled]);

/**
 * Loads every <project>.yaml of `dir` into the database. A valid file whose
 * revision differs from the stored one replaces the project's jobs (removed
 * jobs are marked, not deleted); an invalid file records its errors and the
 * last good revision keeps running. Idempotent and safe from several workers
 * (the project row is locked while it is written).
 */
export async function syncCatalog(ctx: EngineContext, dir: string, random: () => number = Math.random): Promise<SyncReport> {
  const report: SyncReport = { loaded: [], invalid: [], removed: [] };
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => projectIdOfFile(f) !== null).sort();
  } catch (err) {
    ctx.logger.warn("projects directory cannot be read", { dir, error: (err as Error).message });
    return report;
  }
  const seen = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    const parsed = parseProject(file, text);
    const projectId = projectIdOfFile(file)!;
    seen.add(projectId);
    if (parsed.ok) {
      if (await syncProject(ctx, file, parsed.project, random)) report.loaded.push(projectId);
    } else {
      await recordInvalid(ctx, projectId, file, parsed.errors);
      report.invalid.push({ project: projectId, errors: parsed.errors });
    }
  }
  // a deleted file disables its jobs (their history stays)
  const stale = await ctx.db.sql.query<{ key: string }>(
    `UPDATE scheduler_job SET removed_at = $2, next_tick_at = NULL, tick_timer_id = NULL, triage_requested_at = $2, updated_at = $2
      WHERE removed_at IS NULL AND NOT (project_id = ANY($1::text[])) RETURNING key`,
    [[...seen], ctx.clock.now()],
  );
  report.removed = stale.rows.map((r) => r.key);
  return report;
}

async function syncProject(ctx: EngineContext, fileName: string, project: ProjectDefinition, random: () => number): Promise<boolean> {
  const now = ctx.clock.now();
  return withTransaction(ctx.db.pool, async (sql) => {
    await sql.query(
      `INSERT INTO scheduler_project (id, file_name, revision, loaded_at) VALUES ($1, $2, '', $3) ON CONFLICT (id) DO NOTHING`,
      [project.id, fileName, now],
    );
    const current = await sql.query<{ revision: string; errors: unknown }>(`SELECT revision, errors FROM scheduler_project WHERE id = $1 FOR UPDATE`, [project.id]);
    if (current.rows[0]!.revision === project.revision && current.rows[0]!.errors === null) return false;
    await sql.query(
      `UPDATE scheduler_project SET revision = $2, file_name = $3, loaded_at = $4, errors = NULL, event_retention_days = $5
        WHERE id = $1`,
      [project.id, project.revision, fileName, now, project.eventRetentionDays],
    );
    const existing = await sql.query<{ key: string; definition: JobDefinition; removed_at: Date | null; paused_at: Date | null; next_tick_at: Date | null; last_slot_at: Date | null }>(
      `SELECT key, definition, removed_at, paused_at, next_tick_at, last_slot_at FROM scheduler_job WHERE project_id = $1`,
      [project.id],
    );
    const byKey = new Map(existing.rows.map((r) => [r.key, r]));
    for (const def of project.jobs) {
      const key = `${project.id}/${def.id}`;
      const old = byKey.get(key);
      byKey.delete(key);
      const rearm = !old || old.removed_at !== null || timingOf(old.definition) !== timingOf(def);
      const state = { nextTickAt: old?.next_tick_at?.getTime() ?? null, lastSlotAt: old?.last_slot_at?.getTime() ?? null };
      const next = def.disabled || old?.paused_at ? disarm(state) : rearm ? arm(state, def.schedule, now.getTime(), random, key) : state;
      await sql.query(
        `INSERT INTO scheduler_job (key, project_id, job_id, revision, definition, next_tick_at, triage_requested_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)
         ON CONFLICT (key) DO UPDATE SET revision = $4, definition = $5, next_tick_at = $6, removed_at = NULL,
                                         -- an armed timer stays valid while its tick does
                                         tick_timer_id = CASE WHEN scheduler_job.next_tick_at IS NOT DISTINCT FROM EXCLUDED.next_tick_at
                                                              THEN scheduler_job.tick_timer_id END,
                                         triage_requested_at = $7, updated_at = $7`,
        [key, project.id, def.id, project.revision, JSON.stringify(def), next.nextTickAt === null ? null : new Date(next.nextTickAt), now],
      );
    }
    for (const key of byKey.keys()) {
      await sql.query(`UPDATE scheduler_job SET removed_at = $2, next_tick_at = NULL, tick_timer_id = NULL, triage_requested_at = $2, updated_at = $2 WHERE key = $1 AND removed_at IS NULL`, [key, now]);
    }
    ctx.logger.info("loaded project", { project: project.id, revision: project.revision, jobs: project.jobs.length });
    return true;
  });
}

async function recordInvalid(ctx: EngineContext, projectId: string, fileName: string, errors: CatalogError[]): Promise<void> {
  const r = await ctx.db.sql.query(
    `INSERT INTO scheduler_project (id, file_name, revision, loaded_at, errors) VALUES ($1, $2, '', $3, $4)
     ON CONFLICT (id) DO UPDATE SET errors = $4 WHERE scheduler_project.errors IS DISTINCT FROM $4::jsonb`,
    [projectId, fileName, ctx.clock.now(), JSON.stringify(errors)],
  );
  if (r.rowCount) ctx.logger.warn("project file is invalid; its last good revision keeps running", { project: projectId, errors: errors.map((e) => `${e.file}:${e.line}: ${e.message}`) });
}
