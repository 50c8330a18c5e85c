import type { Credentials } from "../access/host/credentials.ts";
import { readSessionCookie } from "../access/host/session-cookie.ts";

export { SESSION_COOKIE } from "../access/host/session-cookie.ts";

/**
 * The credentials a request presents: `Authorization: Bearer hg_…` (an API
 * token) and the session cookie. No other header says who is calling.
 */
export function credentialsOf(req: Request): Credentials {
  const auth = req.headers.get("authorization");
  const bearer = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, "").trim() : null;
  return { bearer, session: readSessionCookie(req.headers.get("cookie")) };
}
