import type pg from "pg";
import type { Sql } from "@hourglass/db";

/** Errors after which a transaction can simply run again: deadlock, serialization failure. */
const RETRYABLE = new Set(["40P01", "40001"]);
const ATTEMPTS = 3;

/**
 * Runs `fn` in one transaction on one pooled connection. `fn` must not wait
 * on other connections: on the embedded database a transaction blocks every
 * other connection, so that would hang. With `retryDeadlocks`, a transaction
 * that PostgreSQL aborted as a deadlock victim runs again (up to 3 times);
 * `fn` must then keep its effects inside the transaction.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>, options: { retryDeadlocks?: boolean } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(pool, fn);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!options.retryDeadlocks || attempt >= ATTEMPTS || !code || !RETRYABLE.has(code)) throw err;
    }
  }
}

async function once<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client whose connection dies (the server restarting) emits 'error'; the pool
  // listens only while the client is idle, and an unheard 'error' event kills the process. The
  // statement in flight fails with the same error, so here it only marks the client as broken.
  let broken: Error | undefined;
  const onError = (err: Error) => (broken ??= err);
  client.on("error", onError);
  const sql: Sql = { query: (text, values) => client.query(text, values as unknown[]) };
  try {
    await client.query("BEGIN");
    const result = await fn(sql);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    if (!broken) await client.query("ROLLBACK").catch((e: Error) => (broken ??= e));
    throw err;
  } finally {
    client.removeListener("error", onError);
    // a broken connection is dropped, not handed to the next caller
    client.release(broken);
  }
}
