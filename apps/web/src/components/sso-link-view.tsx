"use client";
import { useSearchParams } from "next/navigation";
import { safeNextPath } from "@/lib/sign-in-paths";
import { ssoErrorMessage, ssoStartUrl } from "@/lib/sso-paths";
import { ErrorText } from "./ui";

/**
 * The link to /api/auth/oidc/start (a plain link: it leaves for the identity
 * provider), back to the page's `next`; above it, why the last single
 * sign-on came back here (`?error=<code>`), if it did.
 */
export function SsoLinkView() {
  const params = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const error = ssoErrorMessage(params.get("error"));
  return (
    <div className="mx-auto mt-4 max-w-sm space-y-3">
      <ErrorText error={error} />
      <a
        href={ssoStartUrl(next)}
        className="flex w-full items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm transition hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
      >
        Sign in with single sign-on
      </a>
    </div>
  );
}
