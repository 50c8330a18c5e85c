// Runs before every route: a request whose Host this server does not answer
// as (DNS rebinding) or a cross-site write is refused (see request-guard.ts).
// API calls are checked again, with their JSON rule, by the API route itself.
// A dashboard page requested without a session cookie goes to the sign-in
// page first. That is only a shortcut for the browser: the cookie is not
// checked here, and the API answers 401 for a missing or bad one.
import { checkRequest } from "@hourglass/engine/request-guard";
import { SESSION_COOKIE } from "@hourglass/engine/session-cookie";
import { NextResponse, type NextRequest } from "next/server";
import { requestPolicy } from "@/lib/request-policy";
import { isDashboardPage, SIGN_IN_PATH } from "@/lib/sign-in-paths";

export function proxy(request: NextRequest) {
  const refused = checkRequest(request, requestPolicy());
  if (refused) return refused;
  const { pathname, search } = request.nextUrl;
  if (isDashboardPage(pathname) && !request.cookies.has(SESSION_COOKIE)) {
    const signIn = request.nextUrl.clone();
    signIn.pathname = SIGN_IN_PATH;
    signIn.search = `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(signIn);
  }
  return NextResponse.next();
}

export const config = {
  matcher: "/:path*",
};
