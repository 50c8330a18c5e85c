import { performance } from "node:perf_hooks";
import pg from "pg";
import { recreateDatabase } from "@hourglass/db/testing";
import { migrate } from "@hourglass/db";
const url = await recreateDatabase("hg_prof5");
await migrate(url);
const c = new pg.Client({ connectionString: url }); await c.connect();
await c.query("INSERT INTO queue (name) VALUES ('bench')");
const now = new Date();
const variants: Record<string, [string, unknown[]]> = {
  current: [`WITH input AS (SELECT * FROM unnest($2::text[], $3::smallint[], $4::timestamptz[], $5::int[], $6::text[]) WITH ORDINALITY AS t(body, priority, run_after, attempts, custom_status, ord)),
 ins AS (INSERT INTO queue_job (queue_name, body, priority, run_after, attempts_allowed, attempts_remaining, custom_status, created_at, updated_at, history)
  SELECT $1, body, priority, coalesce(run_after, $7), attempts, attempts, custom_status, $7, $7, jsonb_build_array(jsonb_build_object('at', $7::timestamptz, 'state', 'PENDING', 'by', $8::text, 'note', 'enqueued')) FROM input ORDER BY ord RETURNING id, run_after)
SELECT id::text AS id, (SELECT count(pg_notify('hourglass_jobs', $1)) FROM (SELECT 1 FROM ins WHERE run_after <= $7 LIMIT 1) due)::int AS notified FROM ins ORDER BY ins.id`, ["bench", ["x"], [1], [null], [2], [""], now, "b"]],
  noNotify: [`INSERT INTO queue_job (queue_name, body, priority, run_after, attempts_allowed, attempts_remaining, custom_status, created_at, updated_at, history)
  SELECT $1, body, priority, coalesce(run_after, $7), attempts, attempts, custom_status, $7, $7, jsonb_build_array(jsonb_build_object('at', $7::timestamptz, 'state', 'PENDING', 'by', $8::text, 'note', 'enqueued')) FROM unnest($2::text[], $3::smallint[], $4::timestamptz[], $5::int[], $6::text[]) AS t(body, priority, run_after, attempts, custom_status) RETURNING id`, ["bench", ["x"], [1], [null], [2], [""], now, "b"]],
  plainNotify: [`WITH ins AS (INSERT INTO queue_job (queue_name, body, priority, run_after, attempts_allowed, attempts_remaining, custom_status, created_at, updated_at) VALUES ($1, 'x', 1, $2, 2, 2, '', $2, $2) RETURNING id) SELECT id, pg_notify('hourglass_jobs', $1) FROM ins`, ["bench", now]],
  plain: [`INSERT INTO queue_job (queue_name, body, priority, run_after, attempts_allowed, attempts_remaining, custom_status, created_at, updated_at) VALUES ($1, 'x', 1, $2, 2, 2, '', $2, $2) RETURNING id`, ["bench", now]],
};
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(3);
for (let round = 0; round < 2; round++) for (const [name, [sql, params]] of Object.entries(variants)) {
  const xs: number[] = [];
  for (let i = 0; i < 400; i++) { const t = performance.now(); await c.query({ name: name, text: sql, values: params }); xs.push(performance.now() - t); }
  if (round) console.log(name, med(xs));
}
process.exit(0);
