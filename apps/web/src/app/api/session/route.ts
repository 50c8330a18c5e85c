// Dashboard sign-in and sign-out. POST { login, password } starts a session
// (the engine checks the password and the lockout) and sets its cookie;
// DELETE ends the session the cookie names and clears the cookie. JSON only,
// same-origin writes only (the request guard), like every API call.
import { ERROR_CODES, HourglassError, SESSION_TTL_MS } from "@hourglass/engine";
import { checkRequest } from "@hourglass/engine/request-guard";
import { clearedSessionCookie, readSessionCookie, sessionCookie } from "@hourglass/engine/session-cookie";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { getEngine } from "@/lib/engine";
import { requestPolicy, servedOverHttps } from "@/lib/request-policy";

export const dynamic = "force-dynamic";

const signInInput = z.object({ login: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

function answer(body: unknown, status: number, cookie?: string): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  if (cookie) headers.set("set-cookie", cookie);
  return Response.json(body, { status, headers });
}

/** A refusal in the API's terms: HourglassErrors keep their code and HTTP status; anything else is not ours to explain. */
function refusal(err: unknown): Response {
  if (!(err instanceof HourglassError)) throw err;
  const status = getHTTPStatusCodeFromError(new TRPCError({ code: ERROR_CODES[err.code] }));
  return answer({ error: { message: err.message, errorCode: err.code } }, status);
}

export async function POST(req: Request) {
  const refused = checkRequest(req, requestPolicy(), { apiCall: true });
  if (refused) return refused;
  const input = signInInput.safeParse(await req.json().catch(() => undefined));
  if (!input.success) {
    const message = "send JSON { login, password }: " + input.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return answer({ error: { message, errorCode: "INVALID_ARGUMENT" } }, 400);
  }
  try {
    const { secret, caller } = await getEngine().access.credentials.signIn(input.data.login, input.data.password, req.headers.get("user-agent"));
    const cookie = sessionCookie(secret, SESSION_TTL_MS / 1000, { secure: servedOverHttps(req) });
    return answer({ user: { id: caller.id, displayName: caller.displayName } }, 200, cookie);
  } catch (err) {
    return refusal(err);
  }
}

export async function DELETE(req: Request) {
  const refused = checkRequest(req, requestPolicy(), { apiCall: true });
  if (refused) return refused;
  const secret = readSessionCookie(req.headers.get("cookie"));
  try {
    if (secret) await getEngine().access.credentials.signOut(secret);
  } catch (err) {
    return refusal(err);
  }
  return answer({ signedOut: true }, 200, clearedSessionCookie({ secure: servedOverHttps(req) }));
}
