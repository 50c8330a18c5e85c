-- Schedules as Temporal users expect (scheduler/: slots.ts, backfill-states.ts, pause-on-failure.ts):
-- when a job was last resumed (a pause on failure counts the failures since), and backfills: a job run
-- for every cron slot of a past range, each slot a row that is PENDING until its invocation starts.

-- AlterTable
ALTER TABLE "scheduler_job" ADD COLUMN "resumed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "scheduler_backfill" (
    "id" BIGSERIAL NOT NULL,
    "job_key" TEXT NOT NULL,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "to_at" TIMESTAMPTZ(3) NOT NULL,
    "overlap" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "scheduler_backfill_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "scheduler_backfill_overlap_check" CHECK ("overlap" IN ('SEQUENTIAL', 'CONCURRENT', 'SKIP')),
    CONSTRAINT "scheduler_backfill_range_check" CHECK ("from_at" < "to_at")
);

-- CreateTable
CREATE TABLE "scheduler_backfill_slot" (
    "backfill_id" BIGINT NOT NULL,
    "slot_at" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL,
    "invocation_id" BIGINT,

    CONSTRAINT "scheduler_backfill_slot_pkey" PRIMARY KEY ("backfill_id","slot_at"),
    -- a slot has its invocation exactly when it STARTED
    CONSTRAINT "scheduler_backfill_slot_state_check" CHECK (
      ("state" = 'STARTED') = ("invocation_id" IS NOT NULL) AND "state" IN ('PENDING', 'STARTED', 'SKIPPED'))
);

-- CreateIndex
CREATE INDEX "scheduler_backfill_job_key_id_idx" ON "scheduler_backfill"("job_key", "id");

-- CreateIndex
CREATE UNIQUE INDEX "scheduler_backfill_slot_invocation_id_key" ON "scheduler_backfill_slot"("invocation_id");

-- AddForeignKey
ALTER TABLE "scheduler_backfill" ADD CONSTRAINT "scheduler_backfill_job_key_fkey" FOREIGN KEY ("job_key") REFERENCES "scheduler_job"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scheduler_backfill_slot" ADD CONSTRAINT "scheduler_backfill_slot_backfill_id_fkey" FOREIGN KEY ("backfill_id") REFERENCES "scheduler_backfill"("id") ON DELETE CASCADE ON UPDATE CASCADE;
