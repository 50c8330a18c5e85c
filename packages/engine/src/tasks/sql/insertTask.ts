import type { Sql } from "@hourglass/db";
import type { TaskDefinition } from "../definition.ts";
import { priorityRank as rank } from "../priorities.ts";
import { EVENT_COLUMNS, eventPayload, notifyQueues, runEntity } from "./common.ts";

/**
 * createTask's write, run after lockTaskGroup in the same transaction: the
 * task (unless its id exists: ON CONFLICT DO NOTHING, the caller compares
 * definitions), its dependency rows, its first run when nothing is left to
 * wait for (`$21`: scheduleTask-like creation off for defineTask), the
 * group's unresolved count, and the events. The dependencies are read FOR
 * SHARE: a dependency resolving at the same moment either committed before
 * (and counts as satisfied here) or waits for this transaction and then
 * sees the new dependency rows (tasks/sql/resolveDependents.ts), so no
 * dependent is ever left waiting for a resolution it missed. A dependency
 * that does not exist (other than the task itself: Taskcluster allows a task
 * to wait on itself for scheduleTask) inserts nothing and is named in
 * `missing`.
 */
const SQL = `
WITH deps AS (
  SELECT task_id, state FROM task WHERE task_id = ANY($6::text[]) FOR SHARE
), known AS (
  SELECT count(*)::int AS n,
         count(*) FILTER (WHERE state = 'completed' OR ($7 = 'all-resolved' AND state IN ('failed', 'exception')))::int
           AS done
    FROM deps
), ins AS (
  INSERT INTO task (task_id, task_queue_id, scheduler_id, project_id, task_group_id, dependencies, requires, routes,
    priority, retries, retries_left, created, deadline, expires, scopes, payload, metadata, tags, extra, state,
    unsatisfied, run_count, updated_at)
  SELECT $1, $2, $3, $4, $5, $6::text[], $7, $8::text[], $9, $10, $10, $11, $12, $13, $14::text[], $15, $16, $17, $18,
         (CASE WHEN $21 AND cardinality($6::text[]) = k.done THEN 'pending' ELSE 'unscheduled' END)::"TaskState",
         cardinality($6::text[]) - k.done,
         CASE WHEN $21 AND cardinality($6::text[]) = k.done THEN 1 ELSE 0 END, $19
    FROM known k
   WHERE k.n = cardinality($6::text[]) - (CASE WHEN $1 = ANY($6::text[]) THEN 1 ELSE 0 END)
  ON CONFLICT (task_id) DO NOTHING
  RETURNING task_id, state, task_queue_id, task_group_id, project_id
), dep_rows AS (
  INSERT INTO task_dependency (required_task_id, dependent_task_id, requires, satisfied)
  SELECT d.id, ins.task_id, $7,
         coalesce(deps.state = 'completed' OR ($7 = 'all-resolved' AND deps.state IN ('failed', 'exception')), false)
    FROM ins, unnest($6::text[]) AS d(id) LEFT JOIN deps ON deps.task_id = d.id
), run AS (
  INSERT INTO task_run (task_id, run_id, task_queue_id, priority, state, reason_created, scheduled)
  SELECT task_id, 0, task_queue_id, $22, 'pending', 'scheduled', $19 FROM ins WHERE state = 'pending'
  RETURNING task_id, task_queue_id
), grp AS (
  UPDATE task_group SET unresolved = unresolved + 1, resolved = NULL
   WHERE task_group_id = $5 AND EXISTS (SELECT 1 FROM ins)
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $19, project_id, 'task', task_id, 'defined', NULL, 'unscheduled', '', $20, ${eventPayload("ins")} FROM ins
  UNION ALL
  SELECT $19, ins.project_id, 'task_run', ${runEntity("ins.task_id", "0")}, 'pending', NULL, 'pending', 'scheduled', $20,
         ${eventPayload("ins")}
    FROM ins JOIN run USING (task_id)
)
SELECT (SELECT count(*) FROM ins)::int AS inserted,
       array(SELECT d FROM unnest($6::text[]) AS d WHERE d <> $1 AND d NOT IN (SELECT task_id FROM deps)) AS missing,
       ${notifyQueues("run")} AS notified`;

/** Whether the task was inserted, and the dependencies that do not exist. */
export async function insertTask(
  sql: Sql, taskId: string, d: TaskDefinition, now: Date, actor: string, schedule: boolean,
): Promise<{ inserted: boolean; missing: string[] }> {
  const r = await sql.query<{ inserted: number; missing: string[] }>(SQL, [
    taskId, d.taskQueueId, d.schedulerId, d.projectId, d.taskGroupId, d.dependencies, d.requires, d.routes,
    d.priority, d.retries, d.created, d.deadline, d.expires, d.scopes, d.payload, d.metadata, d.tags, d.extra,
    now, actor, schedule, rank(d.priority),
  ]);
  return { inserted: r.rows[0]!.inserted === 1, missing: r.rows[0]!.missing };
}
