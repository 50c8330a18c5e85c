export { EventLog, DEFAULT_RETENTION_DAYS, toEventInfo, type HistoryPage } from "./log.ts";
export { ENTITY_KINDS, ENTITY_KIND_DOC, isEntityKind, systemActor, workerActor, type EntityKind } from "./kinds.ts";
export { formatCursor, parseCursor, START, type Cursor } from "./cursor.ts";
export { EVENT_COLUMNS } from "./sql/columns.ts";
export type { EventInfo, EventInput } from "./types.ts";
export type { EventSearch } from "./sql/searchEvents.ts";
export type { FollowFilter } from "./sql/followEvents.ts";
