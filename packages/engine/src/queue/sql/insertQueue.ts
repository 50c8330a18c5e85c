import type { Sql } from "@hourglass/db";
import type { QueueSettings } from "../schemas.ts";
import { QUEUE_RETURNING, toQueueRow, type QueueRow } from "./queueRow.ts";
import { settingsColumns } from "./settingsColumns.ts";

/**
 * Creates a queue unless its name is taken (createQueue is idempotent):
 * the new row, or null when the queue already existed. Settings left out
 * keep the columns' defaults.
 */
export async function insertQueue(
  db: Sql, q: { name: string; project: string; now: Date; settings: QueueSettings },
): Promise<QueueRow | null> {
  const columns = [
    { column: "name", value: q.name }, { column: "project", value: q.project },
    { column: "created_at", value: q.now }, { column: "updated_at", value: q.now },
    ...settingsColumns(q.settings),
  ] as { column: string; value: unknown; cast?: string }[];
  const r = await db.query(
    `INSERT INTO queue (${columns.map((c) => c.column).join(", ")})
     VALUES (${columns.map((c, i) => `$${i + 1}${c.cast ?? ""}`).join(", ")})
     ON CONFLICT (name) DO NOTHING
     RETURNING ${QUEUE_RETURNING}`,
    columns.map((c) => c.value),
  );
  return r.rows[0] ? toQueueRow(r.rows[0]) : null;
}
