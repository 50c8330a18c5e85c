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
  const sql: Sql = { query: (text, values) => client.query(text, values as unknown[]) };
  try {
    await client.query("BEGIN");
    const result = await fn(sql);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
