-- The event log (packages/engine/src/events/): one append-only table for every transition and operator action.
-- Not partitioned: retention is per project (a partition per time range cannot be dropped while another project
-- still keeps it), so maintenance deletes old rows in bounded batches; a BRIN index on "at" finds them cheaply.
-- CreateTable
CREATE TABLE "event_log" (
    "id" BIGSERIAL NOT NULL,
    "tx" BIGINT NOT NULL DEFAULT (pg_current_xact_id())::text::bigint,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "project" TEXT NOT NULL,
    "entity_kind" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "from_state" TEXT,
    "to_state" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "payload" JSONB,

    CONSTRAINT "event_log_pkey" PRIMARY KEY ("tx","id")
);

-- CreateIndex
CREATE INDEX "event_log_entity_idx" ON "event_log"("entity_kind", "entity_id", "id");

-- CreateIndex
CREATE INDEX "event_log_at_idx" ON "event_log" USING BRIN ("at");

-- One wake-up per writing statement (not per row) for readers that follow the log: the web's live feed LISTENs.
-- PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION hg_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hourglass_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER event_log_notify AFTER INSERT ON "event_log" FOR EACH STATEMENT EXECUTE FUNCTION hg_event_notify();

-- Existing queue-job histories (capped jsonb arrays) become events, oldest first; then the column goes.
INSERT INTO "event_log" ("at", "project", "entity_kind", "entity_id", "action", "to_state", "reason", "actor")
SELECT (e->>'at')::timestamptz, q.project, 'queue_job', j.id::text,
       CASE WHEN e->>'note' LIKE 'enqueued%' THEN 'enqueued'
            WHEN e->>'note' LIKE 'claimed%' THEN 'claimed'
            WHEN e->>'note' LIKE 'acked%' THEN 'acked'
            WHEN e->>'note' LIKE 'retried%' THEN 'retried'
            WHEN e->>'note' LIKE 'checkpointed%' THEN 'checkpointed'
            WHEN e->>'note' LIKE '%released%' THEN 'released'
            WHEN e->>'note' LIKE 'claim % expired' THEN 'expired'
            ELSE 'migrated' END,
       e->>'state', coalesce(e->>'note', ''), coalesce(e->>'by', 'system:migration')
  FROM queue_job j
  JOIN queue q ON q.name = j.queue_name
  CROSS JOIN LATERAL jsonb_array_elements(j.history) WITH ORDINALITY AS t(e, i)
 ORDER BY j.id, t.i;

ALTER TABLE "queue_job" DROP COLUMN "history";
DROP FUNCTION hg_history_push(jsonb, jsonb);
DROP FUNCTION hg_history_append(jsonb, jsonb);
DROP FUNCTION hg_claim_entry(timestamptz, text, int);
