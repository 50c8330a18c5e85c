import type { Sql } from "@hourglass/db";
import type { WindowWrite } from "../../collapse.ts";

/**
 * Grows open windows (COLLECTING deliveries) by the firings that joined them,
 * and closes those a later firing fell after (COLLECTING → SENDING; the job
 * queued for their end sends them). Guarded on COLLECTING; call holding the
 * rules' row locks (lockWindows).
 *   $1 [{id, count, last, sample, closed}], $2 now
 */
const SQL = `
UPDATE alert_delivery d
   SET count = u.count, last_fired_at = u.last, sample = u.sample,
       state = CASE WHEN u.closed THEN 'SENDING'::"AlertDeliveryState" ELSE d.state END, updated_at = $2
  FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, count int, last timestamptz, sample jsonb, closed bool)
 WHERE d.id = u.id AND d.state = 'COLLECTING'`;

export async function joinWindows(sql: Sql, windows: (WindowWrite & { id: string })[], now: Date): Promise<number> {
  if (windows.length === 0) return 0;
  const rows = windows.map((w) => ({ id: w.id, count: w.count, last: new Date(w.lastAt), sample: w.sample, closed: w.closed }));
  return (await sql.query(SQL, [JSON.stringify(rows), now])).rowCount ?? 0;
}
