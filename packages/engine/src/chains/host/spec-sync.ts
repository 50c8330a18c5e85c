import { createHash } from "node:crypto";
import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import { lintSpecs, type LintResult } from "../lint.ts";
import type { SpecError, SpecFile } from "../spec.ts";
import { readSpecDirectory } from "./spec-files.ts";

/**
 * Loads every *.yaml spec file of `dir` into request_spec_file (files that
 * went away are dropped) and records the job types this worker runs, so the
 * web process can lint and expand specs without reading the directory.
 */
export async function syncSpecs(ctx: EngineContext, dir: string, handlerTypes: string[]): Promise<void> {
  let files: ReturnType<typeof readSpecDirectory> = [];
  try {
    files = readSpecDirectory(dir);
  } catch {
    files = []; // no spec directory: no request types
  }
  const names = files.map((f) => f.file);
  const now = ctx.clock.now();
  const rows = files.map(({ file, parsed }) =>
    parsed.ok
      ? { file, revision: parsed.spec.revision, spec: JSON.stringify(parsed.spec), errors: "[]" }
      : { file, revision: "invalid", spec: null, errors: JSON.stringify(parsed.errors) });
  await withTransaction(ctx.db.pool, async (sql) => {
    await sql.query(
      `INSERT INTO request_spec_file (file, revision, spec, errors, loaded_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[], array_fill($5::timestamptz, ARRAY[cardinality($1::text[])]))
       ON CONFLICT (file) DO UPDATE SET revision = excluded.revision, spec = excluded.spec, errors = excluded.errors, loaded_at = excluded.loaded_at
        WHERE request_spec_file.revision <> excluded.revision OR request_spec_file.errors <> excluded.errors`,
      [rows.map((r) => r.file), rows.map((r) => r.revision), rows.map((r) => r.spec), rows.map((r) => r.errors), now]);
    await sql.query(`DELETE FROM request_spec_file WHERE NOT (file = ANY($1::text[]))`, [names]);
    if (handlerTypes.length) {
      await sql.query(
        `INSERT INTO chain_job_type (name, seen_at) SELECT unnest($1::text[]), $2 ON CONFLICT (name) DO UPDATE SET seen_at = excluded.seen_at`,
        [handlerTypes, now]);
    }
  });
}

export interface LoadedSpecs extends LintResult {
  /** Parse and lint errors of every file. */
  allErrors: SpecError[];
  /** Revision of the whole spec set (pinned by each request). */
  revision: string;
}

/** The stored specs, linted with the job types workers registered. */
export async function loadSpecs(ctx: EngineContext): Promise<LoadedSpecs> {
  const [files, types] = await Promise.all([
    ctx.db.sql.query<{ file: string; revision: string; spec: SpecFile | null; errors: SpecError[] }>(`SELECT file, revision, spec, errors FROM request_spec_file ORDER BY file`),
    ctx.db.sql.query<{ name: string }>(`SELECT name FROM chain_job_type`),
  ]);
  const lint = lintSpecs(files.rows.flatMap((f) => (f.spec ? [f.spec] : [])), types.rows.map((t) => t.name));
  return {
    ...lint,
    allErrors: [...files.rows.flatMap((f) => f.errors), ...lint.errors],
    revision: createHash("sha256").update(files.rows.map((f) => `${f.file}@${f.revision}`).join(",")).digest("hex").slice(0, 12),
  };
}
