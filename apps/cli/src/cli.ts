import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lintSpecs, readSpecDirectory, type SpecFile } from "@hourglass/engine/chains";
import { lintProjects, type ProjectLint } from "@hourglass/engine/scheduler-lint";
import { isFinalRequestState } from "@hourglass/engine/states";
import { Command, CommanderError, Option } from "commander";
import { createApi, describeError, type Api } from "./client.ts";
import { ConfigError, resolveSettings, type CliSettings } from "./config.ts";
import { CliFailure } from "./failure.ts";
import { formatInfo, formatLog, formatRequests, formatRunning, formatSpecs, formatStatus, setDisplayZone } from "./format.ts";
import { addIdentityCommands } from "./identity.ts";
import { processIo, type CliIo } from "./io.ts";
import { promptArgs, type ArgToAsk } from "./prompt.ts";

export type { CliIo } from "./io.ts";

export const CLI_VERSION = "0.4.0";

/** Runs `hourglass <argv>`; resolves to the exit code. */
export async function main(argv: string[], partial: Partial<CliIo> = {}): Promise<number> {
  const io = { ...processIo(), ...partial };
  const out = (s: string) => io.stdout.write(s);
  let exitCode = 0;
  let settings: CliSettings | undefined;

  const program = new Command("hourglass")
    .description("Start, watch and control Hourglass requests (job chains) from the command line.")
    .addOption(new Option("--addr <url>", "Hourglass web address (env HOURGLASS_ADDR; config file `addr`)"))
    .addOption(new Option("--config <file>", "read this config file instead of /etc/hourglass/cli.yaml and ~/.hourglass.yaml (env HOURGLASS_CONFIG)"))
    .addOption(new Option("--timeout <ms>", "per-call timeout in milliseconds (env HOURGLASS_TIMEOUT_MS; default 10000)"))
    .addOption(new Option("--token <token>", "API token (hg_…) to call with (env HOURGLASS_TOKEN, or `token:` in the config file)"))
    .addOption(new Option("--time-zone <zone>", "print times in this IANA zone, e.g. UTC or Europe/Berlin (env HOURGLASS_TIME_ZONE; default: TZ)"))
    .option("--json", "print the API's JSON instead of text (for scripts)")
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run `hourglass --help` for the commands)");

  const json = () => Boolean(program.opts().json);
  program.hook("preAction", () => {
    const zone: string | undefined = program.opts().timeZone ?? (io.env.HOURGLASS_TIME_ZONE || undefined);
    try {
      setDisplayZone(zone);
    } catch {
      throw new CliFailure(`--time-zone "${zone}" is not a time zone (e.g. UTC, Europe/Berlin)`);
    }
  });
  const flags = () => {
    const o = program.opts();
    return { addr: o.addr, config: o.config, timeout: o.timeout, token: o.token };
  };
  const notes = new Set<string>();
  const note = (message: string) => {
    if (notes.has(message)) return; // once per run
    notes.add(message);
    io.stderr.write(`hourglass: ${message}\n`);
  };
  /** `login` writes the config file, so it may be missing, and its mode is fixed rather than warned about. */
  const resolved = (o: { login?: boolean } = {}): CliSettings => {
    settings ??= resolveSettings({
      flags: flags(), env: io.env, home: io.home, readFile: io.readFile, namedMayBeMissing: o.login,
      ...(!o.login && { fileMode: io.fileMode, warn: (m: string) => note(`warning: ${m}`) }),
    });
    return settings;
  };
  const api = (): Api => createApi(resolved());
  const print = (value: unknown, text: () => string): void => void out(json() ? `${JSON.stringify(value, null, 2)}\n` : text());

  program.command("start")
    .description("create and start a request; missing required args are asked for on a terminal")
    .argument("<type>", "request type (see `hourglass specs`)")
    .argument("[args...]", "args as name=value")
    .option("--wait", "wait until the request ends; exit 0 only if it COMPLETEs")
    .action(async (type: string, rawArgs: string[], opts: { wait?: boolean }) => {
      const client = api();
      const specs = await client.requests.specs.query();
      const spec = specs.requests.find((r) => r.name === type);
      if (!spec) throw new CliFailure(`no request type "${type}"; request types: ${specs.requests.map((r) => r.name).join(", ") || "(none)"}`);
      const args = parseAssignments(rawArgs, "arg");
      const known = new Set(spec.args.map((a) => a.name));
      const unknown = Object.keys(args).filter((a) => !known.has(a));
      if (unknown.length) throw new CliFailure(`${type} has no arg ${unknown.join(", ")}; its args: ${[...known].join(", ") || "(none)"}`);
      const missing = spec.args.filter((a) => a.kind === "required" && args[a.name] === undefined);
      if (missing.length) {
        if (!io.interactive) throw new CliFailure(`missing required arg(s): ${missing.map((a) => (a.desc ? `${a.name} (${a.desc})` : a.name)).join(", ")}; give them as name=value`);
        const ask: ArgToAsk[] = spec.args.filter((a) => args[a.name] === undefined).map((a) => ({ name: a.name, desc: a.desc, default: a.kind === "required" ? null : a.default ?? "" }));
        Object.assign(args, await promptArgs(ask, io.stdin, io.stdout));
      }
      let request = await client.requests.create.mutate({ type, args, start: true });
      if (!opts.wait) {
        print(request, () => `OK, started ${type} request ${request.id}\n\n  hourglass status ${request.id}\n`);
        return;
      }
      if (!json()) out(`started ${type} request ${request.id}; waiting for it to end\n`);
      while (!isFinalRequestState(request.state)) {
        await io.sleep(1000);
        request = await client.requests.get.query({ id: request.id });
      }
      print(request, () => `${request.id} ${request.state} (${request.finishedJobs}/${request.totalJobs} jobs)\n`);
      if (request.state !== "COMPLETE") exitCode = 1;
    });

  program.command("status").description("state, progress and running jobs of a request").argument("<id>", "request id")
    .action(async (id: string) => {
      const s = await api().requests.status.query({ id });
      print(s, () => formatStatus(s, io.now()));
    });

  program.command("info").description("everything about a request: args, times, its jobs").argument("<id>", "request id")
    .action(async (id: string) => {
      const client = api();
      const [request, chain] = await Promise.all([client.requests.get.query({ id }), client.requests.jobChain.query({ id })]);
      print({ ...request, jobChain: chain }, () => formatInfo(request, chain));
    });

  program.command("log").description("the job log: every try of every job, or of one job").argument("<id>", "request id").argument("[jobId]", "one job (e.g. j3)")
    .action(async (id: string, jobId: string | undefined) => {
      const entries = await api().requests.log.query({ requestId: id, jobId });
      print(entries, () => formatLog(entries));
    });

  program.command("ps").description("jobs running now, of every request or one").argument("[id]", "request id")
    .action(async (id: string | undefined) => {
      const r = await api().requests.running.query({ requestId: id });
      print(r, () => formatRunning(r.jobs, io.now()));
    });

  program.command("find").description("find requests (newest first); name=value positionals match args")
    .argument("[args...]", "arg filters as name=value")
    .option("--type <type>", "request type")
    .option("--state <states>", "comma-separated states (PENDING, RUNNING, COMPLETE, FAIL, STOPPED, SUSPENDED)")
    .option("--user <user>", "who created them")
    .option("--since <when>", "running at any point after this: a date / time, or an age like 30m, 6h, 2d")
    .option("--until <when>", "running at any point before this (same forms)")
    .option("--limit <n>", "at most this many (default 50)")
    .option("--offset <n>", "skip this many")
    .action(async (rawArgs: string[], o: { type?: string; state?: string; user?: string; since?: string; until?: string; limit?: string; offset?: string }) => {
      const now = io.now();
      const r = await api().requests.find.query({
        type: o.type, user: o.user, args: parseAssignments(rawArgs, "arg filter"),
        states: o.state ? (o.state.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean) as never) : [],
        since: o.since === undefined ? undefined : parseWhen(o.since, now, "--since"),
        until: o.until === undefined ? undefined : parseWhen(o.until, now, "--until"),
        limit: o.limit === undefined ? undefined : parseCount(o.limit, "--limit"),
        offset: o.offset === undefined ? undefined : parseCount(o.offset, "--offset"),
      });
      print(r, () => formatRequests(r.requests, r.more));
    });

  for (const [verb, what] of [["stop", "stop a request: running jobs are killed"], ["suspend", "suspend a running request (resume continues it)"], ["resume", "resume a suspended request"]] as const) {
    program.command(verb).description(what).argument("<id>", "request id").action(async (id: string) => {
      const r = await api().requests[verb].mutate({ id });
      print(r, () => `OK, request ${r.id} is ${r.state}\n`);
    });
  }

  program.command("running").description("exit 0 if the request is pending, running or suspended, else 1 (for `while hourglass running ID; do …`)")
    .argument("<id>", "request id")
    .action(async (id: string) => {
      const r = await api().requests.get.query({ id });
      // spinc's rule: "running" while not done (pending, running or suspended)
      const running = !isFinalRequestState(r.state);
      if (json()) print({ id: r.id, state: r.state, running }, () => "");
      exitCode = running ? 0 : 1;
    });

  program.command("specs").description("request types and their args").argument("[type]", "one request type")
    .action(async (type: string | undefined) => {
      const specs = await api().requests.specs.query();
      if (type && !specs.requests.some((r) => r.name === type)) throw new CliFailure(`no request type "${type}"`);
      print(type ? specs.requests.find((r) => r.name === type) : specs, () => formatSpecs(specs, type));
    });

  program.command("lint").description("check request spec files (offline), as workers do when they load them")
    .argument("[dir]", "spec directory", "config/specs")
    .option("--types <names>", "comma-separated handler job types your workers register (noop, shell, http are built in)")
    .action((dir: string, o: { types?: string }) => {
      const result = lintDirectory(dir, o.types ? o.types.split(",").map((t) => t.trim()).filter(Boolean) : []);
      print(result, () => result.errors.length
        ? result.errors.map((e) => `${join(dir, e.file)}:${e.line}: ${e.message}\n`).join("") + `${result.errors.length} problem(s)\n`
        : `${result.files} file(s), ${result.requestTypes.length} request type(s) (${result.requestTypes.join(", ")}): no problems\n`);
      if (result.errors.length) exitCode = 1;
    });

  program.command("lint-projects").description("check scheduler project files (offline) as workers load them, and preview each cron job's next runs")
    .argument("[dir]", "projects directory", "config/projects")
    .option("--runs <n>", "next runs to show per cron job (0 to 100)", "10")
    .option("--job <key>", "only this job (<project>/<job>)")
    .action((dir: string, o: { runs: string; job?: string }) => {
      const runs = parseCount(o.runs, "--runs");
      if (runs > 100) throw new CliFailure("--runs is at most 100");
      const result = lintProjectDirectory(dir, io.now(), runs);
      const jobs = o.job ? result.jobs.filter((j) => j.job === o.job) : result.jobs;
      if (o.job && jobs.length === 0 && result.errors.length === 0) throw new CliFailure(`no job ${o.job} in ${dir}`);
      print({ ...result, jobs }, () => formatProjectLint(dir, { ...result, jobs }));
      if (result.errors.length) exitCode = 1;
    });

  program.command("version").description("this CLI's version and the server's")
    .action(async () => {
      const server = await api().requests.version.query();
      print({ cli: CLI_VERSION, server }, () => `hourglass CLI ${CLI_VERSION}\nserver ${server.version} (${server.api}) at ${settings!.addr}\n`);
    });

  addIdentityCommands(program, { io, version: CLI_VERSION, flags, settings: resolved, api, print, note });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.code === "commander.helpDisplayed" || err.code === "commander.help" || err.code === "commander.version" ? 0 : 2;
    const message = err instanceof ConfigError || err instanceof CliFailure ? err.message : describeError(err, settings?.addr ?? "?");
    io.stderr.write(`hourglass: ${message}\n`);
    return err instanceof CliFailure ? err.exitCode : 1;
  }
}

/** `name=value` words into an object; the value may contain '='. */
export function parseAssignments(words: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq <= 0) throw new CliFailure(`${what} "${w}" is not name=value`);
    out[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return out;
}

/** A time for --since / --until: an age (`90s`, `30m`, `6h`, `2d`) before now, or anything Date parses. */
export function parseWhen(text: string, now: number, flag: string): number {
  const age = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (age) return now - Number(age[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as "s" | "m" | "h" | "d"];
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new CliFailure(`${flag} "${text}" is neither a date / time nor an age like 30m`);
  return at;
}

function parseCount(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new CliFailure(`${flag} must be a whole number`);
  return Number(text);
}

/** Parses and lints every *.yaml file of `dir`, as a worker would load them. */
export function lintDirectory(dir: string, handlerTypes: string[]) {
  let read: ReturnType<typeof readSpecDirectory>;
  try {
    read = readSpecDirectory(dir);
  } catch (err) {
    throw new CliFailure(`cannot read spec directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const files: SpecFile[] = [];
  const errors = [];
  for (const { parsed } of read) {
    if (parsed.ok) files.push(parsed.spec);
    else errors.push(...parsed.errors);
  }
  const lint = lintSpecs(files, handlerTypes);
  const requestTypes = [...lint.sequences.values()].filter((s) => s.request && lint.valid.has(s.name)).map((s) => s.name).sort();
  return { files: read.length, requestTypes, errors: [...errors, ...lint.errors] };
}

/** Lints every project file (*.yaml) of `dir`, as a worker would load them, with each cron job's next runs after `now`. */
export function lintProjectDirectory(dir: string, now: number, runs: number): ProjectLint {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (err) {
    throw new CliFailure(`cannot read projects directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return lintProjects(names.map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") })), now, runs);
}

function formatProjectLint(dir: string, r: ProjectLint): string {
  if (r.errors.length) return r.errors.map((e) => `${join(dir, e.file)}:${e.line}: ${e.message}\n`).join("") + `${r.errors.length} problem(s)\n`;
  const lines = [`${r.files} file(s), ${r.jobs.length} job(s): no problems`];
  for (const j of r.jobs) {
    lines.push(`${j.job}: ${j.scheduleInWords}${j.timezone ? ` (${j.schedule})` : ""}`);
    if (j.runs.length) lines.push(`  next ${j.runs.length} run(s) in ${j.timezone}:`, ...j.runs.map((x) => `    ${x.text}`));
  }
  return `${lines.join("\n")}\n`;
}
