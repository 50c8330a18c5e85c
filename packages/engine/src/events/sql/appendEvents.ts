import type { Sql } from "@hourglass/db";
import type { EventInput } from "../types.ts";
import { EVENT_COLUMNS } from "./columns.ts";

const SQL = `
INSERT INTO event_log (${EVENT_COLUMNS})
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::jsonb[])`;

/** Appends events in one statement. Run it on the transaction that makes the change. */
export async function appendEvents(db: Sql, events: EventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(SQL, [
    events.map((e) => e.at),
    events.map((e) => e.project),
    events.map((e) => e.entityKind),
    events.map((e) => e.entityId),
    events.map((e) => e.action),
    events.map((e) => e.from ?? null),
    events.map((e) => e.to ?? null),
    events.map((e) => e.reason ?? ""),
    events.map((e) => e.actor),
    events.map((e) => (e.payload ? JSON.stringify(e.payload) : null)),
  ]);
}
