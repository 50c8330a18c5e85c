// The OpenAPI 3.1 document of the plain-JSON API, generated from the routers
// (packages/engine/src/api/openapi.ts). Public, like the API's paths: it says
// what may be called, never by whom; every call still authenticates.
import { appRouter, openApiDocument } from "@hourglass/engine/api";

export const dynamic = "force-static";

export function GET() {
  return Response.json(openApiDocument(appRouter), { headers: { "access-control-allow-origin": "*" } });
}
