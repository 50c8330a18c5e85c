// One command: sets up (the app's table, the queue bound to the handler),
// starts the email worker, signs each address on the command line up, waits
// until every welcome email is sent, and stops. `--fail` makes each sign-up's
// transaction fail after both writes: nothing is left of it.
//
//   DATABASE_URL=… HOURGLASS_URL=… HOURGLASS_TOKEN=hg_… SMTP_URL=smtp://127.0.0.1:2525 \
//     pnpm --filter @hourglass/example-signup-email start -- ada@example.com
import { createHourglassClient } from "@hourglass/client";
import pg from "pg";
import { createTable, QUEUE, signUp } from "./signup.ts";
import { emailWorker, HANDLER } from "./worker.ts";

const env = (name: string, fallback?: string) => {
  const v = process.env[name] ?? fallback;
  if (!v) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return v;
};
const args = process.argv.slice(2).filter((a) => a !== "--");
const fail = args.includes("--fail");
const emails = args.filter((a) => !a.startsWith("--"));
if (emails.length === 0) {
  console.error("usage: start [--fail] <email>…");
  process.exit(2);
}

const pool = new pg.Pool({ connectionString: env("DATABASE_URL") });
const hg = createHourglassClient({ url: env("HOURGLASS_URL", "http://127.0.0.1:3000"), token: env("HOURGLASS_TOKEN") });
await createTable(pool);
await hg.queues.createQueue.mutate({ name: QUEUE, executor: { kind: "handler", name: HANDLER, retryDelayMillis: 5000 } });

const worker = emailWorker(env("DATABASE_URL"), env("SMTP_URL"), env("MAIL_FROM", "welcome@example.com"));
await worker.start();
const jobs: string[] = [];
for (const email of emails) {
  try {
    jobs.push(await signUp(pool, email, fail ? async () => { throw new Error("payment check failed"); } : undefined));
    console.log(`signed up ${email}`);
  } catch (err) {
    console.log(`rolled back ${email}: ${(err as Error).message}`);
  }
}
// each job is SUCCEEDED once its email is sent
for (;;) {
  const info = jobs.length === 0 ? {} : await hg.queues.lookupJobs.query({ jobDescriptors: jobs });
  if (jobs.every((d) => info[d]?.jobState === "SUCCEEDED")) break;
  await new Promise((r) => setTimeout(r, 100));
}
console.log(JSON.stringify({ sent: jobs }));
await worker.stop();
await pool.end();
