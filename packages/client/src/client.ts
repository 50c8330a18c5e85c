import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { toHourglassError } from "./errors.ts";
import type { AppRouter } from "./router.ts";

/** The typed client of every router: `client.queues.enqueueJobs.mutate({...})`, `client.scheduler.getJobs.query()`. */
export type HourglassClient = TRPCClient<AppRouter>;

export interface HourglassClientOptions {
  /** Where Hourglass answers, e.g. "https://hourglass.example.com" (the API is at <url>/api/trpc). */
  url: string | URL;
  /**
   * An API token (`hg_<id>_<secret>`), sent as `Authorization: Bearer …` on every call;
   * a function is asked before each call (for tokens that rotate).
   */
  token?: string | (() => string | Promise<string>);
  /** Extra headers for every call. */
  headers?: Record<string, string>;
  /**
   * Send calls made in the same tick as one HTTP request (at most 25, the API's
   * limit). Default false: one HTTP request per call.
   */
  batch?: boolean;
  /** POST queries as well, for inputs too long for a URL (the API accepts both). Default false. */
  postQueries?: boolean;
  /** A fetch of your own (a proxy agent, a timeout); default the global fetch. */
  fetch?: typeof fetch;
}

/** The largest batch the API accepts (the engine's MAX_BATCH_SIZE). */
const MAX_BATCH = 25;

/**
 * Errors of every call become HourglassError subclasses (errors.ts). tRPC
 * passes an error that is already a TRPCClientError on unchanged, so what
 * the caller catches is the typed one.
 */
const typedErrors: TRPCLink<AppRouter> = () => ({ op, next }) =>
  observable((observer) =>
    next(op).subscribe({
      next: (value) => observer.next(value),
      error: (err) => observer.error(toHourglassError(err, op.path)),
      complete: () => observer.complete(),
    }),
  );

/**
 * An answer that is not JSON (a proxy's 502 page, a load balancer's 503) is
 * not the API's: it becomes the API's error envelope, with the answer's
 * status and code UNKNOWN, so the caller gets a typed error that says what
 * came back instead of a JSON parse failure.
 */
function apiAnswers(fetchImpl: () => typeof fetch): typeof fetch {
  return async (url, init) => {
    const res = await fetchImpl()(url, init);
    if ((res.headers.get("content-type") ?? "").includes("json")) return res;
    const text = (await res.text().catch(() => "")).slice(0, 200);
    const error = {
      message: `HTTP ${[res.status, res.statusText].filter(Boolean).join(" ")}: ` +
        `not an answer of the Hourglass API (${JSON.stringify(text)})`,
      code: -32603,
      data: { code: "INTERNAL_SERVER_ERROR", httpStatus: res.status, errorCode: "UNKNOWN" },
    };
    const target = new URL(String(url instanceof Request ? url.url : url));
    // a batch ("/api/trpc/a,b?batch=1") wants one answer per call
    const paths = decodeURIComponent(target.pathname.split("/").pop()!);
    const calls = target.searchParams.has("batch") ? paths.split(",").length : 0;
    const body = calls > 0 ? Array.from({ length: calls }, () => ({ error })) : { error };
    return new Response(JSON.stringify(body), { status: res.status, headers: { "content-type": "application/json" } });
  };
}

/** The typed tRPC client of the Hourglass API at `url`, authenticating with `token`. */
export function createHourglassClient(options: HourglassClientOptions): HourglassClient {
  const endpoint = `${String(options.url).replace(/\/+$/, "")}/api/trpc`;
  const token = options.token;
  const headers = async () => {
    const h: Record<string, string> = { ...options.headers };
    const value = typeof token === "function" ? await token() : token;
    if (value) h.authorization = `Bearer ${value}`;
    return h;
  };
  const common = {
    url: endpoint,
    headers,
    fetch: apiAnswers(() => options.fetch ?? fetch),
    ...(options.postQueries && { methodOverride: "POST" as const }),
  };
  const transport = options.batch
    ? httpBatchLink<AppRouter>({ ...common, maxItems: MAX_BATCH })
    : httpLink<AppRouter>(common);
  return createTRPCClient<AppRouter>({ links: [typedErrors, transport] });
}
