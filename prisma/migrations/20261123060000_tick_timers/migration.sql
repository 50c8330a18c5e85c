-- Cron ticks ride the invocations queue as timers (LUCI's delayed tick
-- tasks): a job records the queue job of the timer armed for its next tick,
-- and an invocation started by a timer records that timer, so a timer run
-- again after its worker died finds the invocation it started.
ALTER TABLE "scheduler_job" ADD COLUMN     "tick_timer_id" BIGINT;

ALTER TABLE "scheduler_invocation" ADD COLUMN     "timer_job_id" BIGINT;

-- Arming looks for unarmed jobs by next tick.
CREATE INDEX "scheduler_job_tick_timer_id_next_tick_at_idx" ON "scheduler_job"("tick_timer_id", "next_tick_at");

CREATE UNIQUE INDEX "scheduler_invocation_timer_job_id_key" ON "scheduler_invocation"("timer_job_id");
