import type { Sql } from "@hourglass/db";
import type { Cursor } from "../cursor.ts";

/**
 * Whether any committed event lies beyond the cursor. Asked right after a
 * follow that returned everything it could: a yes means events of finished
 * transactions wait behind an older transaction still running (follow reads
 * only below the follow horizon), so the reader must look again shortly —
 * that older transaction may write no event, and then nothing would wake it.
 */
const SQL = `SELECT EXISTS (SELECT 1 FROM event_log WHERE (tx, id) > ($1::bigint, $2::bigint)) AS held`;

export async function eventsAfter(db: Sql, after: Cursor): Promise<boolean> {
  const r = await db.query<{ held: boolean }>(SQL, [after.tx.toString(), after.id.toString()], "hg_events_after");
  return r.rows[0]?.held ?? false;
}

/**
 * The id the next transaction will get (the snapshot's xmax): every event
 * ever written has a smaller tx, so a cursor at or past it was not issued by
 * this database (a restored backup, another server).
 */
export async function nextTx(db: Sql): Promise<bigint> {
  const r = await db.query<{ next: string }>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next`);
  return BigInt(r.rows[0]!.next);
}
