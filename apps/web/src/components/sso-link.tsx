// The sign-in page's "Sign in with single sign-on", shown only when single
// sign-on is configured (HOURGLASS_OIDC_ISSUER). A server component: the
// configuration is the server's environment.
import { Suspense } from "react";
import { getOidcConfig } from "@/lib/oidc-config";
import { SsoLinkView } from "./sso-link-view";

export function SsoLink() {
  try {
    if (!getOidcConfig()) return null;
  } catch (err) {
    // a broken single sign-on configuration must not take password sign-in down with it
    console.error(`[sso] ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  return (
    <Suspense fallback={null}>
      <SsoLinkView />
    </Suspense>
  );
}
