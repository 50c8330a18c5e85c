import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, eventPayload, notifyQueues, rankSql, runEntity } from "./common.ts";

/**
 * What follows tasks' resolution (tasks that resolved with no retry), in the
 * transaction that resolved them: each dependency they satisfy by its
 * `requires` (machine.ts satisfies) is marked, each dependent's count of
 * unsatisfied dependencies drops, and a dependent still unscheduled whose
 * count reaches 0 gets its first run (machine.ts readyToSchedule). The count
 * is a column of the dependent's row, so two dependencies resolving at once
 * serialise on it and the last one schedules. Each group's unresolved count
 * drops too; a group whose count reaches 0 is resolved (`task_group
 * resolved`, Taskcluster's task-group-resolved).
 */
const SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[]) AS i(task_id, state)
), sat AS (
  UPDATE task_dependency d SET satisfied = true
    FROM input i
   WHERE d.required_task_id = ANY($1::text[]) AND d.required_task_id = i.task_id AND NOT d.satisfied
     AND d.dependent_task_id <> d.required_task_id AND (d.requires = 'all-resolved' OR i.state = 'completed')
  RETURNING d.dependent_task_id
), counts AS (
  SELECT dependent_task_id AS task_id, count(*)::int AS n FROM sat GROUP BY dependent_task_id
), old AS (
  SELECT t.task_id, t.state, t.unsatisfied FROM task t JOIN counts c USING (task_id) FOR UPDATE OF t
), deps AS (
  UPDATE task t SET
    unsatisfied = t.unsatisfied - c.n,
    state = (CASE WHEN o.state = 'unscheduled' AND o.unsatisfied - c.n = 0 THEN 'pending'
                  ELSE o.state::text END)::"TaskState",
    run_count = CASE WHEN o.state = 'unscheduled' AND o.unsatisfied - c.n = 0 THEN 1 ELSE t.run_count END,
    updated_at = $3
    FROM counts c JOIN old o USING (task_id)
   WHERE t.task_id = c.task_id
  RETURNING t.task_id, t.task_queue_id, t.task_group_id, t.project_id, t.priority,
            (o.state = 'unscheduled' AND o.unsatisfied - c.n = 0) AS scheduled
), runs AS (
  INSERT INTO task_run (task_id, run_id, task_queue_id, priority, state, reason_created, scheduled)
  SELECT task_id, 0, task_queue_id, ${rankSql("priority")}, 'pending', 'scheduled', $3 FROM deps WHERE scheduled
  RETURNING task_id, task_queue_id
), per_group AS (
  SELECT t.task_group_id, count(*)::int AS n FROM input i JOIN task t USING (task_id) GROUP BY t.task_group_id
), groups AS (
  UPDATE task_group g SET unresolved = g.unresolved - p.n,
         resolved = CASE WHEN g.unresolved - p.n = 0 THEN $3::timestamptz ELSE g.resolved END
    FROM per_group p
   WHERE g.task_group_id = p.task_group_id
  RETURNING g.task_group_id, g.project_id, g.unresolved
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $3, project_id, 'task_run', ${runEntity("task_id", "0")}, 'pending', NULL, 'pending', 'scheduled', $4,
         ${eventPayload("deps")}
    FROM deps WHERE scheduled
  UNION ALL
  SELECT $3, project_id, 'task_group', task_group_id, 'resolved', NULL, 'resolved', '', $4,
         jsonb_build_object('taskGroupId', task_group_id)
    FROM groups WHERE unresolved = 0
)
SELECT (SELECT count(*) FROM runs)::int AS scheduled, ${notifyQueues("runs")} AS notified`;

/** `resolved`: tasks that resolved with no retry, with their final state. Returns how many dependents were scheduled. */
export async function resolveDependents(
  sql: Sql, resolved: { taskId: string; state: string }[], now: Date, actor: string,
): Promise<number> {
  if (resolved.length === 0) return 0;
  const r = await sql.query<{ scheduled: number }>(SQL, [
    resolved.map((x) => x.taskId), resolved.map((x) => x.state), now, actor,
  ]);
  return r.rows[0]!.scheduled;
}
