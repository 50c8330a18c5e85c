import type { Credentials } from "../access/host/credentials.ts";

/** The dashboard's session cookie: its value is the session secret (HttpOnly, SameSite=Lax; set by the web app). */
export const SESSION_COOKIE = "hourglass_session";

/**
 * The credentials a request presents: `Authorization: Bearer hg_…` (an API
 * token) and the session cookie. No other header says who is calling.
 */
export function credentialsOf(req: Request): Credentials {
  const auth = req.headers.get("authorization");
  const bearer = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, "").trim() : null;
  let session: string | null = null;
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) session = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return { bearer, session };
}
