// Who the CLI calls as: `login` trades a password for an API token saved in
// the config file, `logout` revokes it, `whoami` shows its owner, `token`
// manages one's own tokens. Every other command sends the token.
import { Option, type Command } from "commander";
import { createApi, httpStatusOf, type Api } from "./client.ts";
import { savedToken, updateConfigFile } from "./config-file.ts";
import { octal, tokenId, userConfigFile, type CliSettings, type ConfigSources } from "./config.ts";
import { CliFailure, NOT_SIGNED_IN } from "./failure.ts";
import { day, formatNewToken, formatTokens, formatWhoami, time } from "./format.ts";
import type { CliIo } from "./io.ts";
import { askCredentials } from "./prompt.ts";
import { signIn, signOut } from "./session.ts";

/** How long the token `login` saves lasts (the dashboard's default for new tokens too). */
export const LOGIN_TOKEN_DAYS = 90;

export interface IdentityContext {
  io: CliIo;
  version: string;
  /** The global flags (--addr, --config, --timeout, --token). */
  flags: () => ConfigSources["flags"];
  /**
   * Settings as every API command resolves them, warning about a config file
   * others can read; for `login`, a missing named file is fine and not warned about.
   */
  settings: (o?: { login?: boolean }) => CliSettings;
  api: () => Api;
  print: (value: unknown, text: () => string) => void;
  /** A note on stderr that is not an error. */
  note: (message: string) => void;
}

const TOKEN_ID = /^[0-9A-Za-z]{20}$/;

/** `--expires-in-days`: a whole number of days, or `never`. */
function parseDays(text: string): number | undefined {
  if (text === "never") return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new CliFailure("--expires-in-days must be a whole number of days (1 or more), or never", 2);
  }
  return Number(text);
}

/** A token id, or a whole token (`hg_<id>_<secret>`) whose id is taken. */
function parseTokenId(text: string): string {
  const id = tokenId(text) ?? text;
  if (!TOKEN_ID.test(id)) {
    throw new CliFailure(`"${text}" is not a token id (20 letters and digits, as \`hourglass token list\` shows)`, 2);
  }
  return id;
}

/** Says so when a token given by flag or environment will be used instead of the one in the config file. */
function overriddenBy(ctx: IdentityContext): string | null {
  if (ctx.flags().token) return "--token";
  if (ctx.io.env.HOURGLASS_TOKEN) return "HOURGLASS_TOKEN";
  return null;
}

export function addIdentityCommands(program: Command, ctx: IdentityContext): void {
  const { io } = ctx;

  program.command("login")
    .description(`sign in with your password and save an API token (${LOGIN_TOKEN_DAYS} days) in the config file`
      + " (~/.hourglass.yaml or --config)")
    .option("--login <name>", "your login (asked for on a terminal when not given)")
    .action(async (o: { login?: string }) => {
      if (!io.interactive && !o.login) {
        throw new CliFailure("give --login <name> when stdin is not a terminal (the password is then read from its first line)", 2);
      }
      const target = userConfigFile({ flags: ctx.flags(), env: io.env, home: io.home });
      const settings = ctx.settings({ login: true }); // the address as every command finds it
      // prompts go to stderr: stdout stays the command's output (--json)
      const { login, password } = await askCredentials({ login: o.login, input: io.stdin, output: io.stderr, terminal: io.interactive })
        .catch((err: Error) => Promise.reject(new CliFailure(err.message)));
      const call = {
        addr: settings.addr, timeoutMs: settings.timeoutMs, userAgent: `hourglass-cli/${ctx.version} (${io.hostname})`,
      };
      const { session } = await signIn(call, login, password);
      try {
        const viaSession = createApi(settings, { session });
        const me = await viaSession.access.whoami.query();
        const created = await viaSession.access.createToken.mutate({
          name: `cli on ${io.hostname}`, scopes: me.scopes, expiresInDays: LOGIN_TOKEN_DAYS,
        });
        let wasWide: number | null;
        try {
          wasWide = updateConfigFile(io, target.path, target.file, { addr: settings.addr, token: created.token });
        } catch (err) {
          // a token nobody holds is only a risk: take it back
          await viaSession.access.revokeToken.mutate({ id: created.clientId }).catch(() => undefined);
          throw err;
        }
        if (wasWide !== null) {
          ctx.note(`${target.path} had mode ${octal(wasWide)} (others could read it); it is now 0600`);
        }
        const over = overriddenBy(ctx);
        if (over) ctx.note(`${over} is set, and is used instead of the saved token`);
        const expiresAt = created.info.expiresAtTimestampMillis;
        ctx.print(
          { user: me.id, tokenId: created.clientId, file: target.path, expiresAt },
          () => `signed in as ${me.id}; token ${created.clientId} saved to ${target.path} (expires ${day(expiresAt)})\n`,
        );
      } finally {
        // the token is what the CLI keeps; the session only served to make it
        await signOut(call, session)
          .catch((err: Error) => ctx.note(`could not end the sign-in session: ${err.message}`));
      }
    });

  program.command("logout").description("revoke the token saved in the config file and remove it from the file")
    .action(async () => {
      const target = userConfigFile({ flags: ctx.flags(), env: io.env, home: io.home });
      const saved = savedToken(io, target.path, target.file);
      if (saved === null) {
        ctx.print({ revoked: null, file: target.path }, () => `no token saved in ${target.path}; nothing to do\n`);
        return;
      }
      const id = tokenId(saved);
      let stillValid = id !== null;
      if (id !== null) {
        try {
          await createApi({ ...ctx.settings(), token: saved }).access.revokeToken.mutate({ id });
        } catch (err) {
          if (httpStatusOf(err) !== 401) throw err; // keep it, so logout can be run again
          stillValid = false;
        }
      }
      updateConfigFile(io, target.path, target.file, { token: null });
      const over = overriddenBy(ctx);
      if (over) ctx.note(`${over} is still set: commands keep calling with that token`);
      ctx.print({ revoked: stillValid ? id : null, file: target.path }, () => stillValid
        ? `signed out: token ${id} revoked and removed from ${target.path}\n`
        : `token ${id ?? "(malformed)"} was no longer valid; removed it from ${target.path}\n`);
    });

  program.command("whoami").description("who your token belongs to: id, kind, display name, scopes")
    .action(async () => {
      const me = await ctx.api().access.whoami.query();
      if (me.anonymous) throw new CliFailure(NOT_SIGNED_IN);
      ctx.print(me, () => formatWhoami(me));
    });

  const token = program.command("token").description("your API tokens: create, list, revoke");

  token.command("create").description("a new API token for you, printed once")
    .requiredOption("--name <name>", "what the token is for (shown in `token list`)")
    .addOption(new Option("--scope <scope>", "a scope it holds, within yours; repeat for more")
      .argParser((s: string, all: string[]) => [...all, s]).default([], "all of yours"))
    .option("--expires-in-days <n>", "days until it expires, or never", String(LOGIN_TOKEN_DAYS))
    .action(async (o: { name: string; scope: string[]; expiresInDays: string }) => {
      const expiresInDays = parseDays(o.expiresInDays);
      const client = ctx.api();
      const scopes = o.scope.length ? o.scope : (await client.access.whoami.query()).scopes;
      const created = await client.access.createToken.mutate({ name: o.name, scopes, expiresInDays });
      ctx.print(created, () => formatNewToken(created));
    });

  token.command("list")
    .description("your tokens: id, name, scopes, created, expires, last used, revoked")
    .action(async () => {
      const tokens = await ctx.api().access.listTokens.query({});
      ctx.print(tokens, () => formatTokens(tokens));
    });

  token.command("revoke")
    .description("revoke one of your tokens (it stops working at once)")
    .argument("<id>", "token id (see `token list`)")
    .action(async (text: string) => {
      const id = parseTokenId(text);
      const settings = ctx.settings();
      const revoked = await ctx.api().access.revokeToken.mutate({ id });
      const own = settings.token !== null && tokenId(settings.token) === id;
      const since = time(revoked.revokedAtTimestampMillis);
      ctx.print(revoked, () => `OK, token ${revoked.id} (${revoked.name}) is revoked since ${since}\n`
        + (own ? "that was the token this CLI calls with: run `hourglass login` for a new one\n" : ""));
    });
}
