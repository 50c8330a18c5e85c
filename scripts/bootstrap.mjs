// Entry point of `npm start` and `npm test` on a machine that has only Node.js
// and npm: finds or installs pnpm (into .tools/, no global install, no root
// needed), installs the workspace, generates the Prisma client, then hands
// over to scripts/start.ts or scripts/test.ts run by tsx. Plain .mjs because
// nothing else is installed yet.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = "12.21.0";
const command = process.argv[2];
const scripts = { start: "scripts/start.ts", test: "scripts/test.ts" };
if (!scripts[command]) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(scripts).join("|")}>`);
  process.exit(2);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function findPnpm() {
  const local = join(root, ".tools", "node_modules", ".bin", "pnpm");
  if (existsSync(local)) return local;
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return "pnpm";
  console.log(`[hourglass] installing pnpm ${PNPM_VERSION} into .tools/`);
  const status = run("npm", ["install", "--prefix", join(root, ".tools"), "--no-audit", "--no-fund",
    "--loglevel=error", `pnpm@${PNPM_VERSION}`]);
  if (status !== 0) process.exit(status);
  return local;
}

const pnpm = findPnpm();
const env = {
  ...process.env,
  // node-gyp would otherwise try to download Node headers (no internet here).
  npm_config_nodedir: process.env.npm_config_nodedir ?? "/usr",
  NEXT_TELEMETRY_DISABLED: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  PATH: `${join(root, ".tools", "node_modules", ".bin")}:${process.env.PATH}`,
};
const installArgs = ["install", "--prefer-offline", "--reporter=append-only"];
if (existsSync(join(root, "pnpm-lock.yaml"))) installArgs.push("--frozen-lockfile");
let status = run(pnpm, installArgs, { env });
if (status !== 0) process.exit(status);
// Every command imports the generated Prisma client (a build artifact, not in git).
status = run(pnpm, ["--silent", "db:generate"], { env });
if (status !== 0) process.exit(status);
status = run(pnpm, ["exec", "tsx", scripts[command], ...process.argv.slice(3)], { env });
process.exit(status);
