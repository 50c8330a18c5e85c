// Single sign-on's routes and the sign-in page's error codes. Pure: shared by
// the routes (server) and the sign-in page's link (browser).

export const OIDC_START_PATH = "/api/auth/oidc/start";
export const OIDC_CALLBACK_PATH = "/api/auth/oidc/callback";

/**
 * Why a single sign-on ended on the sign-in page (`/sign-in?error=<code>`),
 * and what the page says. Codes only, never a message in the URL, so nobody
 * can put words of their own on the page.
 */
export const SSO_ERRORS = {
  /** Hourglass refused the person: email domain not allowed, or the account is disabled. */
  denied: "This account may not sign in here: its email domain is not allowed, or it is disabled. Ask an administrator.",
  /** No flow cookie, or not this attempt's: too slow, another tab, or cookies blocked. */
  expired: "The single sign-on took too long or was started elsewhere. Try again.",
  /** The identity provider said no or answered with an error (the person cancelled, a misconfigured client). */
  provider: "The identity provider did not sign you in. Try again, or ask an administrator.",
  /** The identity provider could not be reached. */
  unavailable: "The identity provider cannot be reached right now. Try again later.",
  /** Anything else (logged on the server). */
  failed: "Single sign-on failed. Try again, or ask an administrator.",
} as const;

export type SsoErrorCode = keyof typeof SSO_ERRORS;

/** What the sign-in page says for `?error=<code>`, or null for no (or an unknown) code. */
export function ssoErrorMessage(code: string | null | undefined): string | null {
  return code && Object.hasOwn(SSO_ERRORS, code) ? SSO_ERRORS[code as SsoErrorCode] : null;
}

/** The link that starts a single sign-on and comes back to `next` (a path already checked by safeNextPath). */
export function ssoStartUrl(next: string): string {
  return next === "/" ? OIDC_START_PATH : `${OIDC_START_PATH}?next=${encodeURIComponent(next)}`;
}
