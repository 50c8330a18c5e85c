import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir, hostname } from "node:os";

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** Whether stdin is a terminal: missing args may be asked for, and a password typed without echo. */
  interactive: boolean;
  env: Record<string, string | undefined>;
  home: string;
  /** This machine's name (`login` names its token after it). */
  hostname: string;
  /** File contents, or null when the file does not exist (or cannot be read). */
  readFile: (path: string) => string | null;
  /** A file's permission bits (mode & 0o7777), or null when it does not exist (or cannot be stat-ed). */
  fileMode: (path: string) => number | null;
  /** Writes `text` to `path`, leaving the file with exactly `mode`. */
  writeFile: (path: string, text: string, mode: number) => void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === "ENOENT";

export function processIo(): CliIo {
  return {
    stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, interactive: Boolean(process.stdin.isTTY),
    env: process.env, home: homedir(), hostname: hostname(),
    readFile: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return null;
      }
    },
    fileMode: (path) => {
      try {
        return statSync(path).mode & 0o7777;
      } catch {
        return null;
      }
    },
    writeFile: (path, text, mode) => {
      // narrow an existing file before the new text (a token) is in it; a new one is created with `mode`
      try {
        chmodSync(path, mode);
      } catch (err) {
        if (!missing(err)) throw err;
      }
      writeFileSync(path, text, { mode });
      chmodSync(path, mode); // the umask may have narrowed a new file further
    },
    now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
