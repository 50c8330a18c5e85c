// Which paths need a session, and where sign-in goes back to. Pure: used by
// the proxy, the sign-in page and the client's 401 handling.

export const SIGN_IN_PATH = "/sign-in";

/**
 * Whether a request for `pathname` is a dashboard page, which the proxy sends
 * to the sign-in page when it carries no session cookie. The API (its event streams too) answers
 * for itself (401), and the sign-in page, Next's assets and the icon are
 * served to anyone, as is /metrics (Prometheus has no session; it answers
 * 401 itself when HOURGLASS_METRICS_TOKEN is set).
 */
export function isDashboardPage(pathname: string): boolean {
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  return !under("/api") && !under(SIGN_IN_PATH) && !under("/_next") && !pathname.startsWith("/favicon") && !under("/metrics");
}

/** The sign-in page's URL that returns to `path` (a path with its query) afterwards. */
export function signInUrl(path: string): string {
  return `${SIGN_IN_PATH}?next=${encodeURIComponent(path)}`;
}

/**
 * Where to go after signing in: `next` when it is a path of this dashboard,
 * else "/". Never another site ("//evil.example", "/\evil.example",
 * "https://…"), so the sign-in page cannot be made an open redirect, and
 * never the sign-in page itself.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || /[\u0000-\u001f]/.test(next)) return "/";
  const base = "http://dashboard.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base || !isDashboardPage(url.pathname)) return "/";
  return url.pathname + url.search + url.hash;
}
