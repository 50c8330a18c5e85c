// Single sign-on's protocol half: the OpenID Connect authorization-code flow
// with PKCE, state and nonce, through openid-client. `startSingleSignOn`
// sends the browser to the identity provider; `finishSingleSignOn` checks
// what comes back, hands the verified claims to the engine (which decides
// who that is) and sets the session cookie. Both take a Request and return
// a Response, with the configuration and the engine passed in, so the routes
// stay one line and a test can run them without Next.js.
import { HourglassError, SESSION_TTL_MS, signInWithSingleSignOn, type Engine, type SingleSignOnClaims } from "@hourglass/engine";
import { sessionCookie } from "@hourglass/engine/session-cookie";
import * as oidc from "openid-client";
import { z } from "zod";
import { webLogger } from "./logger";
import type { OidcConfig } from "./oidc-config";
import { servedOverHttps } from "./request-policy";
import { safeNextPath, SIGN_IN_PATH } from "./sign-in-paths";
import { OIDC_CALLBACK_PATH, type SsoErrorCode } from "./sso-paths";

const SCOPE = "openid email profile";

/**
 * What the browser carries between start and callback: the PKCE verifier,
 * state, nonce and where to go afterwards, in an HttpOnly, SameSite=Lax
 * cookie (Lax: sent on the identity provider's top-level redirect back)
 * scoped to these routes and gone after FLOW_TTL_SECONDS.
 */
const FLOW_COOKIE = "hourglass_oidc";
const FLOW_COOKIE_PATH = "/api/auth/oidc";
const FLOW_TTL_SECONDS = 600;
const flowSchema = z.object({ verifier: z.string().min(43), state: z.string().min(1), nonce: z.string().min(1), next: z.string() });
type Flow = z.infer<typeof flowSchema>;

function flowCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${FLOW_COOKIE}=${value}; HttpOnly; SameSite=Lax; Path=${FLOW_COOKIE_PATH}; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

function readFlow(cookieHeader: string | null): Flow | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== FLOW_COOKIE) continue;
    try {
      const parsed = flowSchema.safeParse(JSON.parse(Buffer.from(part.slice(eq + 1).trim(), "base64url").toString("utf8")));
      // `next` is checked again: a cookie is the browser's to change
      return parsed.success ? { ...parsed.data, next: safeNextPath(parsed.data.next) } : null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * http is allowed only for an identity provider on this machine (development,
 * tests); anywhere else openid-client's https-only rule stands.
 */
function loopback(url: URL): boolean {
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** Discovered configurations, one per issuer and client; a failed discovery is retried at the next sign-in. */
const discovered = new Map<string, Promise<oidc.Configuration>>();

function clientFor(config: OidcConfig): Promise<oidc.Configuration> {
  const key = `${config.issuer.href} ${config.clientId}`;
  let client = discovered.get(key);
  if (!client) {
    client = oidc.discovery(config.issuer, config.clientId, config.clientSecret, undefined,
      loopback(config.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined);
    client.catch(() => discovered.delete(key));
    discovered.set(key, client);
  }
  return client;
}

/**
 * The origin the browser used: the Host header (which the request guard has
 * checked against the allowed hosts) and the scheme servedOverHttps reports.
 * Not `req.url`'s: behind `next start` that names the server's own bind
 * address ("localhost"), not what the browser typed.
 */
function requestOrigin(req: Request): string {
  const host = req.headers.get("host") ?? new URL(req.url).host;
  return `${servedOverHttps(req) ? "https" : "http"}://${host}`;
}

/** The redirect URI the identity provider must have registered: HOURGLASS_PUBLIC_URL's, else this request's origin. */
export function redirectUri(req: Request, config: OidcConfig): string {
  return `${config.publicUrl ?? requestOrigin(req)}${OIDC_CALLBACK_PATH}`;
}

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, "cache-control": "no-store", "referrer-policy": "no-referrer" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

function toSignIn(error: SsoErrorCode, next: string, cookies: string[]): Response {
  const query = new URLSearchParams({ error });
  if (next !== "/") query.set("next", next);
  return redirect(`${SIGN_IN_PATH}?${query}`, cookies);
}

/** GET /api/auth/oidc/start?next=<path>: off to the identity provider. */
export async function startSingleSignOn(req: Request, config: OidcConfig): Promise<Response> {
  const next = safeNextPath(new URL(req.url).searchParams.get("next"));
  let client: oidc.Configuration;
  try {
    client = await clientFor(config);
  } catch (err) {
    webLogger().error("sso: discovery failed", { issuer: config.issuer.href, error: describe(err) });
    return toSignIn("unavailable", next, []);
  }
  const flow: Flow = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce(), next };
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: redirectUri(req, config),
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  const value = Buffer.from(JSON.stringify(flow)).toString("base64url");
  return redirect(url.href, [flowCookie(value, FLOW_TTL_SECONDS, servedOverHttps(req))]);
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** The claims the engine reads, from the ID token, with what it leaves out filled in from UserInfo. */
async function verifiedClaims(client: oidc.Configuration, tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>): Promise<SingleSignOnClaims> {
  const id = tokens.claims();
  if (!id) throw new Error("the identity provider sent no ID token");
  const pick = (c: Record<string, unknown>) => ({
    email: text(c.email),
    email_verified: typeof c.email_verified === "boolean" ? c.email_verified : undefined,
    name: text(c.name),
    preferred_username: text(c.preferred_username),
  });
  let claims = pick(id);
  // Providers that follow the spec closely (oidc-provider by default) put profile and email claims only in UserInfo.
  if ((!claims.email || !claims.name) && client.serverMetadata().userinfo_endpoint) {
    const info = pick(await oidc.fetchUserInfo(client, tokens.access_token, id.sub)); // checks that it is the same sub
    claims = {
      email: claims.email ?? info.email,
      email_verified: claims.email ? claims.email_verified : info.email_verified,
      name: claims.name ?? info.name,
      preferred_username: claims.preferred_username ?? info.preferred_username,
    };
  }
  return { issuer: id.iss, subject: id.sub, ...claims };
}

/** An error's message with its causes' (openid-client wraps the specific reason in `cause`). */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 4; e = e instanceof Error ? e.cause : undefined) {
    parts.push((e instanceof Error ? e.message : String(e)).trim());
  }
  return parts.join(": ");
}

/** GET /api/auth/oidc/callback?code&state&iss: back from the identity provider. */
export async function finishSingleSignOn(req: Request, config: OidcConfig, engine: Engine): Promise<Response> {
  const secure = servedOverHttps(req);
  const cleared = flowCookie("", 0, secure);
  const flow = readFlow(req.headers.get("cookie"));
  if (!flow) return toSignIn("expired", "/", [cleared]);
  try {
    const client = await clientFor(config);
    // the URL the provider redirected to, as the provider saw it (this server may sit behind a proxy)
    const current = new URL(redirectUri(req, config));
    current.search = new URL(req.url).search;
    const tokens = await oidc.authorizationCodeGrant(client, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const claims = await verifiedClaims(client, tokens);
    const session = await signInWithSingleSignOn(engine, claims, {
      defaultScopes: config.defaultScopes,
      allowedDomains: config.allowedDomains,
    }, req.headers.get("user-agent"));
    return redirect(flow.next, [cleared, sessionCookie(session.secret, SESSION_TTL_MS / 1000, { secure })]);
  } catch (err) {
    const message = describe(err);
    if (err instanceof HourglassError && err.code === "PERMISSION_DENIED") {
      webLogger().warn("sso: refused", { error: message });
      return toSignIn("denied", flow.next, [cleared]);
    }
    if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) {
      webLogger().warn("sso: the identity provider answered an error", { error: err.error, description: err.error_description ?? message });
      return toSignIn("provider", flow.next, [cleared]);
    }
    if (err instanceof oidc.ClientError && /"state"/.test(message)) {
      // a callback for another start than this browser's last (an older tab) or a forged one
      webLogger().warn("sso: callback refused", { error: message });
      return toSignIn("expired", flow.next, [cleared]);
    }
    webLogger().error("sso: sign-in failed", { error: message });
    return toSignIn("failed", flow.next, [cleared]);
  }
}
