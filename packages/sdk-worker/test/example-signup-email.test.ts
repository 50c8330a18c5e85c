// examples/signup-email, run as its README says (one command), against a test
// database, the API over HTTP and a local SMTP server (smtp-server) that keeps
// what it receives: a sign-up's row and job commit together and its email
// arrives; a failed sign-up leaves neither row nor job, and sends nothing.
import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestEngine, startApiServer, type TestEngine } from "./helpers.ts";

const run = promisify(execFile);
const example = join(import.meta.dirname, "../../../examples/signup-email");
let t: TestEngine;
let api: Awaited<ReturnType<typeof startApiServer>>;
let smtp: SMTPServer;
let smtpUrl: string;
const mails: { from: string; to: string[]; raw: string }[] = [];

beforeAll(async () => {
  t = await createTestEngine();
  api = await startApiServer(t);
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ["STARTTLS"], logger: false,
    onData: (stream, session, done) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  await api?.close();
  await t?.close();
});

const start = (...args: string[]) => run("pnpm", ["--silent", "start", ...args], {
  cwd: example,
  env: { PATH: process.env.PATH!, DATABASE_URL: t.db.url, HOURGLASS_URL: api.url, HOURGLASS_TOKEN: t.token, SMTP_URL: smtpUrl },
});

const signups = async () => (await t.db.sql.query<{ email: string }>("SELECT email FROM signup ORDER BY id")).rows.map((r) => r.email);
const jobCount = async () => (await t.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM queue_job WHERE queue_name = 'signup_emails'")).rows[0]!.n;

it("signs up, enqueues in the same transaction, and the SDK worker sends the email over SMTP", { timeout: 120_000 }, async () => {
  const { stdout } = await start("ada@example.com", "bob@example.com");
  const lines = stdout.trim().split("\n");
  expect(lines).toEqual(expect.arrayContaining(["signed up ada@example.com", "signed up bob@example.com"]));
  const { sent } = JSON.parse(lines.at(-1)!) as { sent: string[] };
  expect(sent).toHaveLength(2);
  expect(await signups()).toEqual(["ada@example.com", "bob@example.com"]);
  expect(mails.map((m) => m.to).sort()).toEqual([["ada@example.com"], ["bob@example.com"]]);
  expect(mails[0]!.from).toBe("welcome@example.com");
  expect(mails.find((m) => m.to[0] === "ada@example.com")!.raw).toMatch(/Subject: Welcome!/);
  const info = await t.api.queues.lookupJobs({ jobDescriptors: sent });
  expect(Object.values(info).map((j) => j.jobState)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  const details = await t.api.queues.getJobDetails({ jobDescriptor: sent[0]! });
  expect(details.attempts[0]!.stdout).toMatch(/^sent <.+> to (ada|bob)@example\.com$/);
});

it("a sign-up whose transaction fails leaves neither the row nor the job, and no email", { timeout: 120_000 }, async () => {
  const [rowsBefore, jobsBefore, mailsBefore] = [await signups(), await jobCount(), mails.length];
  const { stdout } = await start("--fail", "carol@example.com");
  expect(stdout).toContain("rolled back carol@example.com: payment check failed");
  expect(await signups()).toEqual(rowsBefore);
  expect(await jobCount()).toBe(jobsBefore);
  // nor the job's enqueued event: the event log rolled back with it
  const events = await t.db.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM event_log WHERE entity_kind = 'queue_job' AND action = 'enqueued' AND actor = 'service:signup'");
  expect(events.rows[0]!.n).toBe(2);
  expect(mails).toHaveLength(mailsBefore);
});
