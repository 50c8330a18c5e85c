import { spawn } from "node:child_process";
import { constants } from "node:os";
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
 * would run the job twice at once. A guard (see GUARD) kills the program's
 * process group as soon as the worker is gone.
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
    // the program runs under GUARD (see there): it dies with this worker, however the worker ends
    const child = spawn("/bin/sh", ["-c", GUARD, "hourglass-task", config.command, ...config.args], {
      cwd: config.cwd,
      // a plain record; typed loosely because frameworks (Next) narrow ProcessEnv
      env: env as unknown as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
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
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve({ ...result, stdout: stdout.toString(), stderr: stderr.toString() });
    };
    (child.stdio[3] as NodeJS.WritableStream).on("error", () => {});
    child.on("error", (err) => finish({ succeeded: false, exitCode: null, error: `could not start ${config.command}: ${err.message}` }));
    child.on("close", (code, sig) => {
      if (killedFor) return finish({ succeeded: false, exitCode: code, error: killedFor });
      if (code === 0) return finish({ succeeded: true, exitCode: 0, error: null });
      finish({ succeeded: false, exitCode: code, error: sig ? `killed by ${sig}` : exitError(config.command, code, stderr.toString()) });
    });
  });
}

/**
 * The program's guard, run by `sh` as the leader of the job's process group
 * ($1... is the program and its arguments). A background watcher blocks
 * reading fd 3, one end of a socket pair whose other end only this worker
 * holds; the kernel closes it when the worker exits or is killed (even with
 * SIGKILL), the read returns, and the watcher kills the whole group at once.
 * The watcher is in place before the program starts, so there is no moment
 * when the program runs unguarded. When the program ends the guard stops the
 * watcher and exits with the program's status. (Linux's PR_SET_PDEATHSIG
 * would cover only a direct child, not `sh -c` grandchildren, and Node does
 * not expose it.)
 */
const GUARD = `{ read _ <&3; kill -KILL 0; } &
watcher=$!
"$@" 3<&-
status=$?
kill "$watcher" 2>/dev/null
exit "$status"`;

/** A non-zero exit in words: the guard's shell reports a missing program as 127 and a signal as 128 + its number. */
function exitError(command: string, code: number | null, stderr: string): string {
  if (code === 127 && /not found/.test(stderr)) return `could not start ${command}: not found`;
  if (code === 126) return `could not start ${command}: not executable`;
  const signal = code !== null && code > 128 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}
