/** State enums without server code, for the dashboard and the CLI to import. */
export * from "./queue/states.ts";
export * from "./chains/states.ts";
export * from "./scheduler/invocation-states.ts";
export * from "./scheduler/trigger-states.ts";
export * from "./scheduler/backfill-states.ts";
export { ENTITY_KINDS, ENTITY_KIND_DOC, type EntityKind } from "./events/kinds.ts";
