import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, unlinkSync, existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves a persistent PGlite database (real PostgreSQL compiled to WASM) over
 * the wire protocol on 127.0.0.1, so Prisma, `pg` and the worker connect to it
 * like to any server.
 *
 * Its limits shape the engine (see README "Embedded database"): it is one
 * session multiplexed over all connections, so LISTEN/NOTIFY does not cross
 * connections (workers poll) and a transaction on one connection blocks the
 * others. Only one server may open a data directory: a lock file holding the
 * owner's pid enforces it, and a stale lock (dead pid) is taken over.
 */
export async function startEmbeddedDatabase(options: { dataDir: string; port: number }): Promise<EmbeddedDatabase> {
  mkdirSync(options.dataDir, { recursive: true });
  const lockPath = join(options.dataDir, "..", `${basename(options.dataDir)}.lock`);
  takeLock(lockPath);
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create(options.dataDir);
    server = new PGLiteSocketServer({ db, port: options.port, host: "127.0.0.1", maxConnections: 64 });
    await server.start();
  } catch (err) {
    await db?.close().catch(() => {});
    releaseLock(lockPath);
    throw err;
  }
  const started = { db, server };
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${options.port}/postgres?sslmode=disable`,
    async stop() {
      await started.server.stop().catch(() => {});
      await started.db.close().catch(() => {});
      releaseLock(lockPath);
    },
  };
}

function basename(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() ?? "data";
}

function takeLock(lockPath: string): void {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(readFileSync(lockPath, "utf8").trim());
      if (owner && isAlive(owner)) {
        throw new Error(
          `the embedded database at ${lockPath.replace(/\.lock$/, "")} is already served by process ${owner}; stop it first (one server per data directory)`,
        );
      }
      unlinkSync(lockPath); // stale: its owner died without cleaning up
    }
  }
  throw new Error(`could not take the lock ${lockPath}`);
}

function releaseLock(lockPath: string): void {
  try {
    if (existsSync(lockPath) && readFileSync(lockPath, "utf8").trim() === String(process.pid)) unlinkSync(lockPath);
  } catch {
    /* already gone */
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
