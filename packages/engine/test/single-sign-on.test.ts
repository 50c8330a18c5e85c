// Single sign-on against a real OpenID Connect provider started here: an
// authorization-code + PKCE flow driven by openid-client, its verified ID
// token claims handed to the engine, which finds or creates the principal
// and starts a session that authenticates.
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInWithSingleSignOn, singleSignOnLogin, type SingleSignOnClaims } from "../src/access/host/single-sign-on.ts";
import { isHourglassError } from "../src/errors.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { startTestIdentityProvider, type TestIdentityProvider } from "./oidc-provider.ts";

/** Where the provider sends the browser back; nothing listens there: the test reads the redirect. */
const REDIRECT_URI = "http://127.0.0.1:9/callback";
const OPTIONS = { defaultScopes: ["assume:project:demo:reader"] };

let t: TestEngine;
let idp: TestIdentityProvider;
let client: oidc.Configuration;

beforeAll(async () => {
  [t, idp] = await Promise.all([createTestEngine(), startTestIdentityProvider({ redirectUris: [REDIRECT_URI], conformIdTokenClaims: false })]);
  // the test provider speaks http on 127.0.0.1; real ones are https, which openid-client insists on by default
  client = await oidc.discovery(new URL(idp.issuer), idp.clientId, idp.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  idp.people.set("jane-0001", { sub: "jane-0001", email: "Jane.Doe@example.com", email_verified: true, name: "Jane Doe" });
  idp.people.set("bob-0002", { sub: "bob-0002", email: "bob@elsewhere.example", email_verified: true, name: "Bob" });
  idp.people.set("eve-0003", { sub: "eve-0003", email: "eve@example.com", email_verified: false, name: "Eve" });
  idp.people.set("ann-0004", { sub: "ann-0004", email: "ann@example.com", preferred_username: "Ann Émile", name: "Ann" });
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
});

/** One full sign-in at the provider as `sub`: the verified ID token's claims, as the web app hands them over. */
async function signInAtProvider(sub: string): Promise<SingleSignOnClaims> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(client, {
    redirect_uri: REDIRECT_URI,
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const callback = await idp.authorize(authorizationUrl, sub);
  const tokens = await oidc.authorizationCodeGrant(client, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce });
  const claims = tokens.claims()!;
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: claims.email as string | undefined,
    email_verified: claims.email_verified as boolean | undefined,
    name: claims.name as string | undefined,
    preferred_username: claims.preferred_username as string | undefined,
  };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await promise.then(() => null, (e: unknown) => e);
  if (!isHourglassError(err)) throw new Error(`expected an HourglassError, got ${String(err)}`);
  return { code: err.code, message: err.message };
}

describe("single sign-on through a real OpenID Connect provider", () => {
  it("creates user:<login> with the default scopes on a first sign-in, recording the issuer and subject", async () => {
    const claims = await signInAtProvider("jane-0001");
    expect(claims).toMatchObject({ issuer: idp.issuer, subject: "jane-0001", email: "Jane.Doe@example.com", name: "Jane Doe" });

    const first = await signInWithSingleSignOn(t.engine, claims, OPTIONS, "vitest");
    expect(first.created).toBe(true);
    expect(first.principal).toMatchObject({
      id: "user:jane.doe", kind: "user", displayName: "Jane Doe", scopes: OPTIONS.defaultScopes,
      hasPassword: false, singleSignOn: true, disabled: false, createdBy: "system:single-sign-on",
    });
    const row = await t.engine.ctx.db.prisma.principal.findUniqueOrThrow({ where: { id: "user:jane.doe" } });
    expect({ issuer: row.oidcIssuer, subject: row.oidcSubject }).toEqual({ issuer: idp.issuer, subject: "jane-0001" });

    // the session secret is a dashboard session of that user, with the default scopes' expansion
    const caller = await t.engine.access.credentials.authenticate({ session: first.secret });
    expect(caller).toMatchObject({ id: "user:jane.doe", kind: "user", displayName: "Jane Doe" });
    expect(caller.scopes.satisfies("queues:read:demo/anything")).toBe(true);
    expect(caller.scopes.satisfies("queues:read:other/anything")).toBe(false);
    expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("finds the same principal on the next sign-in of that subject: no duplicate, a new session", async () => {
    const before = await t.engine.ctx.db.prisma.principal.count();
    const again = await signInWithSingleSignOn(t.engine, await signInAtProvider("jane-0001"), OPTIONS, null);
    expect(again.created).toBe(false);
    expect(again.principal.id).toBe("user:jane.doe");
    expect(await t.engine.ctx.db.prisma.principal.count()).toBe(before);
    expect(await t.engine.ctx.db.prisma.principal.count({ where: { oidcSubject: "jane-0001" } })).toBe(1);
    expect((await t.engine.access.credentials.authenticate({ session: again.secret })).id).toBe("user:jane.doe");
  });

  it("never takes over an existing account with the same login: a first sign-in gets a numeric suffix", async () => {
    await t.engine.access.principals.create({ kind: "user", name: "bob", password: "bobs-password-1", scopes: ["*"], by: "test" });
    const bob = await signInWithSingleSignOn(t.engine, await signInAtProvider("bob-0002"), OPTIONS);
    expect(bob.principal).toMatchObject({ id: "user:bob-2", scopes: OPTIONS.defaultScopes, singleSignOn: true });
    expect((await t.engine.access.principals.get("user:bob")).singleSignOn).toBe(false);
  });

  it("refuses an email outside the allowed domains, and an unverified one, creating nothing", async () => {
    const before = await t.engine.ctx.db.prisma.principal.count();
    const allowed = { ...OPTIONS, allowedDomains: ["Example.com"] };
    const bob = await refusal(signInWithSingleSignOn(t.engine, await signInAtProvider("bob-0002"), allowed));
    expect(bob).toEqual({ code: "PERMISSION_DENIED", message: "single sign-on is open to emails at example.com only, not elsewhere.example" });
    const eve = await refusal(signInWithSingleSignOn(t.engine, await signInAtProvider("eve-0003"), allowed));
    expect(eve.code).toBe("PERMISSION_DENIED");
    expect(eve.message).toMatch(/not verified/);
    expect(await t.engine.ctx.db.prisma.principal.count()).toBe(before);
    // the allowed domain still signs in (case-insensitively)
    expect((await signInWithSingleSignOn(t.engine, await signInAtProvider("jane-0001"), allowed)).principal.id).toBe("user:jane.doe");
  });

  it("refuses a disabled principal", async () => {
    await t.engine.access.principals.update("user:jane.doe", { disabled: true }, "user:tester");
    const claims = await signInAtProvider("jane-0001");
    expect(await refusal(signInWithSingleSignOn(t.engine, claims, OPTIONS))).toEqual({
      code: "PERMISSION_DENIED", message: "user:jane.doe is disabled: ask an administrator",
    });
    expect(await t.engine.ctx.db.prisma.session.count({ where: { principalId: "user:jane.doe" } })).toBe(0);
    await t.engine.access.principals.update("user:jane.doe", { disabled: false }, "user:tester");
    expect((await signInWithSingleSignOn(t.engine, claims, OPTIONS)).principal.id).toBe("user:jane.doe");
  });

  it("takes the login from preferred_username when there is one, made valid", async () => {
    const ann = await signInWithSingleSignOn(t.engine, await signInAtProvider("ann-0004"), { defaultScopes: [] });
    expect(ann.principal).toMatchObject({ id: "user:ann-emile", displayName: "Ann", scopes: [] });
    // no default scopes: signed in, but holding nothing until an admin binds a role
    expect((await t.engine.access.credentials.authenticate({ session: ann.secret })).scopes.satisfies("queues:read:demo/q")).toBe(false);
  });

  it("two first sign-ins of one person at once make one principal", async () => {
    idp.people.set("kim-0005", { sub: "kim-0005", email: "kim@example.com" });
    const claims = await signInAtProvider("kim-0005");
    const [a, b] = await Promise.all([signInWithSingleSignOn(t.engine, claims, OPTIONS), signInWithSingleSignOn(t.engine, claims, OPTIONS)]);
    expect(a.principal.id).toBe("user:kim");
    expect(b.principal.id).toBe("user:kim");
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await t.engine.ctx.db.prisma.principal.count({ where: { oidcSubject: "kim-0005" } })).toBe(1);
  });
});

describe("singleSignOnLogin", () => {
  it.each([
    [{ preferred_username: "Jane", email: "x@example.com" }, "jane"],
    [{ email: "Jane.Doe+hourglass@example.com" }, "jane.doe-hourglass"],
    [{ preferred_username: "jane@corp.example" }, "jane@corp.example"],
    [{ preferred_username: "  Zoë O'Brien  " }, "zoe-o-brien"],
    [{ preferred_username: "__root__" }, "root"],
    [{ preferred_username: "日本", email: "taro@example.jp" }, "taro"],
    [{ preferred_username: "!!!" }, "sso-user"],
    [{}, "sso-user"],
    [{ email: `${"a".repeat(150)}@example.com` }, "a".repeat(90)],
  ])("%j → %s", (claims, login) => {
    expect(singleSignOnLogin(claims)).toBe(login);
  });
});
