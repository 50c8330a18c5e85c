// Where an audit event's entity lives in the dashboard. Pure: tested in apps/web/test.

export interface LinkedEvent {
  project: string;
  entityKind: string;
  entityId: string;
  /** What the entity belongs to, as audit.search resolves it. */
  refs: { queue: string | null; job: string | null; request: string | null };
}

const seg = (s: string) => encodeURIComponent(s);
/** A scheduler job's key "<project>/<job>" as a path (both parts encoded). */
const jobPath = (key: string) => key.split("/").map(seg).join("/");

/** The page of the event's entity, or null when it has none (or what it belongs to is not known). */
export function entityHref(e: LinkedEvent): string | null {
  switch (e.entityKind) {
    case "queue":
      return `/queues/${seg(e.entityId)}`;
    case "queue_job":
      return e.refs.queue ? `/queues/${seg(e.refs.queue)}/jobs/${seg(e.entityId)}` : null;
    case "scheduler_job":
      return `/jobs/${jobPath(e.entityId)}`;
    case "invocation":
      return e.refs.job ? `/jobs/${jobPath(e.refs.job)}/${seg(e.entityId)}` : null;
    case "trigger":
      return e.refs.job ? `/jobs/${jobPath(e.refs.job)}` : null;
    case "project":
      return `/jobs/${seg(e.entityId)}`;
    case "request":
      return `/requests/${seg(e.entityId)}`;
    case "chain_job":
      return e.refs.request ? `/requests/${seg(e.refs.request)}` : null;
    case "principal":
      return e.entityId.startsWith("service:") ? "/access/service-accounts" : "/access";
    case "token":
      return "/access/tokens";
    case "role":
      return "/access/roles";
    default:
      return null;
  }
}
