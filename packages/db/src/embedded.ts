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
    keepExtendedQueriesWhole(server);
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

/** Extended-protocol messages that leave a query half sent: Parse, Bind, Describe, Execute, Close, Flush. */
const MID_QUERY = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

interface QueuedMessage { handlerId: number; message: Uint8Array; resolve(bytes: number): void; reject(err: unknown): void; onData(data: Uint8Array): void }
interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/**
 * pglite-socket 0.2.17 feeds PGlite's single session one protocol message at
 * a time, taking turns between connections, so one connection's Parse can
 * land between another's Parse and Bind ("bind message supplies 4
 * parameters, but prepared statement "" requires 1"). It already keeps a
 * connection's turn while it is inside a transaction; this keeps it too from
 * a Parse / Bind / Describe / Execute until that connection's Sync, so every
 * query runs whole. Replaces the server's queue loop (same steps, one more
 * rule); a connection that goes away mid-query gives up its turn.
 */
function keepExtendedQueriesWhole(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midQuery = false;
  q.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = this.lastHandlerId !== null && (midQuery || this.db.isInTransaction());
        const at = sticky ? this.queue.findIndex((m) => m.handlerId === this.lastHandlerId) : 0;
        if (at === -1) break; // the connection holding the turn sends its next message soon (or goes away)
        const item = this.queue.splice(at, 1)[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (d: Uint8Array) => { bytes += d.length; item.onData(d); } }));
        } catch (err) {
          midQuery = false;
          item.reject(err);
          return;
        }
        this.lastHandlerId = item.handlerId;
        midQuery = MID_QUERY.has(item.message[0]!);
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (q.lastHandlerId === handlerId && midQuery) {
      midQuery = false;
      void q.processQueue();
    }
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
