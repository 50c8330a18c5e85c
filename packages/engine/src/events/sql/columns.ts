/**
 * The columns writers fill, in order. Statements that change a state append
 * their events in the same statement with
 * `INSERT INTO event_log (${EVENT_COLUMNS}) SELECT …` over their RETURNING rows.
 */
export const EVENT_COLUMNS = "at, project, entity_kind, entity_id, action, from_state, to_state, reason, actor, payload";

/** What readers select: `cursor` is "<tx>.<id>". */
export const EVENT_SELECT = `id::text AS id, tx::text || '.' || id::text AS cursor, at, project, entity_kind, entity_id,
  action, from_state, to_state, reason, actor, payload`;

export interface EventRow {
  id: string;
  cursor: string;
  at: Date;
  project: string;
  entity_kind: string;
  entity_id: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string;
  actor: string;
  payload: Record<string, unknown> | null;
}
