import type { Sql } from "@hourglass/db";
import type { ChainJob, ChainSequence } from "../expand.ts";

/**
 * A new request's sequences and jobs, in one statement. Jobs start PENDING
 * (the request's `created` event stands for them: a job's history begins
 * with its first try), each counting its parents as waiting.
 *   $1 request id, $2–$8 sequences' columns, $9–$20 jobs' columns
 */
const SQL = `
WITH seqs AS (
  INSERT INTO chain_sequence (request_id, id, name, label, parent_id, retry, start_job, end_job)
  SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])
)
INSERT INTO chain_job (request_id, id, name, type, role, sequence_id, deps, next, args, runtime_args, sets, retry,
                       retry_wait_millis, waiting_deps)
SELECT $1, u.id, u.name, u.type, u.role, u.seq, ARRAY(SELECT jsonb_array_elements_text(u.deps)),
       ARRAY(SELECT jsonb_array_elements_text(u.next)), u.args, u.runtime_args, u.sets, u.retry, u.wait,
       jsonb_array_length(u.deps)
  FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::jsonb[], $16::jsonb[],
              $17::jsonb[], $18::jsonb[], $19::int[], $20::int[])
       AS u(id, name, type, role, seq, deps, next, args, runtime_args, sets, retry, wait)`;

export async function insertChain(sql: Sql, requestId: string, s: ChainSequence[], j: ChainJob[]): Promise<void> {
  const json = (v: unknown) => JSON.stringify(v);
  await sql.query(SQL, [
    requestId,
    s.map((x) => x.id), s.map((x) => x.name), s.map((x) => x.label), s.map((x) => x.parentId), s.map((x) => x.retry),
    s.map((x) => x.startJob), s.map((x) => x.endJob),
    j.map((x) => x.id), j.map((x) => x.name), j.map((x) => x.type), j.map((x) => x.role), j.map((x) => x.sequenceId),
    j.map((x) => json(x.deps)), j.map((x) => json(x.next)), j.map((x) => json(x.args)),
    j.map((x) => json(x.runtimeArgs)), j.map((x) => json(x.sets)), j.map((x) => x.retry),
    j.map((x) => x.retryWaitMillis),
  ]);
}
