import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * A PostgreSQL server of the test's own: a fresh cluster (initdb) in a temp
 * directory, on a free port of 127.0.0.1, which the test may restart or stop
 * (fault tests: `pg_ctl restart -m fast | immediate`) without disturbing the
 * shared test server other files use. Uses the machine's PostgreSQL binaries
 * (Debian's /usr/lib/postgresql/<version>/bin, which `npm test` installs);
 * as root it runs them as the `postgres` user, as PostgreSQL requires.
 */
export class PostgresServer {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  /** initdb + start; trust authentication on 127.0.0.1 only. */
  static async start(): Promise<PostgresServer> {
    const bin = postgresBin();
    const dataDir = mkdtempSync(join(tmpdir(), "hourglass-pg-"));
    asPostgresOwner(dataDir);
    const server = new PostgresServer(dataDir, await freePort(), bin);
    server.run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    server.ctl("start");
    await server.waitUntilReady();
    return server;
  }

  url(database = "postgres"): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates an empty database; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /**
   * `fast`: connections are terminated, the server shuts down cleanly and
   * starts again. `immediate`: the server quits at once, as in a crash, and
   * recovers from its WAL on start. Resolves once it accepts connections again.
   */
  async restart(mode: "fast" | "immediate"): Promise<void> {
    this.ctl("restart", ["-m", mode]);
    await this.waitUntilReady();
  }

  /** Stops the server and deletes its directory. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, "postmaster.pid"))) this.ctl("stop", ["-m", "immediate"]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private ctl(action: string, extra: string[] = []): void {
    const options = `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    this.run("pg_ctl", ["-D", this.dataDir, "-w", "-t", "60", "-l", join(this.dataDir, "server.log"), "-o", options, action, ...extra]);
  }

  private run(program: string, args: string[]): void {
    const path = join(this.bin, program);
    const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", path, ...args]] : [path, args];
    const r = spawnSync(cmd, argv, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${program} ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  }

  private async waitUntilReady(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query("SELECT 1");
        await client.end();
        return;
      } catch {
        await client.end().catch(() => {});
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`PostgreSQL on port ${this.port} did not accept connections`);
  }
}

const isRoot = () => process.getuid?.() === 0;

function postgresBin(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))) : [];
  if (versions.length === 0) throw new Error("no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)");
  return join(base, versions.sort((a, b) => Number(a) - Number(b)).at(-1)!, "bin");
}

function asPostgresOwner(dir: string): void {
  if (!isRoot()) return;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  chownSync(dir, uid, gid);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
