// The counter server, seen from the benchmark: every execution the drain
// queue's http executor made, by job, with its times, and every moment a job
// ran twice at once. The server itself runs in a child process
// (counter-server.ts says why).
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/** One call of the http executor, as the counter server saw it. */
export interface Execution {
  /** The job descriptor (x-hourglass-job). */
  job: string;
  /** x-hourglass-attempt: the claim count of the claim that ran it. */
  attempt: number;
  /** Epoch ms the request arrived and its connection closed. */
  start: number;
  end: number;
  /** False when the caller went away before the answer: its worker died in flight. */
  answered: boolean;
}

export type CounterMessage =
  | { type: "ready"; url: string }
  | { type: "executions"; list: Execution[] }
  | { type: "overlap"; job: string; at: number }
  | { type: "flushed" };

export class CounterServer {
  readonly executions: Execution[] = [];
  /** Jobs seen running twice at once, and when. */
  readonly overlaps: { job: string; at: number }[] = [];
  /** Jobs with at least one answered execution. */
  readonly answered = new Set<string>();
  url = "";
  private child!: ChildProcess;
  private onFlushed: (() => void) | null = null;
  private stopping = false;

  async start(delayMs: number): Promise<void> {
    this.child = fork(join(import.meta.dirname, "counter-server.ts"), [String(delayMs)], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => {
      this.child.once("exit", (code) => {
        if (!this.stopping) console.error(`counter server exited unexpectedly (${code}); executions are no longer recorded`);
        reject(new Error(`counter server exited (${code})`));
      });
      this.child.on("message", (m: CounterMessage) => {
        if (m.type === "ready") {
          this.url = m.url;
          resolve();
        } else if (m.type === "executions") {
          for (const e of m.list) {
            this.executions.push(e);
            if (e.answered) this.answered.add(e.job);
          }
        } else if (m.type === "overlap") {
          this.overlaps.push({ job: m.job, at: m.at });
        } else if (m.type === "flushed") {
          this.onFlushed?.();
        }
      });
    });
  }

  /** Resolves once every execution that ended before the call has been received. */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.onFlushed = resolve;
      this.child.send({ type: "flush" });
    });
  }

  /** Forgets what the previous scenario recorded (the server keeps running). */
  reset(): void {
    this.executions.length = 0;
    this.overlaps.length = 0;
    this.answered.clear();
  }

  /** The first execution that began at or after `t` (epoch ms), if any yet. */
  firstStartAfter(t: number): number | null {
    let first: number | null = null;
    for (let i = this.executions.length - 1; i >= 0; i--) {
      const s = this.executions[i]!.start;
      if (s >= t && (first === null || s < first)) first = s;
      if (this.executions[i]!.end < t - 60_000) break; // reported in end order: far enough back
    }
    return first;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.stopping = true;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.send({ type: "stop" });
    await exited;
  }
}
