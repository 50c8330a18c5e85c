-- Taskcluster's queue (packages/engine/src/tasks/, docs/taskcluster.md): tasks, their runs as rows, the
-- dependencies between tasks as rows, task groups, task queues and the workers seen on them.
-- A task run is the claimable row (docs/taskcluster.md, "The claimable row"): a due time (`scheduled`), a
-- priority (0 = highest), a state, a lease (`taken_until`) and who holds it, claimed in
-- (task_queue_id, state, priority, scheduled, task_id) order with FOR UPDATE SKIP LOCKED.

-- CreateEnum
CREATE TYPE "TaskState" AS ENUM ('unscheduled', 'pending', 'running', 'completed', 'failed', 'exception');

-- CreateEnum
CREATE TYPE "TaskRunState" AS ENUM ('pending', 'running', 'completed', 'failed', 'exception');

-- CreateTable
CREATE TABLE "task_group" (
    "task_group_id" TEXT NOT NULL,
    "scheduler_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,
    "sealed" TIMESTAMPTZ(3),
    "unresolved" INTEGER NOT NULL DEFAULT 0,
    "resolved" TIMESTAMPTZ(3),
    "created" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_group_pkey" PRIMARY KEY ("task_group_id")
);

-- CreateTable
CREATE TABLE "task" (
    "task_id" TEXT NOT NULL,
    "task_queue_id" TEXT NOT NULL,
    "scheduler_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "task_group_id" TEXT NOT NULL,
    "dependencies" TEXT[],
    "requires" TEXT NOT NULL,
    "routes" TEXT[],
    "priority" TEXT NOT NULL,
    "retries" INTEGER NOT NULL,
    "retries_left" INTEGER NOT NULL,
    "created" TIMESTAMPTZ(3) NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,
    "scopes" TEXT[],
    "payload" JSONB NOT NULL,
    "metadata" JSONB NOT NULL,
    "tags" JSONB NOT NULL,
    "extra" JSONB NOT NULL,
    "state" "TaskState" NOT NULL,
    "unsatisfied" INTEGER NOT NULL,
    "run_count" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_pkey" PRIMARY KEY ("task_id")
);

-- CreateTable
CREATE TABLE "task_run" (
    "task_id" TEXT NOT NULL,
    "run_id" INTEGER NOT NULL,
    "task_queue_id" TEXT NOT NULL,
    "priority" SMALLINT NOT NULL,
    "state" "TaskRunState" NOT NULL,
    "reason_created" TEXT NOT NULL,
    "reason_resolved" TEXT,
    "worker_group" TEXT,
    "worker_id" TEXT,
    "taken_until" TIMESTAMPTZ(3),
    "scheduled" TIMESTAMPTZ(3) NOT NULL,
    "started" TIMESTAMPTZ(3),
    "resolved" TIMESTAMPTZ(3),

    CONSTRAINT "task_run_pkey" PRIMARY KEY ("task_id","run_id")
);

-- CreateTable
CREATE TABLE "task_dependency" (
    "required_task_id" TEXT NOT NULL,
    "dependent_task_id" TEXT NOT NULL,
    "requires" TEXT NOT NULL,
    "satisfied" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "task_dependency_pkey" PRIMARY KEY ("required_task_id","dependent_task_id")
);

-- CreateTable
CREATE TABLE "task_queue" (
    "task_queue_id" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "stability" TEXT NOT NULL DEFAULT 'experimental',
    "last_date_active" TIMESTAMPTZ(3) NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_queue_pkey" PRIMARY KEY ("task_queue_id")
);

-- CreateTable
CREATE TABLE "task_worker" (
    "task_queue_id" TEXT NOT NULL,
    "worker_group" TEXT NOT NULL,
    "worker_id" TEXT NOT NULL,
    "first_claim" TIMESTAMPTZ(3) NOT NULL,
    "last_date_active" TIMESTAMPTZ(3) NOT NULL,
    "quarantine_until" TIMESTAMPTZ(3),
    "recent_tasks" JSONB NOT NULL DEFAULT '[]',
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_worker_pkey" PRIMARY KEY ("task_queue_id","worker_group","worker_id")
);

-- CreateIndex
CREATE INDEX "task_group_expires_idx" ON "task_group"("expires");

-- CreateIndex
CREATE INDEX "task_task_group_id_task_id_idx" ON "task"("task_group_id", "task_id");

-- CreateIndex
CREATE INDEX "task_state_deadline_idx" ON "task"("state", "deadline");

-- CreateIndex
CREATE INDEX "task_expires_idx" ON "task"("expires");

-- CreateIndex
CREATE INDEX "task_run_claim_idx" ON "task_run"("task_queue_id", "state", "priority", "scheduled", "task_id");

-- CreateIndex
CREATE INDEX "task_run_lease_idx" ON "task_run"("state", "taken_until");

-- CreateIndex
CREATE INDEX "task_dependency_dependent_task_id_idx" ON "task_dependency"("dependent_task_id");

-- CreateIndex
CREATE INDEX "task_queue_expires_idx" ON "task_queue"("expires");

-- CreateIndex
CREATE INDEX "task_worker_expires_idx" ON "task_worker"("expires");

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_task_group_id_fkey" FOREIGN KEY ("task_group_id") REFERENCES "task_group"("task_group_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_run" ADD CONSTRAINT "task_run_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"("task_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_dependency" ADD CONSTRAINT "task_dependency_required_task_id_fkey" FOREIGN KEY ("required_task_id") REFERENCES "task"("task_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_dependency" ADD CONSTRAINT "task_dependency_dependent_task_id_fkey" FOREIGN KEY ("dependent_task_id") REFERENCES "task"("task_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invariants the statements in packages/engine/src/tasks/sql/ keep (CHECKs are not part of schema.prisma).
ALTER TABLE "task" ADD CONSTRAINT "task_requires_check" CHECK ("requires" IN ('all-completed', 'all-resolved'));
ALTER TABLE "task" ADD CONSTRAINT "task_counters_check" CHECK ("retries_left" >= 0 AND "unsatisfied" >= 0 AND "run_count" >= 0);
ALTER TABLE "task" ADD CONSTRAINT "task_dates_check" CHECK ("created" <= "deadline" AND "deadline" <= "expires");
ALTER TABLE "task_group" ADD CONSTRAINT "task_group_unresolved_check" CHECK ("unresolved" >= 0);
ALTER TABLE "task_run" ADD CONSTRAINT "task_run_resolved_check"
  CHECK (("state" IN ('completed', 'failed', 'exception')) = ("resolved" IS NOT NULL));
ALTER TABLE "task_run" ADD CONSTRAINT "task_run_lease_check" CHECK ("state" <> 'running' OR "taken_until" IS NOT NULL);
