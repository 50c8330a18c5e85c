import type { Sql } from "@hourglass/db";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/**
 * Reruns a sequence whole, in one statement: its jobs and those of the
 * sequences inside it go back to PENDING with their tries and data cleared
 * (the job log keeps every try), each waiting again for its parents that
 * are inside or not COMPLETE; its tries count up (those inside start over at
 * 1); progress drops by the jobs that had completed. A `reset` event for each
 * job that was not PENDING already. Returns its start job, for the caller to
 * dispatch. A try of it still running is ignored when it ends (the try guard).
 * Call holding the request row.
 *   $1 request id, $2 sequence id, $3 now, $4 actor
 */
const SQL = `
WITH RECURSIVE down AS (
  SELECT id FROM chain_sequence WHERE request_id = $1 AND id = $2
  UNION ALL
  SELECT s.id FROM chain_sequence s JOIN down ON s.request_id = $1 AND s.parent_id = down.id
), old AS (
  SELECT id, state::text AS state FROM chain_job
   WHERE request_id = $1 AND sequence_id IN (SELECT id FROM down) ORDER BY id FOR UPDATE
), reset AS (
  UPDATE chain_job j SET state = 'PENDING', tries = 0, data = '{}', finished_at = NULL,
         waiting_deps = (SELECT count(*) FROM chain_job p
                          WHERE p.request_id = $1 AND p.id = ANY(j.deps)
                            AND (p.state <> 'COMPLETE' OR p.sequence_id IN (SELECT id FROM down)))
    FROM old WHERE j.request_id = $1 AND j.id = old.id
  RETURNING j.id, j.total_tries, old.state AS was
), progress AS (
  UPDATE request SET finished_jobs = finished_jobs - (SELECT count(*) FROM reset WHERE was = 'COMPLETE') WHERE id = $1
  RETURNING project
), seqs AS (
  UPDATE chain_sequence SET tries = CASE WHEN id = $2 THEN tries + 1 ELSE 1 END
   WHERE request_id = $1 AND id IN (SELECT id FROM down)
  RETURNING id, tries, start_job
), ev AS (
  ${chainEvents({
    kind: "chain_job", from: "reset, progress, seqs s WHERE s.id = $2 AND reset.was <> 'PENDING'", at: "$3",
    project: "progress.project", entityId: chainJobEntity("$1", "reset.id"), action: "'reset'", fromState: "reset.was",
    toState: "'PENDING'", reason: "'sequence ' || $2 || ' reruns (try ' || s.tries || ')'", actor: "$4",
    payload: tryPayload("reset.total_tries", ["sequence", "$2::text"], ["sequenceTry", "s.tries"]),
  })}
)
SELECT start_job FROM seqs WHERE id = $2`;

/** Its start job, or null when the sequence does not exist. */
export async function retrySequence(sql: Sql, requestId: string, sequenceId: string, now: Date, actor: string) {
  const r = await sql.query<{ start_job: string }>(SQL, [requestId, sequenceId, now, actor]);
  return r.rows[0]?.start_job ?? null;
}
