import { createHourglassClient, type HourglassClient, type RouterInputs, type RouterOutputs } from "@hourglass/client";

export interface ReleaseOptions {
  /** The scheduler job told of the release ("<project>/<job>", a triggered job). */
  job: string;
  /** The request type started for it (a spec's `request: true` sequence) and its args. */
  requestType: string;
  args: NonNullable<RouterInputs["requests"]["create"]["args"]>;
  /** How long to follow both before giving up. */
  timeoutMs: number;
}

type Invocation = RouterOutputs["scheduler"]["getInvocations"]["invocations"][number];
type Request = RouterOutputs["requests"]["get"];

export interface ReleaseOutcome {
  release: string;
  trigger: { id: string; accepted: number; ignored: number };
  invocation: Pick<Invocation, "id" | "state"> | null;
  request: Pick<Request, "id" | "state">;
}

const FINAL_INVOCATION = ["SUCCEEDED", "FAILED", "ABORTED"];
const FINAL_REQUEST = ["COMPLETE", "FAIL", "STOPPED"];

/**
 * Announces release `release`: one trigger (id `release:<release>`, so a
 * retried announcement is ignored, not run twice) to the scheduler job, and
 * one request of the type, started at once. Then follows the invocation that
 * consumed the trigger and the request until both have ended.
 */
export async function announceRelease(hg: HourglassClient, release: string, o: ReleaseOptions): Promise<ReleaseOutcome> {
  const triggerId = `release:${release}`;
  const emitted = await hg.scheduler.emitTriggers.mutate({
    batches: [{ trigger: { id: triggerId, title: `release ${release}`, properties: { release } }, jobs: [o.job] }],
  });
  const created = await hg.requests.create.mutate({ type: o.requestType, args: o.args, start: true });

  const deadline = Date.now() + o.timeoutMs;
  let invocation: Invocation | null = null;
  let request: Request = await hg.requests.get.query({ id: created.id });
  for (;;) {
    invocation ??= await invocationOf(hg, o.job, triggerId);
    if (invocation && !FINAL_INVOCATION.includes(invocation.state)) {
      invocation = await hg.scheduler.getInvocation.query({ job: o.job, invocationId: invocation.id });
    }
    request = await hg.requests.get.query({ id: created.id });
    const done = FINAL_REQUEST.includes(request.state) && invocation !== null && FINAL_INVOCATION.includes(invocation.state);
    if (done || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    release,
    trigger: { id: triggerId, ...emitted },
    invocation: invocation && { id: invocation.id, state: invocation.state },
    request: { id: request.id, state: request.state },
  };
}

/** The job's recent invocation that consumed trigger `id`, if one has started. */
async function invocationOf(hg: HourglassClient, job: string, id: string): Promise<Invocation | null> {
  const { invocations } = await hg.scheduler.getInvocations.query({ job, pageSize: 10 });
  for (const summary of invocations) {
    const full = await hg.scheduler.getInvocation.query({ job, invocationId: summary.id });
    if ((full.incomingTriggers as { id: string }[]).some((t) => t.id === id)) return full;
  }
  return null;
}

export { createHourglassClient };
