import type { EntityKind } from "./kinds.ts";

/** One event to append (see the Event model in prisma/schema.prisma). */
export interface EventInput {
  at: Date;
  project: string;
  entityKind: EntityKind;
  entityId: string;
  action: string;
  from?: string | null;
  to?: string | null;
  reason?: string;
  actor: string;
  payload?: Record<string, unknown> | null;
}

/** An event as the API returns it. `cursor` resumes a stream after it (SSE `id`, `Last-Event-ID`). */
export interface EventInfo {
  id: string;
  cursor: string;
  atTimestampMillis: number;
  project: string;
  entityKind: string;
  entityId: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string;
  actor: string;
  payload: Record<string, unknown> | null;
}
