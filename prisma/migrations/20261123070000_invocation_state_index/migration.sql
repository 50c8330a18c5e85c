-- Active invocations are found by state first: counting jobs by state reads the few
-- active rows instead of every invocation's entry.
-- DropIndex
DROP INDEX "scheduler_invocation_job_key_state_idx";

-- CreateIndex
CREATE INDEX "scheduler_invocation_state_job_key_idx" ON "scheduler_invocation"("state", "job_key");
