// A real OpenID Connect provider (panva's oidc-provider) on 127.0.0.1, for
// single sign-on tests, and a minimal browser that walks its authorization
// flow. The provider's login and consent page is replaced by a handler that
// signs in whoever the browser names (no form to fill), through the
// provider's own interaction API, so every protocol step is the real one.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

/** A person at the test provider: `sub` plus the claims it releases for the email and profile scopes. */
export interface TestPerson {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who may sign in; add to it at any time. */
  people: Map<string, TestPerson>;
  /**
   * Goes to `authorizationUrl` as a browser would (its own cookie jar,
   * redirects followed by hand), signs in as `sub` and consents, and returns
   * the URL the provider finally sends the browser to: the client's
   * redirect_uri with `code`, `state` and `iss`.
   */
  authorize(authorizationUrl: string | URL, sub: string): Promise<URL>;
  close(): Promise<void>;
}

/** Header the test browser uses to tell the interaction handler whom to sign in. */
const LOGIN_HEADER = "x-test-login";

export async function startTestIdentityProvider(options: {
  redirectUris: string[];
  /**
   * oidc-provider's default (true) keeps profile and email claims out of an
   * ID token issued with an access token, so a client must ask UserInfo for
   * them; false puts them in the ID token, as many providers do.
   */
  conformIdTokenClaims?: boolean;
}): Promise<TestIdentityProvider> {
  const people = new Map<string, TestPerson>();
  const clientId = "hourglass-test";
  const clientSecret = "a-client-secret-for-tests-only-0123456789";
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: options.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    }],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: ["test-cookie-signing-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
    conformIdTokenClaims: options.conformIdTokenClaims ?? true,
    features: { devInteractions: { enabled: false } },
    async findAccount(_ctx, sub) {
      const person = people.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: () => ({ ...person }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();

  server.on("request", async (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return handle(req, res);
    try {
      // the provider's own interaction API: who signed in, and a grant of what the client asked for
      const details = await provider.interactionDetails(req, res);
      const accountId = String(req.headers[LOGIN_HEADER] ?? "");
      if (!people.has(accountId)) throw new Error(`no such test person: ${accountId}`);
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });

  async function authorize(authorizationUrl: string | URL, sub: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 10; hop++) {
      if (url.origin !== issuer) return url; // left the provider: this is the redirect back to the client
      const res = await fetch(url, {
        redirect: "manual",
        headers: {
          [LOGIN_HEADER]: sub,
          ...(jar.size > 0 && { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") }),
        },
      });
      for (const set of res.headers.getSetCookie()) {
        const [pair = "", ...attributes] = set.split(";");
        const eq = pair.indexOf("=");
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) <= Date.now());
        if (value === "" || expired) jar.delete(name);
        else jar.set(name, value);
      }
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) {
        throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${(await res.text()).slice(0, 500)}`);
      }
      await res.body?.cancel();
      url = new URL(location, url);
    }
    throw new Error("too many redirects at the provider");
  }

  return {
    issuer,
    clientId,
    clientSecret,
    people,
    authorize,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
