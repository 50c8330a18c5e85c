// login / logout / whoami / token against a real API: an HTTP server over a
// test engine on real PostgreSQL, with a small /api/session that signs in
// and out as the web app's route does (same cookie), so Next.js is not needed.
// Config files live in a temporary home, read and written through the real
// file functions, except where a test injects the mode.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { HourglassError } from "@hourglass/engine";
import { SESSION_COOKIE } from "@hourglass/engine/api";
import { createTestEngine, type TestEngine } from "@hourglass/engine/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main, type CliIo } from "../src/cli.ts";
import { resolveSettings } from "../src/config.ts";
import { NOT_SIGNED_IN } from "../src/failure.ts";
import { startApiServer } from "./api-server.ts";

const PASSWORD = "a-long-password";
let t: TestEngine;
let server: Server;
let addr: string;
let home: string;
/** Every /api/session call the test server answered: method and status. */
const sessionCalls: string[] = [];

/** The web app's POST / DELETE /api/session, over the engine directly. */
async function sessionRoute(req: IncomingMessage, body: Buffer, res: ServerResponse) {
  const answer = (status: number, json: unknown, cookie?: string) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...(cookie && { "set-cookie": cookie }) });
    res.end(JSON.stringify(json));
    sessionCalls.push(`${req.method} ${status}`);
  };
  const attributes = (maxAge: number) => `HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAge}`;
  try {
    if (req.method === "POST") {
      const { login, password } = JSON.parse(body.toString()) as { login: string; password: string };
      const { secret, caller } = await t.engine.access.credentials.signIn(login, password, req.headers["user-agent"] ?? null);
      return answer(200, { user: { id: caller.id, displayName: caller.displayName } }, `${SESSION_COOKIE}=${secret}; ${attributes(12 * 3600)}`);
    }
    const secret = /hourglass_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    if (secret) await t.engine.access.credentials.signOut(secret);
    return answer(200, { signedOut: true }, `${SESSION_COOKIE}=; ${attributes(0)}`);
  } catch (err) {
    if (!(err instanceof HourglassError)) throw err;
    return answer(err.code === "ACCOUNT_LOCKED" ? 429 : 401, { error: { message: err.message, errorCode: err.code } });
  }
}

beforeAll(async () => {
  t = await createTestEngine();
  await t.engine.access.principals.create({ kind: "user", name: "cli-user", password: PASSWORD, scopes: ["assume:project:demo:reader"], by: "test" });
  ({ server, addr } = await startApiServer(t, { "/api/session": sessionRoute }));
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await t?.close();
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "hourglass-cli-identity-"));
  sessionCalls.length = 0;
  return () => rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI in-process as a user with `home`, talking to the test server; no token unless the config file or `env` has one. */
async function cli(argv: string[], o: { input?: string; interactive?: boolean; env?: Record<string, string>; io?: Partial<CliIo> } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  stdin.end(o.input ?? "");
  const code = await main(argv, {
    stdout, stderr, stdin, interactive: o.interactive ?? false, env: { HOURGLASS_ADDR: addr, ...o.env }, home, ...o.io,
  });
  return { code, out, err };
}

const configFile = () => join(home, ".hourglass.yaml");
const config = () => parse(readFileSync(configFile(), "utf8")) as Record<string, unknown>;
const modeOf = (path: string) => statSync(path).mode & 0o777;
const login = () => cli(["login", "--login", "cli-user"], { input: `${PASSWORD}\n` });
const sessionsOf = (principalId: string) => t.engine.ctx.db.prisma.session.count({ where: { principalId } });

describe("hourglass login", () => {
  it("saves a working token with the user's scopes in ~/.hourglass.yaml, mode 0600, and ends the session", async () => {
    const r = await login();
    expect(r).toMatchObject({ code: 0, err: "" });
    const saved = /^signed in as user:cli-user; token ([0-9A-Za-z]{20}) saved to (.+) \(expires (\d{4}-\d\d-\d\d)\)\n$/.exec(r.out);
    expect(saved, r.out).not.toBeNull();
    const [, id, file, expires] = saved!;
    expect(file).toBe(configFile());
    expect(modeOf(configFile())).toBe(0o600);
    expect(config()).toEqual({ addr, token: expect.stringMatching(new RegExp(`^hg_${id}_`)) });

    const [token] = await t.engine.access.credentials.listTokens("user:cli-user");
    expect(token).toMatchObject({ id, name: `cli on ${hostname()}`, createdBy: "user:cli-user", revokedAtTimestampMillis: null });
    expect(token!.scopes).toContain("assume:project:demo:reader");
    expect(token!.expiresAtTimestampMillis! - token!.createdAtTimestampMillis).toBe(90 * 86_400_000);
    const expiry = new Date(token!.expiresAtTimestampMillis!);
    expect(expires).toBe(`${expiry.getFullYear()}-${String(expiry.getMonth() + 1).padStart(2, "0")}-${String(expiry.getDate()).padStart(2, "0")}`);
    expect(sessionCalls).toEqual(["POST 200", "DELETE 200"]);
    expect(await sessionsOf("user:cli-user")).toBe(0);

    // every later command calls as the token's owner
    expect((await cli(["whoami"])).out).toMatch(/^id:\s+user:cli-user\n/);
  });

  it("keeps the file's other keys and comments, and narrows a file others could read to 0600", async () => {
    writeFileSync(configFile(), "# my settings\ntimeout: 5000\n", { mode: 0o644 });
    chmodSync(configFile(), 0o644);
    const r = await login();
    expect(r.code).toBe(0);
    expect(r.err).toBe(`hourglass: ${configFile()} had mode 0644 (others could read it); it is now 0600\n`);
    expect(modeOf(configFile())).toBe(0o600);
    expect(readFileSync(configFile(), "utf8")).toMatch(/^# my settings\ntimeout: 5000\naddr: .+\ntoken: hg_/);
  });

  it("writes the file --config names, creating it", async () => {
    const named = join(home, "work.yaml");
    const r = await cli(["--config", named, "login", "--login", "cli-user"], { input: `${PASSWORD}\n` });
    expect(r.out).toContain(`saved to ${named} (expires`);
    expect(modeOf(named)).toBe(0o600);
    expect((await cli(["--config", named, "whoami", "--json"])).out).toContain('"id": "user:cli-user"');
  });

  it("asks for login and password on a terminal, without echoing the password", async () => {
    const r = await cli(["login"], { interactive: true, input: `cli-user\n${PASSWORD}\n` });
    expect(r.code).toBe(0);
    expect(r.err).toContain("login: ");
    expect(r.err).toContain("password: ");
    expect(r.err).not.toContain(PASSWORD);
    expect(r.out).toMatch(/^signed in as user:cli-user; token /);
  });

  it("refuses a wrong password, and needs --login without a terminal", async () => {
    expect(await cli(["login", "--login", "cli-user"], { input: "wrong-password\n" }))
      .toMatchObject({ code: 1, out: "", err: "hourglass: unknown login or wrong password\n" });
    expect(await cli(["login"], { input: `${PASSWORD}\n` }))
      .toMatchObject({ code: 2, err: "hourglass: give --login <name> when stdin is not a terminal (the password is then read from its first line)\n" });
    expect((await cli(["login", "--login", "cli-user"])).err).toBe("hourglass: no password: input ended\n");
    expect(() => statSync(configFile())).toThrow(/ENOENT/);
  });

  it("passes on the lockout after too many failed sign-ins (429)", async () => {
    await t.engine.access.principals.create({ kind: "user", name: "locked-user", password: PASSWORD, scopes: [], by: "test" });
    for (let i = 0; i < 5; i++) await cli(["login", "--login", "locked-user"], { input: "wrong-password\n" });
    const r = await cli(["login", "--login", "locked-user"], { input: `${PASSWORD}\n` });
    expect(r).toMatchObject({ code: 1, out: "" });
    expect(r.err).toMatch(/^hourglass: too many failed sign-ins: try again after \d{4}-/);
    expect(sessionCalls.at(-1)).toBe("POST 429");
  });
});

describe("hourglass whoami", () => {
  it("prints id, kind, display name and scopes, or the API's JSON", async () => {
    await login();
    const r = await cli(["whoami"]);
    expect(r.out).toMatch(/^id:\s+user:cli-user\nkind:\s+user\ndisplay name:\s+cli-user\nscopes:\s+\S+\n/);
    expect(r.out).toMatch(/^(scopes:)?\s+assume:project:demo:reader$/m);
    expect(r.out).toMatch(/^\s+queues:read:demo\/\*$/m);
    const asJson = JSON.parse((await cli(["whoami", "--json"])).out);
    expect(asJson).toMatchObject({ id: "user:cli-user", kind: "user", displayName: "cli-user", anonymous: false });
    expect(asJson.scopes).toContain("assume:project:demo:reader");
  });

  it("without a token says to sign in", async () => {
    expect(await cli(["whoami"])).toMatchObject({ code: 1, out: "", err: `hourglass: ${NOT_SIGNED_IN}\n` });
    expect(await cli(["token", "list"])).toMatchObject({ code: 1, err: `hourglass: ${NOT_SIGNED_IN}\n` });
  });
});

describe("hourglass token", () => {
  it("creates a token shown once, lists own tokens, and a revoked token is not signed in", async () => {
    await login();
    const created = await cli(["token", "create", "--name", "ci", "--scope", "assume:project:demo:reader", "--expires-in-days", "7"]);
    expect(created.code).toBe(0);
    const token = /^token:\s+(hg_\S+)$/m.exec(created.out)![1]!;
    const id = /^clientId:\s+(\S+)$/m.exec(created.out)![1]!;
    expect(token.startsWith(`hg_${id}_`)).toBe(true);
    expect(created.out).toMatch(new RegExp(`^accessToken:\\s+${token.slice(`hg_${id}_`.length).replace(/[-_]/g, "\\$&")}$`, "m"));
    expect(created.out).toContain("This is the only time the token is shown");

    const withIt = await cli(["whoami", "--json"], { env: { HOURGLASS_TOKEN: token } });
    expect(JSON.parse(withIt.out)).toMatchObject({ id: "user:cli-user", tokenId: id, scopes: expect.arrayContaining(["queues:read:demo/*"]) });

    const list = await cli(["token", "list"]);
    // a time is printed as "YYYY-MM-DD HH:MM:SS <zone>"
    const ZONE = "(UTC|[+-]\\d\\d:\\d\\d)";
    const T = `\\S+ \\S+ ${ZONE}`;
    expect(list.out.split("\n")[0]).toMatch(/^ID\s+NAME\s+SCOPES\s+CREATED\s+EXPIRES\s+LAST USED\s+REVOKED$/);
    expect(list.out).toMatch(new RegExp(`^${id}\\s+ci\\s+assume:project:demo:reader\\s+${T}\\s+${T}\\s+${T}\\s+-$`, "m"));
    expect(list.out).toMatch(new RegExp(`\\scli on ${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`));
    expect(list.out).not.toMatch(/\stests\s/); // own tokens only: not the tester's

    const revoked = await cli(["token", "revoke", id]);
    expect(revoked).toMatchObject({ code: 0, err: "" });
    expect(revoked.out).toMatch(new RegExp(`^OK, token ${id} \\(ci\\) is revoked since \\d{4}-`));
    expect(await cli(["whoami"], { env: { HOURGLASS_TOKEN: token } })).toMatchObject({ code: 1, err: `hourglass: ${NOT_SIGNED_IN}\n` });
    expect(await cli(["token", "list"], { env: { HOURGLASS_TOKEN: token } })).toMatchObject({ code: 1, err: `hourglass: ${NOT_SIGNED_IN}\n` });
    expect((await cli(["token", "list"])).out).toMatch(new RegExp(`^${id}\\s+ci\\s.*\\d\\d:\\d\\d:\\d\\d ${ZONE}$`, "m"));
  });

  it("defaults to all of the caller's scopes; refuses more than those and bad arguments", async () => {
    await login();
    const all = JSON.parse((await cli(["--json", "token", "create", "--name", "everything"])).out);
    expect(all.info.scopes).toContain("assume:project:demo:reader");
    expect(all.info.expiresAtTimestampMillis - all.info.createdAtTimestampMillis).toBe(90 * 86_400_000);
    const forever = JSON.parse((await cli(["--json", "token", "create", "--name", "forever", "--expires-in-days", "never"])).out);
    expect(forever.info.expiresAtTimestampMillis).toBeNull();
    expect(await cli(["token", "create", "--name", "x", "--scope", "queues:manage:demo/*"]))
      .toMatchObject({ code: 1, err: "hourglass: a token cannot have scopes its creator does not hold: queues:manage:demo/*\n" });
    expect((await cli(["token", "create", "--name", "x", "--expires-in-days", "0"])).code).toBe(2);
    expect((await cli(["token", "create", "--scope", "x"])).code).toBe(2); // --name is required
    expect((await cli(["token", "revoke", "nope"])).code).toBe(2);
    expect(await cli(["token", "revoke", "A".repeat(20)])).toMatchObject({ code: 1, err: `hourglass: no such token: ${"A".repeat(20)}\n` });
    const tester = (await t.engine.access.credentials.listTokens("user:tester"))[0]!;
    expect((await cli(["token", "revoke", tester.id])).err).toBe(`hourglass: no such token: ${tester.id}\n`); // another's token
  });
});

describe("hourglass logout", () => {
  it("revokes the saved token and removes it from the file, keeping the rest", async () => {
    await login();
    const id = /^hg_([0-9A-Za-z]{20})_/.exec(config().token as string)![1]!;
    expect(await cli(["logout"])).toMatchObject({ code: 0, err: "", out: `signed out: token ${id} revoked and removed from ${configFile()}\n` });
    expect(config()).toEqual({ addr });
    expect(modeOf(configFile())).toBe(0o600);
    expect((await t.engine.access.credentials.token(id))!.revokedBy).toBe("user:cli-user");
    expect(await cli(["whoami"])).toMatchObject({ code: 1, err: `hourglass: ${NOT_SIGNED_IN}\n` });
    expect((await cli(["logout"])).out).toBe(`no token saved in ${configFile()}; nothing to do\n`);
  });

  it("removes a token that no longer works", async () => {
    await login();
    const id = /^hg_([0-9A-Za-z]{20})_/.exec(config().token as string)![1]!;
    await t.engine.access.credentials.revokeToken(id, "user:tester");
    expect(await cli(["logout"])).toMatchObject({ code: 0, out: `token ${id} was no longer valid; removed it from ${configFile()}\n` });
    expect(config()).toEqual({ addr });
  });
});

describe("config file permissions", () => {
  const someToken = () => `hg_${"a".repeat(20)}_${"b".repeat(43)}`;

  it("warns once on stderr when a file holding a token is readable by group or others, as ssh does", async () => {
    const files: Record<string, string> = { [configFile()]: `token: ${someToken()}\n` };
    const modes: Record<string, number> = { [configFile()]: 0o644 };
    const io: Partial<CliIo> = { readFile: (p) => files[p] ?? null, fileMode: (p) => modes[p] ?? null };
    const wide = await cli(["token", "revoke", "A".repeat(20)], { io }); // resolves settings, then calls: 401 for the unknown token
    const warning = "hourglass: warning: permissions 0644 for ~/.hourglass.yaml are too open:"
      + " it holds an API token that others may read; run `chmod 600 ~/.hourglass.yaml`\n";
    expect(wide.err).toBe(`${warning}hourglass: ${NOT_SIGNED_IN}\n`);
    modes[configFile()] = 0o640;
    expect((await cli(["whoami"], { io })).err).toMatch(/^hourglass: warning: permissions 0640 for/);
    modes[configFile()] = 0o600;
    expect((await cli(["whoami"], { io })).err).toBe(`hourglass: ${NOT_SIGNED_IN}\n`);
    files[configFile()] = `addr: ${addr}\n`;
    modes[configFile()] = 0o644;
    expect((await cli(["whoami"], { io })).err).toBe(`hourglass: ${NOT_SIGNED_IN}\n`); // no token, nothing to protect
  });

  it("resolveSettings tells its caller, naming the file as given", () => {
    const warnings: string[] = [];
    const settings = resolveSettings({
      flags: { config: "/etc/x.yaml" }, env: {}, home: "/home/a",
      readFile: () => `token: ${someToken()}\n`, fileMode: () => 0o604, warn: (m) => warnings.push(m),
    });
    expect(settings.token).toBe(someToken());
    expect(warnings).toEqual([
      "permissions 0604 for /etc/x.yaml are too open: it holds an API token that others may read; run `chmod 600 /etc/x.yaml`",
    ]);
  });
});
