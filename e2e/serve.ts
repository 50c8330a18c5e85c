// Playwright's web server: a fresh database on the test PostgreSQL server,
// migrated, with the admin (known password) and a user for the lockout flow,
// then the built dashboard and a worker, both stopped on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createDatabase, migrate } from "@hourglass/db";
import { recreateDatabase } from "@hourglass/db/testing";
import { createEngine, ensureAdmin, silentLogger } from "@hourglass/engine";
import { ADMIN, LOCKOUT_USER } from "./auth.ts";

const root = join(import.meta.dirname, "..");
// E2E_DATABASE: another name lets two runs share the test server
const url = await recreateDatabase(process.env.E2E_DATABASE ?? "hourglass_e2e");
await migrate(url);
{
  const db = createDatabase(url, { poolMax: 2 });
  const engine = createEngine({ db, logger: silentLogger });
  await ensureAdmin(engine, { password: ADMIN.password });
  await engine.access.principals.create({ kind: "user", name: LOCKOUT_USER.login, password: LOCKOUT_USER.password, scopes: [], by: "system:e2e" });
  await db.close();
}
const env = {
  ...process.env, DATABASE_URL: url, HOURGLASS_POLL_INTERVAL_MS: "200", HOURGLASS_MAINTENANCE_INTERVAL_MS: "200",
  HOURGLASS_PROJECTS_DIR: join(import.meta.dirname, "projects"), HOURGLASS_SPECS_DIR: join(import.meta.dirname, "specs"),
};
const children: ChildProcess[] = [
  spawn(join(root, "apps/web/node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", process.env.E2E_PORT ?? "3100"], { cwd: join(root, "apps/web"), env, stdio: "inherit" }),
  spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: join(root, "apps/worker"), env, stdio: "inherit" }),
];
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
for (const c of children) c.on("exit", (code) => code && code !== 0 && process.exit(code));
