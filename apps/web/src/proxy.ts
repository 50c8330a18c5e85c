// Runs before every route: a request whose Host this server does not answer
// as (DNS rebinding) or a cross-site write is refused (see request-guard.ts).
// API calls are checked again, with their JSON rule, by the API route itself.
import { checkRequest } from "@hourglass/engine/request-guard";
import { NextResponse, type NextRequest } from "next/server";
import { requestPolicy } from "@/lib/request-policy";

export function proxy(request: NextRequest) {
  return checkRequest(request, requestPolicy()) ?? NextResponse.next();
}

export const config = {
  matcher: "/:path*",
};
