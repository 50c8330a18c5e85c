import type { Caller } from "./context.ts";
import type { Engine } from "./engine.ts";
import { isHourglassError } from "./errors.ts";

const DEMO: Caller = { id: "demo" };
const MINUTE = 60_000;

/** The scheduler's demo project (config/projects/demo.yaml); the demo users hold its predefined roles. */
const DEMO_PROJECT = "demo";

/** The demo's sign-ins, one per predefined project role; `npm start` prints them when it loads the demo. */
export const DEMO_USERS = (
  [
    { login: "alice", displayName: "Alice", role: "owner" },
    { login: "bob", displayName: "Bob", role: "reader" },
    { login: "carol", displayName: "Carol", role: "triggerer" },
  ] as const
).map((u) => ({ ...u, password: `${u.login}-demo-password`, scopes: [`assume:project:${DEMO_PROJECT}:${u.role}`] }));

/** The demo's service accounts (they authenticate with API tokens, made in Access). */
export const DEMO_SERVICE_ACCOUNTS = [
  { name: "ci", displayName: "CI", scopes: [`assume:project:${DEMO_PROJECT}:triggerer`] },
];

/**
 * Loads the demo data `npm start` shows on a fresh database: queues of every
 * kind with jobs in every state, and the users and service accounts above
 * (DEMO_USERS, DEMO_SERVICE_ACCOUNTS). Returns false (and does nothing) when any
 * queue already exists, so a second start reuses the data as it is.
 */
export async function loadDemoData(engine: Engine): Promise<boolean> {
  if ((await engine.queues.getQueueNames()).length > 0) return false;
  const now = engine.ctx.clock.now().getTime();
  const q = engine.queues;
  const jobs = engine.jobs;

  // every queue is in the demo project, so the demo users see them through its roles
  // Consumed by external programs through dequeueJobs / ackDequeuedJobs.
  await q.createQueue(DEMO, { project: DEMO_PROJECT, name: "email_send", claimTimeoutMillis: 10 * MINUTE });
  const emails = Array.from({ length: 40 }, (_, i) => ({
    body: JSON.stringify({ to: `user${i}@example.com`, template: i % 4 === 0 ? "receipt" : "welcome" }),
    priority: (i % 3) + 1,
    numAttemptsAllowed: 2,
    customStatus: "",
    runAfterTimestampMillis: i < 6 ? now + (i + 1) * 15 * MINUTE : now - (40 - i) * MINUTE,
  }));
  await jobs.enqueueJobs(DEMO, { queueName: "email_send", jobs: emails });
  const first = await jobs.dequeueJobs({ id: "mailer-1" }, { queueName: "email_send", limit: 16, dryRun: false });
  const claimed = Object.keys(first.jobs);
  await jobs.ackDequeuedJobs({ id: "mailer-1" }, {
    queueName: "email_send",
    jobsSucceeded: claimed.slice(0, 8).map((jobDescriptor) => ({ jobDescriptor, appendCustomStatus: "delivered", retryDelayMillis: 0 })),
    jobsFailed: claimed.slice(8, 12).map((jobDescriptor) => ({ jobDescriptor, appendCustomStatus: "mailbox full; ", retryDelayMillis: 0 })),
  });
  // fail those four again: with 2 attempts allowed they end FAILED; the rest of the claims stay IN_PROGRESS
  const again = await jobs.dequeueJobs({ id: "mailer-2" }, { queueName: "email_send", limit: 4, dryRun: false });
  await jobs.ackDequeuedJobs({ id: "mailer-2" }, {
    queueName: "email_send", jobsSucceeded: [],
    jobsFailed: Object.keys(again.jobs).map((jobDescriptor) => ({ jobDescriptor, appendCustomStatus: "bounced", retryDelayMillis: 0 })),
  });

  // Run by the worker: a shell command that takes a moment and prints what it did.
  await q.createQueue(DEMO, {
    project: DEMO_PROJECT, name: "thumbnails", claimTimeoutMillis: MINUTE,
    executor: { kind: "shell", command: "sh", args: ["-c", 'echo "resizing $HOURGLASS_JOB_BODY"; sleep 2; echo "wrote 3 sizes"'], env: {}, timeoutMillis: 30_000, retryDelayMillis: 1000 },
  });
  await jobs.enqueueJobs(DEMO, {
    queueName: "thumbnails",
    jobs: Array.from({ length: 12 }, (_, i) => ({ body: `photos/${1000 + i}.jpg`, priority: 2, numAttemptsAllowed: 3, customStatus: "", runAfterTimestampMillis: now + i * 20_000 })),
  });

  // Run by the worker and failing: shows retries, FAILED and captured stderr.
  await q.createQueue(DEMO, {
    project: DEMO_PROJECT, name: "nightly_reports",
    executor: { kind: "shell", command: "sh", args: ["-c", 'echo "building report $HOURGLASS_JOB_BODY (attempt $HOURGLASS_ATTEMPT)"; echo "error: warehouse connection refused" >&2; exit 2'], env: {}, timeoutMillis: 30_000, retryDelayMillis: 5000 },
  });
  await jobs.enqueueJobs(DEMO, { queueName: "nightly_reports", jobs: [{ body: "sales-2026-11", priority: 1, numAttemptsAllowed: 2, customStatus: "" }] });

  await q.createQueue(DEMO, { project: DEMO_PROJECT, name: "audit_log", executor: { kind: "noop", retryDelayMillis: 0 } });
  await jobs.enqueueJobs(DEMO, { queueName: "audit_log", jobs: Array.from({ length: 25 }, (_, i) => ({ body: `event ${i}`, priority: 3, numAttemptsAllowed: 1, customStatus: "" })) });

  // Paused: jobs wait until an operator resumes it.
  await q.createQueue(DEMO, { project: DEMO_PROJECT, name: "billing_sync", dequeueRateLimit: 5, executor: { kind: "noop", retryDelayMillis: 0 } });
  await q.pauseQueue({ id: "ops@example.com" }, "billing_sync");
  await jobs.enqueueJobs(DEMO, { queueName: "billing_sync", jobs: Array.from({ length: 5 }, (_, i) => ({ body: `invoice ${i}`, priority: 1, numAttemptsAllowed: 2, customStatus: "" })) });

  await loadDemoPrincipals(engine);
  return true;
}

/** The demo users and service accounts; one that already exists is left as it is. */
async function loadDemoPrincipals(engine: Engine): Promise<void> {
  const by = "system:demo";
  const accounts = [
    ...DEMO_USERS.map((u) => ({ kind: "user" as const, name: u.login, displayName: u.displayName, password: u.password, scopes: u.scopes })),
    ...DEMO_SERVICE_ACCOUNTS.map((s) => ({ kind: "service" as const, ...s })),
  ];
  for (const account of accounts) {
    try {
      await engine.access.principals.create({ ...account, by });
    } catch (err) {
      if (!(isHourglassError(err) && err.code === "CONFLICT")) throw err;
    }
  }
}
