import { CliFailure } from "./failure.ts";

/** The dashboard's session cookie (the web app's /api/session sets it; the API reads it). */
export const SESSION_COOKIE = "hourglass_session";

export const SESSION_PATH = "/api/session";

export interface SignedIn {
  /** The session secret: the cookie's value. */
  session: string;
  user: { id: string; displayName: string };
}

interface Call {
  addr: string;
  timeoutMs: number;
  userAgent: string;
}

/** Why a fetch to the server failed, as `describeError` says it for API calls. */
function unreachable(err: unknown, c: Call): CliFailure {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return new CliFailure(`Hourglass at ${c.addr} did not answer in time`);
  const why = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
  return new CliFailure(`cannot reach Hourglass at ${c.addr}: ${why}`);
}

async function send(c: Call, method: "POST" | "DELETE", headers: Record<string, string>, body?: unknown): Promise<Response> {
  try {
    return await fetch(`${c.addr}${SESSION_PATH}`, {
      method,
      // the route takes JSON only, on DELETE too (the request guard's rule for API writes)
      headers: { "content-type": "application/json", "user-agent": c.userAgent, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(c.timeoutMs),
    });
  } catch (err) {
    throw unreachable(err, c);
  }
}

/** The error message of a refusal (`{ error: { message } }`), else one naming the status. */
async function refusal(res: Response, c: Call, what: string): Promise<CliFailure> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const message = typeof body?.error?.message === "string" ? body.error.message : null;
  if (res.status === 404 && message === null) {
    return new CliFailure(`${c.addr} has no ${SESSION_PATH} (HTTP 404): is it an Hourglass web server?`);
  }
  return new CliFailure(message ?? `${what} failed: HTTP ${res.status} from ${c.addr}${SESSION_PATH}`);
}

/**
 * Password sign-in, as the dashboard's sign-in page does it: POST
 * { login, password } to /api/session, which answers the user and sets the
 * session cookie (401 for a wrong login or password, 429 while locked).
 */
export async function signIn(c: Call, login: string, password: string): Promise<SignedIn> {
  const res = await send(c, "POST", {}, { login, password });
  if (!res.ok) throw await refusal(res, c, "sign-in");
  const prefix = `${SESSION_COOKIE}=`;
  const cookie = res.headers.getSetCookie().find((h) => h.startsWith(prefix));
  const session = cookie?.slice(prefix.length).split(";")[0]?.trim();
  if (!session) throw new CliFailure(`${c.addr}${SESSION_PATH} signed in but set no ${SESSION_COOKIE} cookie`);
  const body = (await res.json().catch(() => null)) as { user?: SignedIn["user"] } | null;
  if (!body?.user?.id) throw new CliFailure(`${c.addr}${SESSION_PATH} answered without the user`);
  return { session, user: body.user };
}

/** Ends the session (DELETE /api/session with its cookie). */
export async function signOut(c: Call, session: string): Promise<void> {
  const res = await send(c, "DELETE", { cookie: sessionCookieHeader(session) });
  if (!res.ok) throw await refusal(res, c, "sign-out");
}

/** The Cookie request header that presents a session. */
export const sessionCookieHeader = (session: string) => `${SESSION_COOKIE}=${session}`;
