// A program of a user of the packed @hourglass/client, outside the workspace:
// type-checked with tsc against the installed package (skipLibCheck off),
// then run against a test server. It calls one procedure of each router and
// prints what it saw as JSON.
import {
  createHourglassClient,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  type HourglassErrorCode,
  type RouterOutputs,
} from "@hourglass/client";

const [url, token] = process.argv.slice(2) as [string, string];
const hg = createHourglassClient({ url, token });

const created = await hg.queues.createQueue.mutate({ name: "packed" });
const { jobDescriptors } = await hg.queues.enqueueJobs.mutate({ queueName: "packed", jobs: [{ body: "hi", priority: 2 }] });
const count: RouterOutputs["queues"]["getJobCount"] = await hg.queues.getJobCount.query({ queueName: "packed", jobState: "PENDING" });
const jobs = await hg.scheduler.getJobs.query({});
const specs = await hg.requests.specs.query();
const me = await hg.access.whoami.query();

let notFound: HourglassErrorCode | "" = "";
try {
  await hg.queues.getQueue.query({ name: "missing" });
} catch (err) {
  if (err instanceof NotFoundError) notFound = err.code;
}
let invalid: string[] = [];
try {
  await hg.queues.enqueueJobs.mutate({ queueName: "packed", jobs: [{ body: "x", priority: 9 }] });
} catch (err) {
  if (err instanceof ValidationError) invalid = [err.code, ...err.issues.map((i) => i.path)];
}
let anonymous = "";
try {
  await createHourglassClient({ url }).queues.getQueueNames.query();
} catch (err) {
  if (err instanceof UnauthenticatedError) anonymous = `${err.kind} ${err.httpStatus}`;
}

/** Never called: what the compiler must refuse. */
export function refusedByTheCompiler() {
  // @ts-expect-error a body is a string
  void hg.queues.enqueueJobs.mutate({ queueName: "q", jobs: [{ body: 1 }] });
  // @ts-expect-error no such procedure
  void hg.queues.noSuchProcedure.query();
  // @ts-expect-error not an error code of the API
  const code: HourglassErrorCode = "NO_SUCH_CODE";
  return code;
}

console.log(JSON.stringify({
  created: created.created,
  jobDescriptors,
  pending: count.count,
  schedulerJobs: jobs.jobs.length,
  requestTypes: specs.requests.length,
  me: me.id,
  notFound,
  invalid,
  anonymous,
}));
