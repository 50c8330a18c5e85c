-- CreateEnum
CREATE TYPE "QueueJobState" AS ENUM ('PENDING', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "queue" (
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claim_timeout_millis" INTEGER NOT NULL DEFAULT 300000,
    "succeeded_retention_millis" BIGINT NOT NULL DEFAULT 86400000,
    "failed_retention_millis" BIGINT NOT NULL DEFAULT 604800000,
    "dequeue_rate_limit" DOUBLE PRECISION,
    "rate_tokens" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rate_tokens_at" TIMESTAMPTZ(3),
    "paused_at" TIMESTAMPTZ(3),
    "paused_by" TEXT,
    "rate_limit_before_pause" DOUBLE PRECISION,
    "executor" JSONB,

    CONSTRAINT "queue_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "queue_job" (
    "id" BIGSERIAL NOT NULL,
    "queue_name" TEXT NOT NULL,
    "state" "QueueJobState" NOT NULL DEFAULT 'PENDING',
    "priority" SMALLINT NOT NULL DEFAULT 1,
    "body" TEXT NOT NULL,
    "run_after" TIMESTAMPTZ(3) NOT NULL,
    "attempts_allowed" INTEGER NOT NULL,
    "attempts_remaining" INTEGER NOT NULL,
    "custom_status" TEXT NOT NULL DEFAULT '',
    "claim_count" INTEGER NOT NULL DEFAULT 0,
    "claim_descriptor" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "history" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "queue_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "queue_job_attempt" (
    "id" BIGSERIAL NOT NULL,
    "job_id" BIGINT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "claim_descriptor" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "exit_code" INTEGER,
    "http_status" INTEGER,
    "stdout" TEXT NOT NULL DEFAULT '',
    "stderr" TEXT NOT NULL DEFAULT '',
    "error" TEXT,

    CONSTRAINT "queue_job_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "queue_job_scan_idx" ON "queue_job"("queue_name", "state", "priority", "run_after", "id");

-- CreateIndex
CREATE INDEX "queue_job_expiry_idx" ON "queue_job"("state", "expires_at");

-- CreateIndex
CREATE INDEX "queue_job_attempt_job_id_attempt_idx" ON "queue_job_attempt"("job_id", "attempt");

-- AddForeignKey
ALTER TABLE "queue_job" ADD CONSTRAINT "queue_job_queue_name_fkey" FOREIGN KEY ("queue_name") REFERENCES "queue"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "queue_job_attempt" ADD CONSTRAINT "queue_job_attempt_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "queue_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written below: constraints and functions Prisma's schema language cannot express.

-- The state ties the timestamps (River's habit): a guarded transition that forgets one fails loudly.
ALTER TABLE "queue_job" ADD CONSTRAINT "queue_job_priority_check" CHECK ("priority" BETWEEN 1 AND 3);
ALTER TABLE "queue_job" ADD CONSTRAINT "queue_job_attempts_check" CHECK ("attempts_allowed" >= 1 AND "attempts_remaining" >= 0);
ALTER TABLE "queue_job" ADD CONSTRAINT "queue_job_expires_check" CHECK (("state" = 'PENDING') = ("expires_at" IS NULL));
ALTER TABLE "queue_job" ADD CONSTRAINT "queue_job_finished_check" CHECK (("state" IN ('SUCCEEDED', 'FAILED')) = ("finished_at" IS NOT NULL));

-- Appends one entry to a job's history, keeping only the newest 20 so rows stay small on the hot path.
CREATE FUNCTION hg_history_push(history jsonb, entry jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_array_length(history) >= 20
              THEN (history - 0) || jsonb_build_array(entry)
              ELSE history || jsonb_build_array(entry) END
$$;
