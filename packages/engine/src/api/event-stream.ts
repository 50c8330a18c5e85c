/**
 * The event log over server-sent events, for programs (GET /api/events: every
 * event that matches, with its cursor as the SSE id) and for the dashboard's
 * pages (GET /api/events/changes: which of a page's topics changed, coalesced,
 * so a page refetches instead of polling). Both authenticate like every API
 * call (a Bearer token or the session cookie), send only what the caller may
 * see, resume from `Last-Event-ID` (or `?after=`), start at the log's end
 * without one, and write a heartbeat comment every 15 s. Credentials are
 * checked again at most every 30 s while events flow: a revoked token or an
 * ended session stops its stream, a changed role changes what it sees.
 */
import type { ApiCaller } from "../access/host/caller.ts";
import type { Credentials } from "../access/host/credentials.ts";
import type { Engine } from "../engine.ts";
import { isHourglassError } from "../errors.ts";
import { EventSelector, selectEvents } from "../events/select.ts";
import type { EventInfo } from "../events/types.ts";
import { streamEvents, type StreamItem } from "../events/stream.ts";
import { credentialsOf } from "./credentials-of.ts";
import { parsePublicParams, parseTopicsParams, type ParamsResult } from "./event-stream-params.ts";
import { refusedCredentials } from "./http.ts";
import { checkRequest, type RequestPolicy } from "./request-guard.ts";
import { sseResponse, type SseWriter } from "./sse.ts";

export const EVENTS_ENDPOINT = "/api/events";
export const CHANGES_ENDPOINT = "/api/events/changes";

export interface EventStreamOptions {
  /** Hosts the API answers as, beyond loopback (see RequestPolicy). */
  policy?: RequestPolicy;
  heartbeatMs?: number;
  reauthenticateMs?: number;
  /** A page is told of changes at most this often; changes in between are sent together. */
  changesIntervalMs?: number;
  /** A page that reconnects after missing more than this many events is told everything changed. */
  changesCatchUpLimit?: number;
  /** Told about internal errors of a stream. */
  onError?: (message: string) => void;
}

function refuse(status: number, code: string, errorCode: string, message: string, issues?: unknown): Response {
  const data = { code, httpStatus: status, errorCode, ...(issues ? { issues } : {}) };
  return Response.json({ error: { message, code: -32600, data } }, { status });
}

/** GET /api/events */
export function handleEventStreamRequest(req: Request, engine: Engine, options: EventStreamOptions = {}): Promise<Response> {
  return serve(req, engine, options, parsePublicParams, writeEvents);
}

/** GET /api/events/changes?topics=… */
export function handleChangesRequest(req: Request, engine: Engine, options: EventStreamOptions = {}): Promise<Response> {
  return serve(req, engine, options, parseTopicsParams, writeChanges);
}

/** What a producer works with: the stream, the caller's checks, and the position the heartbeat names. */
interface Session {
  engine: Engine;
  options: EventStreamOptions;
  stream: AsyncGenerator<StreamItem>;
  selector: EventSelector;
  topics: number;
  /** The stream's position (an SSE id), and the last one the client was sent. */
  position: string;
  sent: string;
  /**
   * Re-checks the caller when due: "same" (not due, or the database is away),
   * "renewed" (checked: its current scopes apply from now on), "denied" (its
   * credentials no longer hold; the client was told, the stream must end).
   */
  stillAllowed(w: SseWriter): Promise<"same" | "renewed" | "denied">;
}

type Producer = (s: Session, w: SseWriter, signal: AbortSignal) => Promise<void>;

async function serve(
  req: Request,
  engine: Engine,
  options: EventStreamOptions,
  parse: (url: URL, headers: Headers) => ParamsResult,
  produce: Producer,
): Promise<Response> {
  const refused = checkRequest(req, options.policy ?? { allowedHosts: [] });
  if (refused) return refused;
  if (req.method !== "GET") {
    return refuse(405, "METHOD_NOT_SUPPORTED", "INVALID_ARGUMENT", "the event stream is read with GET");
  }
  if (req.headers.get("sec-fetch-site") === "cross-site") {
    return refuse(403, "FORBIDDEN", "CROSS_SITE_REQUEST", "the event stream is not served to pages of another site");
  }
  const credentials = credentialsOf(req);
  let caller: ApiCaller;
  try {
    caller = await engine.access.credentials.authenticate(credentials);
  } catch (err) {
    return refusedCredentials(err, engine);
  }
  if (caller.kind === "anonymous") {
    return refuse(401, "UNAUTHORIZED", "UNAUTHENTICATED", "sign in, or send an API token (Authorization: Bearer hg_…)");
  }
  const parsed = parse(new URL(req.url), req.headers);
  if (!parsed.ok) {
    const message = parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    return refuse(400, "BAD_REQUEST", "INVALID_ARGUMENT", message, parsed.issues);
  }
  const abort = new AbortController();
  if (req.signal.aborted) abort.abort();
  req.signal.addEventListener("abort", () => abort.abort(), { once: true });
  const selector = new EventSelector(parsed.params.filters, caller.scopes);
  const pages = produce === writeChanges;
  const stream = streamEvents(engine.feed, engine.events, selector, {
    after: parsed.params.after,
    signal: abort.signal,
    catchUpLimit: pages ? (options.changesCatchUpLimit ?? 2_000) : undefined,
  });
  let first: IteratorResult<StreamItem>;
  try {
    first = await stream.next(); // subscribed, with its start position
  } catch (err) {
    abort.abort();
    if (engine.ctx.db.outage.failed(err)) return refusedCredentials(err, engine);
    throw err;
  }
  const start = first.done ? "0.0" : first.value.cursor;
  const session = newSession(engine, options, stream, selector, parsed.params.filters.length, start, credentials);
  return sseResponse({
    abort,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    heartbeat: () => {
      if (session.position === session.sent) return ": heartbeat\n\n";
      session.sent = session.position;
      return `: heartbeat\nid: ${session.position}\n\n`;
    },
    produce: async (w, signal) => {
      try {
        // the start position as the stream's id (no event is dispatched): a reconnection resumes from it
        await w.send(`retry: 1000\nid: ${start}\n\n`);
        await produce(session, w, signal);
      } finally {
        abort.abort();
        await stream.return(undefined);
      }
    },
    onError: (err) => options.onError?.(`event stream: ${(err as Error)?.message ?? String(err)}`),
  });
}

function newSession(
  engine: Engine,
  options: EventStreamOptions,
  stream: AsyncGenerator<StreamItem>,
  selector: EventSelector,
  topics: number,
  start: string,
  credentials: Credentials,
): Session {
  let checkedAt = Date.now();
  return {
    engine, options, stream, selector, topics, position: start, sent: start,
    async stillAllowed(w) {
      if (Date.now() - checkedAt < (options.reauthenticateMs ?? 30_000)) return "same";
      try {
        const caller = await engine.access.credentials.authenticate(credentials);
        checkedAt = Date.now();
        selector.setScopes(caller.scopes);
        return "renewed";
      } catch (err) {
        if (!isHourglassError(err) || err.code !== "UNAUTHENTICATED") return "same"; // the database is away: check later
        const data = JSON.stringify({ errorCode: "UNAUTHENTICATED", message: err.message });
        await w.send(`event: unauthenticated\ndata: ${data}\n\n`);
        return "denied";
      }
    },
  };
}

/** The next item, checked against the caller's current credentials; null when they no longer hold. */
async function nextItem(s: Session, w: SseWriter): Promise<StreamItem | null> {
  const next = await s.stream.next();
  if (next.done) return null;
  if (next.value.events.length === 0) return next.value;
  const allowed = await s.stillAllowed(w);
  if (allowed === "denied") return null;
  return allowed === "renewed" ? recheck(s, next.value) : next.value;
}

/** The item again under the caller's scopes as just renewed (the feed selected it under the old ones). */
async function recheck(s: Session, item: StreamItem): Promise<StreamItem> {
  const [taken] = await selectEvents(item.events, [s.selector], s.engine.feed.refs);
  return { ...item, events: taken!.events, topics: taken!.topics };
}

/**
 * An event's SSE message, encoded. Every stream the feed hands the same batch
 * to gets the same objects, so each is serialized and encoded once, however
 * many subscribers.
 */
const messages = new WeakMap<EventInfo, Uint8Array>();
const encoder = new TextEncoder();
function messageOf(e: EventInfo): Uint8Array {
  let bytes = messages.get(e);
  if (bytes === undefined) {
    bytes = encoder.encode(`id: ${e.cursor}\ndata: ${JSON.stringify(e)}\n\n`);
    messages.set(e, bytes);
  }
  return bytes;
}

/** The public stream: each event as one message, its cursor as the id, the event (EventInfo) as JSON data. */
async function writeEvents(s: Session, w: SseWriter, signal: AbortSignal): Promise<void> {
  for (;;) {
    const item = await nextItem(s, w);
    if (!item || signal.aborted) return;
    s.position = item.cursor;
    if (item.events.length === 0) continue;
    s.sent = item.events[item.events.length - 1]!.cursor;
    await w.send(item.events.map(messageOf));
  }
}

/**
 * A page's stream: `event: change` with the indices of its topics that
 * changed (all of them after a gap), at most once per interval; the id is
 * the stream's position when it was sent.
 */
async function writeChanges(s: Session, w: SseWriter, signal: AbortSignal): Promise<void> {
  const interval = s.options.changesIntervalMs ?? 200;
  const pending = new Set<number>();
  let lastSent = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0 || signal.aborted) return;
    const topics = [...pending].sort((a, b) => a - b);
    pending.clear();
    lastSent = Date.now();
    s.sent = s.position;
    await w.send(`id: ${s.position}\nevent: change\ndata: ${JSON.stringify({ topics })}\n\n`);
  };
  try {
    for (;;) {
      const item = await nextItem(s, w);
      if (!item || signal.aborted) return;
      s.position = item.cursor;
      if (item.gap) for (let i = 0; i < Math.max(1, s.topics); i++) pending.add(i);
      for (const t of item.topics) pending.add(t);
      if (pending.size === 0) continue;
      const wait = lastSent + interval - Date.now();
      if (wait <= 0) await flush();
      else timer ??= setTimeout(() => void flush(), wait);
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
}
