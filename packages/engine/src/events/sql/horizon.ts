/**
 * SQL for the follow horizon: every event with a smaller tx is final (its
 * transaction committed, or aborted and wrote nothing visible), so readers in
 * (tx, id) order below it never skip a late commit.
 *
 * It is the oldest transaction the statement's snapshot sees running, except
 * those positively known to belong to another database of the server (their
 * backend's xid in pg_stat_activity, matched on the xid's low 32 bits): they
 * cannot write this database's event_log, and a long write elsewhere on a
 * shared server must not hold back live pages and alerts here. A running xid
 * not found there (a prepared transaction, a backend that moved on meanwhile,
 * statistics the role may not read) still holds the horizon: waiting longer is
 * safe, skipping is not. With nothing running it is the snapshot's xmax.
 */
export const FOLLOW_HORIZON_SQL = `(
  SELECT coalesce(
           (SELECT min(x::text::bigint) FROM pg_snapshot_xip(snap.s) AS x
             WHERE NOT EXISTS (
               SELECT 1 FROM pg_stat_activity a
                WHERE a.datname IS NOT NULL AND a.datname <> current_database()
                  AND a.backend_xid::text::bigint = x::text::bigint % 4294967296)),
           pg_snapshot_xmax(snap.s)::text::bigint)
    FROM (SELECT pg_current_snapshot() AS s) AS snap)`;
