// Single sign-on, step 1: a GET (a link on the sign-in page) that sends the
// browser to the identity provider. 404 when single sign-on is not configured.
import { getOidcConfig } from "@/lib/oidc-config";
import { startSingleSignOn } from "@/lib/oidc-flow";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const config = getOidcConfig();
  if (!config) return new Response("single sign-on is not configured\n", { status: 404 });
  return startSingleSignOn(req, config);
}
