/**
 * The dashboard's session cookie: its name and the Set-Cookie values that set
 * and clear it, shared by the web app's session route (which sets it) and the
 * API (which reads it). It holds the session secret itself; only the
 * secret's SHA-256 is stored (credentials.ts). HttpOnly: no script can read
 * it. SameSite=Lax: other sites' pages cannot make the browser send it with
 * their subresource requests or cross-site posts (the request guard refuses
 * cross-site writes as well). Secure when the dashboard is served over
 * https, so it never travels in clear text there.
 *
 * Pure: no imports, safe for the web app's proxy.
 */
export const SESSION_COOKIE = "hourglass_session";

export interface SessionCookieOptions {
  /** Mark the cookie Secure (send over https only). */
  secure: boolean;
}

function attributes(maxAgeSeconds: number, options: SessionCookieOptions): string {
  return `HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAgeSeconds}${options.secure ? "; Secure" : ""}`;
}

/** The Set-Cookie value that stores `secret` for `maxAgeSeconds`. */
export function sessionCookie(secret: string, maxAgeSeconds: number, options: SessionCookieOptions): string {
  return `${SESSION_COOKIE}=${secret}; ${attributes(Math.max(0, Math.floor(maxAgeSeconds)), options)}`;
}

/** The Set-Cookie value that removes the cookie (Max-Age=0). */
export function clearedSessionCookie(options: SessionCookieOptions): string {
  return `${SESSION_COOKIE}=; ${attributes(0, options)}`;
}

/** The session secret a Cookie request header carries, or null when it has none. */
export function readSessionCookie(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value === "" ? null : value;
  }
  return null;
}
