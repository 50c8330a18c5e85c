-- Each run of an invocation's task (one per launch): outcome, exit code or HTTP status,
-- error and bounded output, so the invocation page shows the task itself.
-- AlterTable
ALTER TABLE "scheduler_invocation" ADD COLUMN "task_runs" JSONB NOT NULL DEFAULT '[]';
