import type pg from "pg";
import type { Sql } from "@hourglass/db";

/**
 * Runs `fn` in one transaction on one pooled connection. `fn` must not wait
 * on other connections: on the embedded database a transaction blocks every
 * other connection, so that would hang.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
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
