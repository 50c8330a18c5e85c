// Real `apps/worker` processes, kept at a fixed number: whichever exits (a
// kill the benchmark made, or one it did not) is replaced at once. Exits the
// benchmark did not cause are kept, with the end of the worker's output, for
// the "worker exits" column.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

/** How long a worker's SIGTERM may take (its shutdown grace is 2 s) before it counts as hung. */
const STOP_LIMIT_MS = 15_000;

export interface UnexpectedExit {
  worker: string;
  at: number;
  /** What happened: "exit code 1", "signal SIGSEGV", "SIGTERM: exit code 1", "SIGTERM: still running after 15 s …". */
  how: string;
  /** The worker's last output lines. */
  tail: string;
}

class WorkerProcess {
  readonly child: ChildProcess;
  output = "";
  ready = false;
  /** Set before the benchmark signals it: its exit is expected (SIGTERM: with code 0). */
  signalled: NodeJS.Signals | null = null;
  /** Still running STOP_LIMIT_MS after its SIGTERM. */
  hung = false;
  readonly exited: Promise<void>;

  constructor(readonly id: string, env: Record<string, string>) {
    // node itself, not the tsx CLI: the CLI is a wrapper process, and killing it would leave the worker running
    this.child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: join(root, "apps/worker"),
      env: { PATH: process.env.PATH, HOURGLASS_WORKER_ID: id, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const take = (c: Buffer) => {
      this.output = (this.output + c.toString()).slice(-20_000);
      if (!this.ready && this.output.includes("hourglass worker ready")) this.ready = true;
    };
    this.child.stdout!.on("data", take);
    this.child.stderr!.on("data", take);
    this.exited = new Promise((r) => this.child.once("exit", () => r()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 15): string {
    return this.output.trimEnd().split("\n").slice(-lines).join("\n");
  }
}

/** What was wrong with a worker's exit, or null: an exit nobody asked for, or a SIGTERM that did not end in exit 0. */
function exitProblem(w: WorkerProcess): string | null {
  const code = w.child.exitCode;
  const how = code !== null ? `exit code ${code}` : `signal ${w.child.signalCode}`;
  if (w.signalled === null) return how;
  if (w.hung) return `SIGTERM: still running after ${STOP_LIMIT_MS / 1000} s (then killed)`;
  if (w.signalled !== "SIGTERM" || code === 0) return null;
  // signalled before Node ran any JavaScript, when no handler can exist: SIGTERM's default action ends it, cleanly
  if (w.child.signalCode === "SIGTERM" && w.output === "") return null;
  return `SIGTERM: ${how}`;
}

/** A note on an unexpected exit, with the worker's last lines. */
export function describeExit(x: UnexpectedExit): string {
  return `worker ${x.worker} ${x.how} at ${new Date(x.at).toISOString()}:\n${x.tail.replace(/^/gm, "      ")}`;
}

export class Fleet {
  private readonly workers: WorkerProcess[] = [];
  readonly unexpected: UnexpectedExit[] = [];
  /** Kills the benchmark made. */
  readonly kills: { at: number; worker: string; signal: NodeJS.Signals }[] = [];
  private serial = 0;
  private closing = false;

  /**
   * @param name prefix of the workers' ids (HOURGLASS_WORKER_ID), numbered as they start
   * @param env the workers' environment besides PATH and HOURGLASS_WORKER_ID
   */
  constructor(private readonly name: string, private readonly size: number, private readonly env: Record<string, string>) {}

  /** Starts the workers and waits until every one says it is ready. */
  async start(timeoutMs = 120_000): Promise<void> {
    for (let i = 0; i < this.size; i++) this.spawn();
    const deadline = Date.now() + timeoutMs;
    while (this.live().some((w) => !w.ready)) {
      if (Date.now() > deadline) {
        throw new Error(`workers not ready after ${timeoutMs} ms:\n${this.live().map((w) => `${w.id}: ${w.tail()}`).join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private spawn(): void {
    const w = new WorkerProcess(`${this.name}-w${++this.serial}`, this.env);
    this.workers.push(w);
    void w.exited.then(() => {
      const problem = exitProblem(w);
      if (problem) this.unexpected.push({ worker: w.id, at: Date.now(), how: problem, tail: w.tail() });
      if (!this.closing && w.signalled !== "SIGTERM") this.spawn(); // a SIGTERM's replacement started with the signal
    });
  }

  /** Workers that have not exited (ready or starting). */
  private live(): WorkerProcess[] {
    return this.workers.filter((w) => w.running && w.signalled === null);
  }

  /** Ready workers the benchmark has not signalled. */
  readyCount(): number {
    return this.live().filter((w) => w.ready).length;
  }

  /**
   * Signals one ready worker chosen at random and starts its replacement at
   * once (SIGKILL: on its exit, which is immediate). With `keepReady`, only
   * kills when more than that many workers are ready, so that many stay up.
   */
  kill(signal: "SIGKILL" | "SIGTERM", keepReady = 0): string | null {
    const ready = this.live().filter((w) => w.ready);
    if (ready.length <= keepReady) return null;
    const w = ready[Math.floor(Math.random() * ready.length)]!;
    w.signalled = signal;
    this.kills.push({ at: Date.now(), worker: w.id, signal });
    w.child.kill(signal);
    if (signal === "SIGTERM") {
      this.spawn();
      this.watchStop(w);
    }
    return w.id;
  }

  /** A worker told to stop must stop: one still running long after its grace period is killed, and counted. */
  private watchStop(w: WorkerProcess): void {
    const timer = setTimeout(() => {
      if (!w.running) return;
      w.hung = true;
      w.child.kill("SIGKILL");
    }, STOP_LIMIT_MS);
    void w.exited.then(() => clearTimeout(timer));
  }

  /** Stops every worker (SIGTERM, then SIGKILL after the limit); these exits are the benchmark's. */
  async stop(): Promise<void> {
    this.closing = true;
    const running = this.workers.filter((w) => w.running);
    for (const w of running) {
      w.signalled ??= "SIGTERM";
      w.child.kill("SIGTERM");
      this.watchStop(w);
    }
    await Promise.all(running.map((w) => w.exited));
  }
}
