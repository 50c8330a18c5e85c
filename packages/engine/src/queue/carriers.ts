import { z } from "zod";

/**
 * The bodies of the engine's own queue jobs ("carriers"): each names what the
 * job carries, as JSON `{"kind": …, …fields}` checked by a zod schema. They
 * are built by encodeCarrier (or, inside a statement, by a SQL fragment here
 * that writes the same text) and read by decodeCarrier; nothing else builds
 * or parses them.
 */
const SCHEMAS = {
  /** One try of a chain job to begin (the chains queue). */
  chain_job: z.object({
    requestId: z.string().regex(/^[a-z0-9]{1,40}$/),
    jobId: z.string().regex(/^j[1-9][0-9]{0,5}$/),
  }),
  /** A scheduler job's tick timer (the invocations queue). */
  tick_timer: z.object({ jobKey: z.string().min(1).max(500) }),
  /** A scheduler invocation to launch (the invocations queue). */
  invocation: z.object({ invocationId: z.string().regex(/^[1-9][0-9]{0,18}$/) }),
} as const;

export type CarrierKind = keyof typeof SCHEMAS;
export type CarrierOf<K extends CarrierKind> = z.infer<(typeof SCHEMAS)[K]>;

export function encodeCarrier<K extends CarrierKind>(kind: K, value: CarrierOf<K>): string {
  return JSON.stringify({ kind, ...SCHEMAS[kind].parse(value) });
}

/**
 * The carried value when `body` is a carrier of `kind`, else null. Bodies
 * written before carriers were JSON ("<request>/<job>", "tick:<job key>",
 * "<invocation id>") still decode, so jobs queued across an upgrade run.
 */
export function decodeCarrier<K extends CarrierKind>(kind: K, body: string): CarrierOf<K> | null {
  const raw = body.startsWith("{") ? parseJson(body) : legacy(kind, body);
  if (raw === null || typeof raw !== "object" || (raw as { kind?: unknown }).kind !== kind) return null;
  const { kind: _kind, ...fields } = raw as Record<string, unknown>;
  const parsed = SCHEMAS[kind].safeParse(fields);
  return parsed.success ? (parsed.data as CarrierOf<K>) : null;
}

/**
 * SQL that writes encodeCarrier("chain_job", …) for the text expressions
 * given, for statements that enqueue chain jobs themselves. Request and job
 * ids are lowercase letters and digits (their schemas), so nothing needs
 * escaping.
 */
export const chainJobCarrierSql = (requestId: string, jobId: string) =>
  `'{"kind":"chain_job","requestId":"' || ${requestId} || '","jobId":"' || ${jobId} || '"}'`;

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function legacy(kind: CarrierKind, body: string): unknown {
  switch (kind) {
    case "chain_job": {
      const [requestId, jobId, ...rest] = body.split("/");
      return rest.length === 0 && jobId !== undefined ? { kind, requestId, jobId } : null;
    }
    case "tick_timer":
      return body.startsWith("tick:") ? { kind, jobKey: body.slice("tick:".length) } : null;
    case "invocation":
      return { kind, invocationId: body };
  }
}
