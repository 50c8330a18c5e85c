import { spawn, type ChildProcess } from "node:child_process";
import type { z } from "zod";
import type { shellExecutorSchema } from "./config.ts";
import { BoundedOutput, type ExecutionInput, type ExecutionResult, type OutputListener } from "./types.ts";

/**
 * Runs a program (no shell unless the command is one); exit 0 is success.
 * The job's body arrives on stdin and in HOURGLASS_JOB_BODY, with
 * HOURGLASS_JOB_DESCRIPTOR and HOURGLASS_ATTEMPT beside it, over `baseEnv`
 * (what the worker chose to pass on, e.g. PATH and HOME; never its secrets). On timeout or
 * shutdown the whole process group is killed, so `sh -c` children die too.
 * `onOutput` sees every chunk of stdout and stderr as it arrives (unbounded;
 * the result's copies are bounded), so a caller can show output live.
 *
 * The program must not outlive the worker, however the worker ends: after a
 * `kill -9` its lease lapses and the job runs again elsewhere, so a survivor
 * would run the job twice at once. A reaper (see startReaper) kills the
 * program's process group as soon as the worker is gone.
 */
export function runShell(
  config: z.infer<typeof shellExecutorSchema>,
  job: ExecutionInput,
  signal: AbortSignal,
  baseEnv: Record<string, string>,
  onOutput?: OutputListener,
): Promise<ExecutionResult> {
  return new Promise((resolve) => {
    const stdout = new BoundedOutput();
    const stderr = new BoundedOutput();
    let killedFor: string | null = null;
    const env: Record<string, string> = {
      ...baseEnv,
      ...config.env,
      HOURGLASS_JOB_DESCRIPTOR: job.jobDescriptor,
      HOURGLASS_JOB_BODY: job.body.length <= 100_000 ? job.body : "",
      HOURGLASS_ATTEMPT: String(job.attempt),
      HOURGLASS_QUEUE: job.queueName,
    };
    const child = spawn(config.command, config.args, {
      cwd: config.cwd,
      // a plain record; typed loosely because frameworks (Next) narrow ProcessEnv
      env: env as unknown as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const reaper = child.pid === undefined ? null : startReaper(child.pid);
    const kill = (why: string) => {
      if (killedFor || child.exitCode !== null) return;
      killedFor = why;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${config.timeoutMillis} ms`), config.timeoutMillis);
    const onAbort = () => kill("interrupted: worker shutting down");
    signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (c: Buffer) => (stdout.push(c), onOutput?.("stdout", c)));
    child.stderr.on("data", (c: Buffer) => (stderr.push(c), onOutput?.("stderr", c)));
    child.stdin.on("error", () => {}); // the program may exit without reading stdin
    child.stdin.end(job.body);
    const finish = (result: ExecutionResult) => {
      reaper?.kill("SIGKILL");
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve({ ...result, stdout: stdout.toString(), stderr: stderr.toString() });
    };
    child.on("error", (err) => finish({ succeeded: false, exitCode: null, error: `could not start ${config.command}: ${err.message}` }));
    child.on("close", (code, sig) => {
      if (killedFor) return finish({ succeeded: false, exitCode: code, error: killedFor });
      if (code === 0) return finish({ succeeded: true, exitCode: 0, error: null });
      finish({ succeeded: false, exitCode: code, error: sig ? `killed by ${sig}` : `exited with code ${code}` });
    });
  });
}

/**
 * A tiny `sh` that holds one end of a pipe whose other end only this worker
 * process holds, and kills process group `pgid` when the pipe reaches end of
 * file: that happens when the worker exits or is killed (even with SIGKILL,
 * the kernel closes its descriptors), within milliseconds. When the program
 * ends normally the worker kills the reaper instead. The reaper is detached
 * (its own process group), so a Ctrl-C aimed at the worker's group does not
 * take it down first. Linux's PR_SET_PDEATHSIG would cover only the direct
 * child, not `sh -c` grandchildren, and Node does not expose it.
 */
function startReaper(pgid: number): ChildProcess | null {
  try {
    const reaper = spawn("/bin/sh", ["-c", 'read _; kill -KILL -- "-$1" 2>/dev/null', "hourglass-reaper", String(pgid)], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
    reaper.on("error", () => {}); // no /bin/sh: the program still runs, unguarded
    reaper.stdin!.on("error", () => {});
    reaper.unref();
    return reaper;
  } catch {
    return null;
  }
}
