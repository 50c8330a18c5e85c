// `pnpm chaos`: Hourglass under faults, on local processes only and a
// PostgreSQL server of its own (PostgresServer). Not part of `npm test`;
// a few minutes long. Scenarios:
//   kill9         3 workers drain 20,000 http jobs; one is killed -9 every 2–4 s and replaced
//   sigterm       the same with SIGTERM
//   pg-fast       PostgreSQL `restart -m fast` three times during the drain
//   pg-immediate  PostgreSQL `restart -m immediate` (a crash) three times during the drain
//   cron          a */5 s cron job for a minute while workers are killed -9 every 2–4 s (one always lives)
// Prints one table and the targets; exits 1 if a target is missed.
//
// Options: --jobs N (20000)  --only name,name  --seconds N (60, the cron scenario)
import { parseArgs } from "node:util";
import { CounterServer } from "./counter.ts";
import { runCron } from "./cron.ts";
import { ChaosServer } from "./database.ts";
import { DRAIN, DRAIN_TITLES, runDrain, type DrainFault } from "./drain.ts";
import { printNotes, printTable, printTargets, type Row } from "./table.ts";

const SCENARIOS = ["kill9", "sigterm", "pg-fast", "pg-immediate", "cron"] as const;

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "20000" },
    only: { type: "string" },
    seconds: { type: "string", default: "60" },
  },
});
const JOBS = Number(values.jobs);
const SECONDS = Number(values.seconds);
const only = values.only?.split(",").map((s) => s.trim()) ?? [...SCENARIOS];
const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
if (unknown.length || !(JOBS > 0) || !(SECONDS > 0)) {
  console.error(`usage: pnpm chaos [--jobs N] [--seconds N] [--only ${SCENARIOS.join(",")}]`);
  if (unknown.length) console.error(`unknown scenario: ${unknown.join(", ")}`);
  process.exit(2);
}

const log = (s: string) => console.error(s);
log(`chaos benchmark: ${only.join(", ")}; ${JOBS} jobs per drain, cron for ${SECONDS} s`);
log(`  the drain queue's claim timeout is ${DRAIN.claimTimeoutMillis} ms (a kill -9'd worker's claims run again after it), `
  + `HOURGLASS_MAINTENANCE_INTERVAL_MS=${DRAIN.maintenanceIntervalMs}, HOURGLASS_SHUTDOWN_GRACE_MS=${DRAIN.shutdownGraceMs}, `
  + `${DRAIN.workers} workers × concurrency ${DRAIN.concurrency}, jobs allow ${DRAIN.attempts} attempts, `
  + `the counter server answers in ${DRAIN.answerMs} ms`);

const server = await ChaosServer.start();
const counter = new CounterServer();
const rows: Row[] = [];
let failed = false;
const stop = async () => {
  await counter.stop().catch(() => {});
  await server.destroy().catch(() => {});
};
process.on("SIGINT", () => void stop().then(() => process.exit(130)));
try {
  await counter.start(DRAIN.answerMs);
  for (const name of only) {
    const t = Date.now();
    log(`\n${name === "cron" ? "cron" : DRAIN_TITLES[name as DrainFault]} …`);
    const row = name === "cron" ? await runCron(server, SECONDS) : await runDrain(server, counter, name as DrainFault, JOBS);
    rows.push(row);
    log(`  done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
} catch (err) {
  console.error(err);
  failed = true;
} finally {
  await stop();
}

if (rows.length) {
  console.log(`\nchaos benchmark (${new Date().toISOString().slice(0, 10)}): drain queue claim timeout ${DRAIN.claimTimeoutMillis} ms, `
    + `maintenance every ${DRAIN.maintenanceIntervalMs} ms, ${DRAIN.workers} workers × concurrency ${DRAIN.concurrency}\n`);
  printTable(rows);
  printNotes(rows);
  if (!printTargets(rows)) failed = true;
}
process.exit(failed ? 1 : 0);
