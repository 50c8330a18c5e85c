import { parse } from "yaml";
import { z } from "zod";

/** Where the CLI talks to and as whom. */
export interface CliSettings {
  /** Base URL of the Hourglass web process (the tRPC API is under /api/trpc). */
  addr: string;
  /** Per-call timeout. */
  timeoutMs: number;
  /** The API token sent as `Authorization: Bearer …` (who you are is the token's owner); null = none. */
  token: string | null;
}

export const DEFAULT_ADDR = "http://127.0.0.1:3000";
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Read in order, later files winning (as spinc reads /etc/spinc/spinc.yaml, then ~/.spinc.yaml). */
export const DEFAULT_CONFIG_FILES = ["/etc/hourglass/cli.yaml", "~/.hourglass.yaml"];

const addr = z.url({ protocol: /^https?$/, error: "addr must be an http:// or https:// URL" });
const timeout = z.coerce.number().int("timeout is whole milliseconds").min(1, "timeout must be at least 1 ms").max(3_600_000);
/** `hg_<id>_<secret>`: a 20-character id, then the 43-character secret (base64url, which may contain `_`). */
export const TOKEN_PATTERN = /^hg_([0-9A-Za-z]{20})_[A-Za-z0-9_-]{43}$/;
const token = z.string().regex(TOKEN_PATTERN, "token must be an Hourglass API token (hg_…), as `token create` prints");
const fileSchema = z.object({ addr: addr.optional(), timeout: timeout.optional(), token: token.optional() }).strict();

export class ConfigError extends Error {}

export interface ConfigSources {
  flags: { addr?: string; config?: string; timeout?: string; token?: string };
  env: Record<string, string | undefined>;
  home: string;
  /** File contents, or null when the file does not exist. */
  readFile: (path: string) => string | null;
  /** A file's permission bits (`stat` mode & 0o7777), or null when unknown; without it no mode is checked. */
  fileMode?: (path: string) => number | null;
  /** Told about a config file that holds a token and others may read (the caller prints it once). */
  warn?: (message: string) => void;
  /** A named config file that does not exist reads as empty instead of an error (`login` creates it). */
  namedMayBeMissing?: boolean;
}

/** Permission bits that let group or others at a file (ssh refuses keys with any of them). */
export const WIDE_MODE_BITS = 0o077;

export const octal = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;

export const expandHome = (file: string, home: string) => (file.startsWith("~/") ? `${home}/${file.slice(2)}` : file);

/**
 * The one config file the CLI writes (`login`, `logout`): the named one
 * (`--config` / HOURGLASS_CONFIG), else ~/.hourglass.yaml. `file` is as the
 * user wrote it (for messages), `path` with ~ expanded.
 */
export function userConfigFile(s: Pick<ConfigSources, "flags" | "env" | "home">): { file: string; path: string } {
  const file = s.flags.config ?? s.env.HOURGLASS_CONFIG ?? DEFAULT_CONFIG_FILES[DEFAULT_CONFIG_FILES.length - 1]!;
  return { file, path: expandHome(file, s.home) };
}

/** The id of an API token (`hg_<id>_<secret>`): what `token list` shows and `token revoke` takes. */
export function tokenId(token: string): string | null {
  return TOKEN_PATTERN.exec(token)?.[1] ?? null;
}

/**
 * Settings from, lowest to highest precedence: defaults, config files
 * (`--config` / HOURGLASS_CONFIG names one file instead of the defaults),
 * environment (HOURGLASS_ADDR, HOURGLASS_TIMEOUT_MS, HOURGLASS_TOKEN), flags.
 * A missing default file is skipped; a named file that is missing, or any
 * file that is not valid, is an error naming the file.
 */
export function resolveSettings(s: ConfigSources): CliSettings {
  const named = s.flags.config ?? s.env.HOURGLASS_CONFIG;
  const files = named ? [named] : DEFAULT_CONFIG_FILES;
  const settings: CliSettings = { addr: DEFAULT_ADDR, timeoutMs: DEFAULT_TIMEOUT_MS, token: null };
  for (const file of files) {
    const path = expandHome(file, s.home);
    const text = s.readFile(path);
    if (text === null) {
      if (named && !s.namedMayBeMissing) throw new ConfigError(`config file ${file} does not exist`);
      continue;
    }
    let data: unknown;
    try {
      data = parse(text) ?? {};
    } catch (err) {
      throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    const parsed = fileSchema.safeParse(data);
    if (!parsed.success) throw new ConfigError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ")}`);
    if (parsed.data.addr) settings.addr = parsed.data.addr;
    if (parsed.data.timeout) settings.timeoutMs = parsed.data.timeout;
    if (parsed.data.token) {
      settings.token = parsed.data.token;
      const mode = s.fileMode?.(path) ?? null;
      if (mode !== null && (mode & WIDE_MODE_BITS) !== 0) {
        s.warn?.(`permissions ${octal(mode)} for ${file} are too open: it holds an API token that others may read;`
          + ` run \`chmod 600 ${file}\``);
      }
    }
  }
  const pick = (value: string | undefined, what: string, schema: z.ZodType<unknown>) => {
    if (value === undefined) return undefined;
    const r = schema.safeParse(value);
    if (!r.success) throw new ConfigError(`${what}: ${r.error.issues[0]!.message}`);
    return r.data;
  };
  const envAddr = pick(s.env.HOURGLASS_ADDR, "HOURGLASS_ADDR", addr) as string | undefined;
  const envTimeout = pick(s.env.HOURGLASS_TIMEOUT_MS, "HOURGLASS_TIMEOUT_MS", timeout) as number | undefined;
  const flagAddr = pick(s.flags.addr, "--addr", addr) as string | undefined;
  const flagTimeout = pick(s.flags.timeout, "--timeout", timeout) as number | undefined;
  const envToken = pick(s.env.HOURGLASS_TOKEN, "HOURGLASS_TOKEN", token) as string | undefined;
  const flagToken = pick(s.flags.token, "--token", token) as string | undefined;
  return {
    addr: (flagAddr ?? envAddr ?? settings.addr).replace(/\/+$/, ""),
    timeoutMs: flagTimeout ?? envTimeout ?? settings.timeoutMs,
    token: flagToken ?? envToken ?? settings.token,
  };
}
