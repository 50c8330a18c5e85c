import { createInterface } from "node:readline/promises";

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
