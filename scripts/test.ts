// `npm test`: installs what the tests need (PostgreSQL, Chromium from Debian
// packages when missing), then runs every suite — typecheck, schema drift, import cycles,
// unit + integration (Vitest, real PostgreSQL) and e2e (Playwright, Chromium)
// — and ends with one line: "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

const root = join(import.meta.dirname, "..");
const DEFAULT_URL = "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
const totals = { passed: 0, failed: 0, skipped: 0 };
const log = (line: string) => console.log(`\n[test] ${line}`);

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): number {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, stdio: opts.quiet ? "ignore" : "inherit" });
  return r.status ?? 1;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const isRoot = process.getuid?.() === 0;
let aptUpdated = false;
function aptInstall(...packages: string[]) {
  if (!isRoot) throw new Error(`missing ${packages.join(", ")}: install them (apt-get install ${packages.join(" ")}) or run as root`);
  if (!aptUpdated) {
    sh("apt-get", ["update", "-qq"], { quiet: true });
    aptUpdated = true;
  }
  log(`installing ${packages.join(", ")} from Debian packages`);
  if (sh("apt-get", ["install", "-y", "-qq", ...packages], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }) !== 0) {
    throw new Error(`apt-get install ${packages.join(" ")} failed`);
  }
}

/** A local PostgreSQL server: TEST_DATABASE_URL, or Debian's cluster started (and installed) here. */
async function ensurePostgres(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_URL;
  if (await canConnect(url)) return url;
  if (process.env.TEST_DATABASE_URL) throw new Error(`cannot connect to TEST_DATABASE_URL`);
  if (!existsSync("/usr/bin/pg_ctlcluster")) aptInstall("postgresql");
  const versions = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql") : [];
  if (versions.length === 0) aptInstall("postgresql");
  const version = readdirSync("/etc/postgresql").sort().at(-1)!;
  log(`starting PostgreSQL ${version}`);
  sh("pg_ctlcluster", [version, "main", "start"]);
  sh("su", ["postgres", "-c", `psql -q -c "ALTER USER postgres PASSWORD 'postgres'"`], { quiet: true });
  for (let i = 0; i < 50; i++) {
    if (await canConnect(url)) return url;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`PostgreSQL did not accept connections at ${url}`);
}

function ensureChromium(): string {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) aptInstall("chromium");
  return path;
}

/** A check that is not a test runner (typecheck, drift, import cycles) counts as one suite. */
function check(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  log(name);
  const ok = sh(cmd, args, { env }) === 0;
  ok ? totals.passed++ : totals.failed++;
  console.log(`[test] ${name}: ${ok ? "passed" : "FAILED"}`);
}

const databaseUrl = await ensurePostgres();
const chromium = ensureChromium();
const env = { ...process.env, TEST_DATABASE_URL: databaseUrl, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" };

check("typecheck (every package)", "pnpm", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"], env);
check("typecheck (root scripts)", "pnpm", ["exec", "tsc", "-p", "tsconfig.json"], env);
check("schema.prisma agrees with prisma/migrations", "pnpm", ["--silent", "db:check"], env);
// parts of the engine talk through hooks and small internal APIs, never in a circle of imports (type imports count)
check("no import cycles in the engine (madge)", "pnpm",
  ["exec", "madge", "--circular", "--extensions", "ts", "packages/engine/src"], env);

log("unit + integration tests (Vitest, real PostgreSQL)");
const vitestReport = join(root, "test-results", "vitest.json");
rmSync(vitestReport, { force: true });
sh("pnpm", ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`], { env });
if (existsSync(vitestReport)) {
  const r = JSON.parse(readFileSync(vitestReport, "utf8"));
  totals.passed += r.numPassedTests;
  // a file that fails to load has no test results of its own; count it as one failure
  const brokenFiles = r.testResults.filter((f: { status: string; assertionResults: unknown[] }) => f.status === "failed" && f.assertionResults.length === 0).length;
  totals.failed += r.numFailedTests + brokenFiles;
  totals.skipped += r.numPendingTests + r.numTodoTests;
} else totals.failed++;

log("building the dashboard for e2e");
const built = sh("pnpm", ["exec", "turbo", "run", "build", "--filter=@hourglass/web", "--output-logs=errors-only"], { env }) === 0;
if (!built) totals.failed++;
else {
  log("e2e tests (Playwright, Chromium)");
  const pwReport = join(root, "e2e", "test-results", "results.json");
  rmSync(pwReport, { force: true });
  sh("pnpm", ["exec", "playwright", "test"], { cwd: join(root, "e2e"), env });
  if (existsSync(pwReport)) {
    const s = JSON.parse(readFileSync(pwReport, "utf8")).stats;
    totals.passed += s.expected + s.flaky;
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
    if (s.flaky > 0) console.log(`[test] warning: ${s.flaky} flaky e2e test(s) passed on retry`);
  } else totals.failed++;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
