/** The package's "./api": the routers (root.ts) and the HTTP handlers that serve them. */
export * from "./root.ts";
export { handleApiRequest, TRPC_ENDPOINT, type ApiOptions } from "./http.ts";
export {
  CHANGES_ENDPOINT, EVENTS_ENDPOINT, handleChangesRequest, handleEventStreamRequest, type EventStreamOptions,
} from "./event-stream.ts";
export { AUDIT_EXPORT_ENDPOINT, handleAuditExportRequest, type AuditExportOptions } from "./audit-export.ts";
