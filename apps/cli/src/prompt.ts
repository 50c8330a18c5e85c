import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

export interface ArgToAsk {
  name: string;
  desc: string;
  /** Null for a required arg (asked until answered); else the value an empty answer keeps. */
  default: string | null;
}

/**
 * Asks for args on the terminal, as spinc's start does: required ones until
 * answered, optional ones showing the default an empty answer keeps (such
 * args are left out, so the spec applies its default).
 */
export async function promptArgs(args: ArgToAsk[], input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<Record<string, string>> {
  const rl = createInterface({ input, output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const answers: Record<string, string> = {};
  try {
    for (const a of args) {
      for (;;) {
        output.write(`${a.name}${a.desc ? ` (${a.desc})` : ""}${a.default === null ? "" : ` [${a.default}]`}: `);
        const next = await lines.next();
        if (next.done) throw new Error(`no answer for ${a.name}: input ended`);
        const answer = String(next.value).trim();
        if (answer) answers[a.name] = answer;
        else if (a.default === null) continue; // required: ask again
        break; // optional left empty: the spec's default applies

      }
    }
  } finally {
    rl.close();
  }
  return answers;
}

/**
 * Asks for a login (unless given) and a password. On a terminal the password
 * is typed without echo: readline echoes to a stream that is muted the moment
 * the login's line arrives, so even a password typed ahead is not shown.
 * Lines are queued as they come, so one typed ahead is not lost either.
 * Without a terminal nothing is echoed and the password is the first line of
 * stdin, so a script can pipe it (`echo "$PW" | hourglass login --login me`);
 * the caller must then give the login. Ctrl-C or the end of input rejects.
 */
export async function askCredentials(o: {
  login?: string; input: NodeJS.ReadableStream; output: NodeJS.WritableStream; terminal: boolean;
}): Promise<{ login: string; password: string }> {
  let login = o.login?.trim() ?? "";
  let muted = login !== "";
  const echo = new Writable({
    write(chunk, encoding, done) {
      if (!muted) o.output.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: o.input, output: o.terminal ? echo : undefined, terminal: o.terminal });
  const queue: string[] = [];
  let ended: string | null = null;
  let wake = () => {};
  rl.on("line", (line: string) => {
    if (!muted && line.trim()) muted = true; // the login: what follows is the password
    queue.push(line);
    wake();
  });
  rl.on("SIGINT", () => {
    ended = "cancelled";
    wake();
  });
  rl.on("close", () => {
    ended ??= "input ended";
    wake();
  });
  const next = async (what: string): Promise<string> => {
    while (queue.length === 0) {
      if (ended) throw new Error(`no ${what}: ${ended}`);
      await new Promise<void>((r) => (wake = r));
    }
    return queue.shift()!;
  };
  try {
    while (!login) {
      rl.setPrompt("login: ");
      rl.prompt(); // on a terminal only: without one readline has no output
      login = (await next("login")).trim();
    }
    let password = ""; // as typed: spaces at either end are part of it
    if (!o.terminal) {
      password = await next("password");
      if (!password) throw new Error("no password: the first line of stdin is empty");
    }
    while (!password) {
      o.output.write("password: ");
      try {
        password = await next("password");
      } finally {
        o.output.write("\n");
      }
    }
    return { login, password };
  } finally {
    rl.close();
  }
}
