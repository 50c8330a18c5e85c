/**
 * Checks every HTTP request passes before any route sees it: who may address
 * this server (Host), who may drive it from a browser (Origin, Fetch
 * Metadata), and what a call may carry (JSON only). Pure: the apps build the
 * policy from their configuration and call `checkRequest`.
 *
 * - Host: DNS rebinding makes a page on rebind.evil.example talk to a server
 *   on 127.0.0.1 with the victim's browser; the request still names the
 *   attacker's host, so a request whose Host is not allowed is refused.
 * - Cross-site writes (CSRF): a browser names the page that sent a request in
 *   Origin (and Sec-Fetch-Site). A write from a page of another origin is
 *   refused; programs send neither header and are not affected.
 * - Bodies: calls carry JSON. A browser form can post urlencoded,
 *   multipart/form-data or text/plain across sites without a preflight, so
 *   anything but application/json is refused on writes.
 */

export interface RequestPolicy {
  /**
   * Hosts this server answers as, lower case: "name" (any port) or
   * "name:port". Loopback names are always allowed (see LOOPBACK_HOSTS).
   */
  allowedHosts: string[];
}

/** Names a local server is reached by; allowed on any port (a rebinding page cannot use them). */
export const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Splits "name:port" (or "[v6]:port") into its parts; the port is "" when absent. */
function splitHost(host: string): { name: string; port: string } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  return m ? { name: m[1]!, port: m[2] ?? "" } : { name: "", port: "" };
}

export function hostAllowed(host: string | null, policy: RequestPolicy): boolean {
  if (!host) return false;
  const { name, port } = splitHost(host);
  if (!name) return false;
  if (LOOPBACK_HOSTS.includes(name)) return true;
  return policy.allowedHosts.some((allowed) => {
    const a = splitHost(allowed);
    return a.name === name && (a.port === "" || a.port === port);
  });
}

function refuse(status: number, code: string, message: string): Response {
  return Response.json({ error: { message, code: -32600, data: { code, httpStatus: status, errorCode: code } } }, { status });
}

/**
 * Null when the request may go on; otherwise the response that refuses it.
 * `apiCall` marks requests to the API, whose writes must be JSON.
 */
export function checkRequest(req: Request, policy: RequestPolicy, options: { apiCall?: boolean } = {}): Response | null {
  const host = req.headers.get("host") ?? new URL(req.url).host;
  if (!hostAllowed(host, policy)) {
    return refuse(403, "HOST_NOT_ALLOWED", `this server does not answer as host "${host}" (see HOURGLASS_ALLOWED_HOSTS)`);
  }
  if (SAFE_METHODS.has(req.method)) return null;
  const origin = req.headers.get("origin");
  if (origin && origin !== "null") {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      /* not a URL: refused below */
    }
    if (!hostAllowed(originHost, policy)) {
      return refuse(403, "CROSS_SITE_REQUEST", `writes from pages of another origin (${origin}) are refused`);
    }
  } else if (origin === "null" || req.headers.get("sec-fetch-site") === "cross-site") {
    return refuse(403, "CROSS_SITE_REQUEST", "writes from pages of another origin are refused");
  }
  if (options.apiCall) {
    const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      return refuse(415, "UNSUPPORTED_MEDIA_TYPE", `API calls carry JSON: send content-type application/json (got "${type || "none"}")`);
    }
  }
  return null;
}
