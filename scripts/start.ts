// `npm start`: prepares the database (the embedded one unless DATABASE_URL is
// set), applies migrations, loads demo data on first run, creates the admin
// account when nobody can administer (printing its password once), builds the
// dashboard, then runs web + worker until Ctrl-C, which stops both cleanly.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDatabase, migrate } from "@hourglass/db";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@hourglass/db/embedded";
import { createEngine, DEMO_SERVICE_ACCOUNTS, DEMO_USERS, ensureAdmin, loadDemoData, silentLogger } from "@hourglass/engine";

const root = join(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const log = (line: string) => console.log(`[hourglass] ${line}`);

function run(cmd: string, args: string[], cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: "inherit", env: process.env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
}

let embedded: EmbeddedDatabase | null = null;
let url = process.env.DATABASE_URL;
if (!url) {
  const dataDir = process.env.HOURGLASS_DATA_DIR ?? join(root, ".hourglass", "pgdata");
  mkdirSync(join(dataDir, ".."), { recursive: true });
  embedded = await startEmbeddedDatabase({ dataDir, port: Number(process.env.HOURGLASS_EMBEDDED_PORT ?? 54329) });
  url = embedded.url;
  log(`embedded database (PGlite) at ${dataDir}`);
} else {
  log("using DATABASE_URL");
}

await migrate(url, log);
const dashboard = `http://127.0.0.1:${port}`;
{
  const db = createDatabase(url, { poolMax: 2, preparedStatements: !embedded });
  const engine = createEngine({ db, logger: silentLogger });
  const marker = join(root, ".hourglass", embedded ? "demo-loaded" : "demo-loaded-external");
  if (process.env.HOURGLASS_DEMO !== "0" && !existsSync(marker)) {
    const loaded = await loadDemoData(engine);
    mkdirSync(join(root, ".hourglass"), { recursive: true });
    writeFileSync(marker, new Date().toISOString());
    log(loaded ? "loaded demo data" : "database already has queues; demo data not loaded");
    if (loaded) {
      const users = DEMO_USERS.map((u) => `${u.login} / ${u.password} (${u.role})`).join(", ");
      log(`demo sign-ins (project demo): ${users}; service account${DEMO_SERVICE_ACCOUNTS.length > 1 ? "s" : ""} `
        + `${DEMO_SERVICE_ACCOUNTS.map((s) => `service:${s.name}`).join(", ")} (make tokens in Access)`);
    }
  }
  const admin = await ensureAdmin(engine, { password: process.env.HOURGLASS_ADMIN_PASSWORD || undefined }).catch((err: Error) => {
    throw new Error(`could not create the admin account: ${err.message}`);
  });
  await db.close();
  if (admin.created) {
    const signIn = `created the admin account: sign in at ${dashboard}/sign-in as ${admin.login}`;
    log(admin.password ? `${signIn} / ${admin.password} (shown once; change it in Access)` : `${signIn} with HOURGLASS_ADMIN_PASSWORD`);
  }
}

log("building the dashboard");
run("pnpm", ["exec", "turbo", "run", "build", "--filter=@hourglass/web", "--output-logs=errors-only"]);

const env = { ...process.env, DATABASE_URL: url, HOURGLASS_EMBEDDED_DB: embedded ? "1" : "0" };
const children: ChildProcess[] = [];
const start = (name: string, cmd: string, args: string[], cwd: string) => {
  const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
};

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  log("stopping web and worker");
  await Promise.all(
    children.map((c) => c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => (c.once("exit", r), c.kill("SIGTERM")))),
  );
  await embedded?.stop();
  log("stopped");
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

start("web", join(root, "apps/web/node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], join(root, "apps/web"));
start("worker", process.execPath, ["--import", "tsx", "src/main.ts"], join(root, "apps/worker"));

for (let i = 0; i < 600 && !stopping; i++) {
  try {
    const res = await fetch(`${dashboard}/api/health`);
    if (res.ok) break;
  } catch {
    /* not listening yet */
  }
  await new Promise((r) => setTimeout(r, 100));
}
log(`dashboard: ${dashboard}  (Ctrl-C stops web and worker)`);
