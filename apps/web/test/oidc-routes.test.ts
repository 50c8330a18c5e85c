// The single sign-on routes' round trip without Next.js: start → a real
// OpenID Connect provider (started here) → callback, on a real engine and
// database. The route handlers are one line over these functions.
import { createTestEngine, type TestEngine } from "@hourglass/engine/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
// the engine's test provider (oidc-provider is a devDependency of packages/engine, resolved from there)
import { startTestIdentityProvider, type TestIdentityProvider } from "../../../packages/engine/test/oidc-provider.ts";
import { parseOidcConfig, type OidcConfig } from "../src/lib/oidc-config.ts";
import { finishSingleSignOn, startSingleSignOn } from "../src/lib/oidc-flow.ts";
import { OIDC_CALLBACK_PATH, OIDC_START_PATH, ssoErrorMessage, ssoStartUrl } from "../src/lib/sso-paths.ts";

/** The dashboard as the browser reaches it. Nothing listens there: the test hands each request to the handler. */
const ORIGIN = "http://127.0.0.1:3000";
const PUBLIC_URL = "https://hourglass.example.com";

let t: TestEngine;
let idp: TestIdentityProvider;
let config: OidcConfig;

beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
  [t, idp] = await Promise.all([
    createTestEngine(),
    // oidc-provider's default keeps name and email out of the ID token: the callback must read UserInfo
    startTestIdentityProvider({ redirectUris: [`${ORIGIN}${OIDC_CALLBACK_PATH}`, `${PUBLIC_URL}${OIDC_CALLBACK_PATH}`] }),
  ]);
  config = parseOidcConfig({
    HOURGLASS_OIDC_ISSUER: idp.issuer,
    HOURGLASS_OIDC_CLIENT_ID: idp.clientId,
    HOURGLASS_OIDC_CLIENT_SECRET: idp.clientSecret,
    HOURGLASS_OIDC_DEFAULT_SCOPES: "assume:project:demo:reader",
    HOURGLASS_OIDC_ALLOWED_DOMAINS: "example.com, @Example.org",
  })!;
  idp.people.set("jane-0001", { sub: "jane-0001", email: "jane@example.com", email_verified: true, name: "Jane Doe" });
  idp.people.set("mallory-0002", { sub: "mallory-0002", email: "mallory@evil.example", email_verified: true, name: "Mallory" });
}, 30_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await idp?.close();
  await t?.close();
});

/** The Set-Cookie value named `name`. */
function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** `name=value` of a Set-Cookie value, as the browser sends it back. */
const cookiePair = (set: string) => set.split(";")[0]!;

async function start(next: string, cfg = config): Promise<{ res: Response; location: URL; flow: string }> {
  const res = await startSingleSignOn(new Request(`${ORIGIN}${OIDC_START_PATH}?next=${encodeURIComponent(next)}`), cfg);
  expect(res.status).toBe(303);
  return { res, location: new URL(res.headers.get("location")!), flow: setCookie(res, "hourglass_oidc")! };
}

/** Start, the provider (signed in as `sub`), then the callback with the flow cookie: the callback's response. */
async function roundTrip(sub: string, next: string, options: { cfg?: OidcConfig; headers?: Record<string, string> } = {}) {
  const s = await start(next, options.cfg);
  const back = await idp.authorize(s.location, sub);
  const callback = new URL(`${ORIGIN}${back.pathname}${back.search}`); // reached through whatever proxy is in front
  expect(back.pathname).toBe(OIDC_CALLBACK_PATH);
  const res = await finishSingleSignOn(
    new Request(callback, { headers: { cookie: cookiePair(s.flow), "user-agent": "test-browser", ...options.headers } }),
    options.cfg ?? config,
    t.engine,
  );
  expect(res.status).toBe(303);
  return { start: s, back, res, location: res.headers.get("location")! };
}

describe("single sign-on routes", { timeout: 20_000 }, () => {
  it("start sends the browser to the provider with PKCE, state and nonce, remembering them in a short-lived cookie", async () => {
    const { res, location, flow } = await start("/queues");
    expect(location.origin + location.pathname).toBe(`${idp.issuer}/auth`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: idp.clientId, response_type: "code", scope: "openid email profile",
      redirect_uri: `${ORIGIN}${OIDC_CALLBACK_PATH}`, code_challenge_method: "S256",
    });
    for (const p of ["code_challenge", "state", "nonce"]) expect(location.searchParams.get(p)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(flow).toMatch(/^hourglass_oidc=[A-Za-z0-9_-]+; HttpOnly; SameSite=Lax; Path=\/api\/auth\/oidc; Max-Age=600$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("the callback creates the user, sets the session cookie and goes to next", async () => {
    const { res, location } = await roundTrip("jane-0001", "/queues?project=demo");
    expect(location).toBe("/queues?project=demo");
    const session = setCookie(res, "hourglass_session")!;
    expect(session).toMatch(/^hourglass_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=43200$/);
    expect(setCookie(res, "hourglass_oidc")).toMatch(/^hourglass_oidc=; .*Max-Age=0/);

    const caller = await t.engine.access.credentials.authenticate({ session: cookiePair(session).split("=")[1] });
    // the name came from UserInfo: this provider's ID token carries only sub
    expect(caller).toMatchObject({ id: "user:jane", kind: "user", displayName: "Jane Doe" });
    expect(caller.scopes.satisfies("queues:read:demo/q")).toBe(true);
    const row = await t.engine.ctx.db.prisma.principal.findUniqueOrThrow({ where: { id: "user:jane" } });
    expect([row.oidcIssuer, row.oidcSubject]).toEqual([idp.issuer, "jane-0001"]);
    expect((await t.engine.ctx.db.prisma.session.findFirstOrThrow({ where: { principalId: "user:jane" } })).userAgent).toBe("test-browser");
  });

  it("signs the same person in again as the same user, and never goes to another site afterwards", async () => {
    const { location, res } = await roundTrip("jane-0001", "https://evil.example/phish");
    expect(location).toBe("/");
    expect(setCookie(res, "hourglass_session")).toBeDefined();
    expect(await t.engine.ctx.db.prisma.principal.count({ where: { oidcSubject: "jane-0001" } })).toBe(1);
  });

  it("behind an https proxy: the redirect URI is HOURGLASS_PUBLIC_URL's and the cookies are Secure", async () => {
    const cfg = { ...config, publicUrl: PUBLIC_URL };
    const { start: s, back, res } = await roundTrip("jane-0001", "/", { cfg, headers: { "x-forwarded-proto": "https" } });
    expect(s.location.searchParams.get("redirect_uri")).toBe(`${PUBLIC_URL}${OIDC_CALLBACK_PATH}`);
    expect(back.origin).toBe(PUBLIC_URL);
    expect(setCookie(res, "hourglass_session")).toMatch(/; Secure$/);
  });

  it("a refused person goes back to the sign-in page with a code, and no session", async () => {
    const { location, res } = await roundTrip("mallory-0002", "/queues");
    expect(location).toBe("/sign-in?error=denied&next=%2Fqueues");
    expect(setCookie(res, "hourglass_session")).toBeUndefined();
    expect(await t.engine.ctx.db.prisma.principal.count({ where: { oidcSubject: "mallory-0002" } })).toBe(0);
    expect(ssoErrorMessage("denied")).toMatch(/may not sign in here/);
  });

  it("a callback without this browser's flow cookie, or for another attempt, is refused", async () => {
    const s = await start("/");
    const back = await idp.authorize(s.location, "jane-0001");
    const callback = `${ORIGIN}${back.pathname}${back.search}`;
    const noCookie = await finishSingleSignOn(new Request(callback), config, t.engine);
    expect(noCookie.headers.get("location")).toBe("/sign-in?error=expired");

    const other = await start("/");
    const mismatched = await finishSingleSignOn(new Request(callback, { headers: { cookie: cookiePair(other.flow) } }), config, t.engine);
    expect(mismatched.headers.get("location")).toBe("/sign-in?error=expired");
    expect(setCookie(mismatched, "hourglass_session")).toBeUndefined();
  });

  it("the provider's own refusal (the person cancelled) says so", async () => {
    const s = await start("/jobs");
    const state = s.location.searchParams.get("state")!;
    const callback = `${ORIGIN}${OIDC_CALLBACK_PATH}?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`;
    const res = await finishSingleSignOn(new Request(callback, { headers: { cookie: cookiePair(s.flow) } }), config, t.engine);
    expect(res.headers.get("location")).toBe("/sign-in?error=provider&next=%2Fjobs");
  });

  it("an unreachable provider is reported, not thrown", async () => {
    const down = { ...config, issuer: new URL("http://127.0.0.1:9/") };
    const res = await startSingleSignOn(new Request(`${ORIGIN}${OIDC_START_PATH}`), down);
    expect(res.headers.get("location")).toBe("/sign-in?error=unavailable");
  });
});

describe("parseOidcConfig", () => {
  it("is off unless HOURGLASS_OIDC_ISSUER is set", () => {
    expect(parseOidcConfig({})).toBeNull();
    expect(parseOidcConfig({ HOURGLASS_OIDC_ISSUER: "  ", HOURGLASS_OIDC_CLIENT_ID: "x" })).toBeNull();
  });

  it("reads the lists and the public URL; no default scopes and any domain by default", () => {
    const base = { HOURGLASS_OIDC_ISSUER: "https://id.example.com/realms/x", HOURGLASS_OIDC_CLIENT_ID: "hg", HOURGLASS_OIDC_CLIENT_SECRET: "s" };
    expect(parseOidcConfig(base)).toEqual({
      issuer: new URL(base.HOURGLASS_OIDC_ISSUER), clientId: "hg", clientSecret: "s", defaultScopes: [], allowedDomains: [], publicUrl: null,
    });
    expect(parseOidcConfig({
      ...base, HOURGLASS_OIDC_DEFAULT_SCOPES: "assume:project:a:reader, queues:read:b/*,", HOURGLASS_OIDC_ALLOWED_DOMAINS: "A.example,@b.example",
      HOURGLASS_PUBLIC_URL: "https://hourglass.example.com/",
    })).toMatchObject({ defaultScopes: ["assume:project:a:reader", "queues:read:b/*"], allowedDomains: ["a.example", "b.example"], publicUrl: "https://hourglass.example.com" });
  });

  it("names what is missing or malformed", () => {
    expect(() => parseOidcConfig({ HOURGLASS_OIDC_ISSUER: "https://id.example.com" }))
      .toThrow("HOURGLASS_OIDC_ISSUER is set, so HOURGLASS_OIDC_CLIENT_ID and HOURGLASS_OIDC_CLIENT_SECRET must be too");
    expect(() => parseOidcConfig({ HOURGLASS_OIDC_ISSUER: "not a url" })).toThrow(/HOURGLASS_OIDC_ISSUER/);
  });

  it("the sign-in link keeps next", () => {
    expect(ssoStartUrl("/")).toBe(OIDC_START_PATH);
    expect(ssoStartUrl("/queues?a=1")).toBe(`${OIDC_START_PATH}?next=%2Fqueues%3Fa%3D1`);
    expect(ssoErrorMessage("toString")).toBeNull();
  });
});
