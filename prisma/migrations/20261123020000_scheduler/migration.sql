-- CreateEnum
CREATE TYPE "InvocationState" AS ENUM ('STARTING', 'RETRYING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED');

-- CreateTable
CREATE TABLE "scheduler_project" (
    "id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "revision" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL,
    "errors" JSONB,

    CONSTRAINT "scheduler_project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduler_job" (
    "key" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "revision" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "paused_at" TIMESTAMPTZ(3),
    "paused_by" TEXT,
    "pause_reason" TEXT,
    "next_tick_at" TIMESTAMPTZ(3),
    "last_slot_at" TIMESTAMPTZ(3),
    "triage_requested_at" TIMESTAMPTZ(3),
    "last_triage_at" TIMESTAMPTZ(3),
    "triage_log" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "scheduler_job_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "scheduler_trigger" (
    "id" BIGSERIAL NOT NULL,
    "job_key" TEXT NOT NULL,
    "trigger_id" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "emitted_by" TEXT NOT NULL,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "invocation_id" BIGINT,
    "discarded_at" TIMESTAMPTZ(3),

    CONSTRAINT "scheduler_trigger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduler_invocation" (
    "id" BIGSERIAL NOT NULL,
    "job_key" TEXT NOT NULL,
    "state" "InvocationState" NOT NULL DEFAULT 'STARTING',
    "revision" TEXT NOT NULL,
    "task" JSONB NOT NULL,
    "triggered_by" TEXT NOT NULL,
    "incoming_triggers" JSONB NOT NULL DEFAULT '[]',
    "outgoing_triggers" JSONB NOT NULL DEFAULT '[]',
    "properties" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "view_url" TEXT,
    "debug_log" TEXT NOT NULL DEFAULT '',
    "aborted_by" TEXT,

    CONSTRAINT "scheduler_invocation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "scheduler_job_project_id_job_id_idx" ON "scheduler_job"("project_id", "job_id");

-- CreateIndex
CREATE INDEX "scheduler_job_next_tick_at_idx" ON "scheduler_job"("next_tick_at");

-- CreateIndex
CREATE INDEX "scheduler_job_triage_requested_at_idx" ON "scheduler_job"("triage_requested_at");

-- CreateIndex
CREATE INDEX "scheduler_trigger_job_key_invocation_id_discarded_at_create_idx" ON "scheduler_trigger"("job_key", "invocation_id", "discarded_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "scheduler_trigger_job_key_trigger_id_key" ON "scheduler_trigger"("job_key", "trigger_id");

-- CreateIndex
CREATE INDEX "scheduler_invocation_job_key_id_idx" ON "scheduler_invocation"("job_key", "id");

-- CreateIndex
CREATE INDEX "scheduler_invocation_job_key_state_idx" ON "scheduler_invocation"("job_key", "state");

-- AddForeignKey
ALTER TABLE "scheduler_job" ADD CONSTRAINT "scheduler_job_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "scheduler_project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scheduler_trigger" ADD CONSTRAINT "scheduler_trigger_job_key_fkey" FOREIGN KEY ("job_key") REFERENCES "scheduler_job"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scheduler_invocation" ADD CONSTRAINT "scheduler_invocation_job_key_fkey" FOREIGN KEY ("job_key") REFERENCES "scheduler_job"("key") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: the invocation state ties its finish time.
ALTER TABLE "scheduler_invocation" ADD CONSTRAINT "scheduler_invocation_finished_check"
  CHECK (("state" IN ('SUCCEEDED', 'FAILED', 'ABORTED')) = ("finished_at" IS NOT NULL));
