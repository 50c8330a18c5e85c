import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** Resolves when `check` returns truthy; polls a condition (not a sleep-then-assert). */
export async function until<T>(check: () => Promise<T> | T, what: string, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** An HTTP endpoint for the http executor that records each request and lets the test decide when to answer. */
export class RecordingServer {
  readonly calls: { job: string; attempt: number; body: string }[] = [];
  readonly inFlight = new Map<string, number>();
  overlaps = 0;
  respond: (job: string, res: ServerResponse) => void = (_job, res) => res.end("ok");
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const job = String(req.headers["x-hourglass-job"]);
        this.calls.push({ job, attempt: Number(req.headers["x-hourglass-attempt"]), body });
        const n = (this.inFlight.get(job) ?? 0) + 1;
        if (n > 1) this.overlaps++;
        this.inFlight.set(job, n);
        res.on("close", () => this.inFlight.set(job, (this.inFlight.get(job) ?? 1) - 1));
        this.respond(job, res);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  callsOf(job: string) {
    return this.calls.filter((c) => c.job === job);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const root = join(import.meta.dirname, "..", "..", "..");

/** A real `apps/worker` process. */
export class WorkerProcess {
  readonly child: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;

  constructor(
    readonly id: string,
    databaseUrl: string,
    env: Record<string, string> = {},
  ) {
    // node itself, not the tsx CLI: the CLI is a wrapper process, and killing it would leave the worker running.
    this.child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: join(root, "apps/worker"),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        HOURGLASS_WORKER_ID: id,
        HOURGLASS_POLL_INTERVAL_MS: "200",
        HOURGLASS_MAINTENANCE_INTERVAL_MS: "100",
        HOURGLASS_LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (c) => (this.output += c));
    this.child.stderr!.on("data", (c) => (this.output += c));
    this.exited = new Promise((r) => this.child.on("exit", (code) => r(code)));
  }

  ready(): Promise<unknown> {
    return until(() => this.output.includes("hourglass worker ready"), `worker ${this.id} to start (output: ${this.output})`, 30_000);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
