import { isMap, parseDocument, type Document } from "yaml";
import { CliFailure } from "./failure.ts";
import { WIDE_MODE_BITS } from "./config.ts";

/** The mode of a config file the CLI writes: it may hold a token, so only its owner reads it. */
export const CONFIG_FILE_MODE = 0o600;

/** The file access `login` and `logout` need (CliIo provides it; tests pass their own). */
export interface ConfigFileIo {
  readFile: (path: string) => string | null;
  fileMode: (path: string) => number | null;
  /** Writes `text` to `path`, leaving the file with exactly `mode` (created with it; an existing file chmod-ed first). */
  writeFile: (path: string, text: string, mode: number) => void;
}

/** The file as a YAML document whose top level is a map (empty when the file is missing or blank). */
function load(io: ConfigFileIo, path: string, file: string): Document {
  const doc = parseDocument(io.readFile(path) ?? "");
  if (doc.errors.length) throw new CliFailure(`${file}: not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new CliFailure(`${file}: the top level must be a map of keys (addr, timeout, token)`);
  }
  return doc;
}

/** The `token` the file holds, or null. */
export function savedToken(io: ConfigFileIo, path: string, file: string): string | null {
  const value = load(io, path, file).get("token");
  return typeof value === "string" ? value : null;
}

/**
 * Sets (a string) or removes (null) keys of the config file, keeping its
 * other keys and comments, and writes it with CONFIG_FILE_MODE. Returns the
 * mode it had when that let group or others in (so the caller can say it was
 * fixed), else null.
 */
export function updateConfigFile(
  io: ConfigFileIo, path: string, file: string, patch: Record<string, string | null>,
): number | null {
  const doc = load(io, path, file);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) doc.delete(key);
    else doc.set(key, value);
  }
  const before = io.fileMode(path);
  try {
    io.writeFile(path, doc.contents === null ? "" : String(doc), CONFIG_FILE_MODE);
  } catch (err) {
    throw new CliFailure(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return before !== null && (before & WIDE_MODE_BITS) !== 0 ? before : null;
}
