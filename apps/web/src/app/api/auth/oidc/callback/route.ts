// Single sign-on, step 2: the identity provider redirects the browser here
// (a GET, cross-site: the flow cookie is SameSite=Lax for that reason). On
// success the session cookie is set and the browser goes to `next`; on
// failure to /sign-in?error=<code>.
import { getEngine } from "@/lib/engine";
import { getOidcConfig } from "@/lib/oidc-config";
import { finishSingleSignOn } from "@/lib/oidc-flow";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const config = getOidcConfig();
  if (!config) return new Response("single sign-on is not configured\n", { status: 404 });
  return finishSingleSignOn(req, config, getEngine());
}
