// The app's side: its own table, and a sign-up that writes the row and
// enqueues the welcome email in ONE transaction (hourglass.enqueue_jobs, via
// enqueueInTransaction). Commit: both exist. Rollback: neither does.
import { enqueueInTransaction } from "@hourglass/client";
import type pg from "pg";

export const QUEUE = "signup_emails";

/** The app's own table, beside Hourglass's in the same database. */
export async function createTable(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS signup (
    id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now())`);
}

export interface WelcomeEmail {
  signupId: string;
  email: string;
}

/**
 * Signs `email` up and enqueues its welcome email; returns the job's
 * descriptor. `beforeCommit` runs inside the transaction after both writes
 * (the example uses it to show a failure rolling both back).
 */
export async function signUp(pool: pg.Pool, email: string, beforeCommit?: () => Promise<void>): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string }>("INSERT INTO signup (email) VALUES ($1) RETURNING id::text", [email]);
    const body: WelcomeEmail = { signupId: rows[0]!.id, email };
    const [descriptor] = await enqueueInTransaction(client, QUEUE, [{ body: JSON.stringify(body) }], { actor: "service:signup" });
    await beforeCommit?.();
    await client.query("COMMIT");
    return descriptor!;
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}
