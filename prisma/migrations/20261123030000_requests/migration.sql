-- CreateEnum
CREATE TYPE "RequestState" AS ENUM ('PENDING', 'RUNNING', 'COMPLETE', 'FAIL', 'STOPPED', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "ChainJobState" AS ENUM ('PENDING', 'RUNNING', 'COMPLETE', 'FAIL', 'STOPPED');

-- CreateTable
CREATE TABLE "request_spec_file" (
    "file" TEXT NOT NULL,
    "revision" TEXT NOT NULL,
    "spec" JSONB,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "loaded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "request_spec_file_pkey" PRIMARY KEY ("file")
);

-- CreateTable
CREATE TABLE "chain_job_type" (
    "name" TEXT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chain_job_type_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "request" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "state" "RequestState" NOT NULL DEFAULT 'PENDING',
    "user" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "total_jobs" INTEGER NOT NULL,
    "finished_jobs" INTEGER NOT NULL DEFAULT 0,
    "spec_revision" TEXT NOT NULL,
    "suspended_at" TIMESTAMPTZ(3),
    "suspend_reason" TEXT,
    "invocation_id" BIGINT,

    CONSTRAINT "request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chain_sequence" (
    "request_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "parent_id" TEXT,
    "retry" INTEGER NOT NULL,
    "tries" INTEGER NOT NULL DEFAULT 1,
    "start_job" TEXT NOT NULL,
    "end_job" TEXT NOT NULL,

    CONSTRAINT "chain_sequence_pkey" PRIMARY KEY ("request_id","id")
);

-- CreateTable
CREATE TABLE "chain_job" (
    "request_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "sequence_id" TEXT NOT NULL,
    "deps" TEXT[],
    "next" TEXT[],
    "args" JSONB NOT NULL,
    "runtime_args" JSONB NOT NULL,
    "sets" JSONB NOT NULL,
    "retry" INTEGER NOT NULL,
    "retry_wait_millis" INTEGER NOT NULL,
    "state" "ChainJobState" NOT NULL DEFAULT 'PENDING',
    "tries" INTEGER NOT NULL DEFAULT 0,
    "total_tries" INTEGER NOT NULL DEFAULT 0,
    "data" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "chain_job_pkey" PRIMARY KEY ("request_id","id")
);

-- CreateTable
CREATE TABLE "chain_job_log" (
    "id" BIGSERIAL NOT NULL,
    "request_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "try" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "exit_code" INTEGER,
    "error" TEXT,
    "stdout" TEXT NOT NULL DEFAULT '',
    "stderr" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "chain_job_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "request_created_at_idx" ON "request"("created_at");

-- CreateIndex
CREATE INDEX "request_state_created_at_idx" ON "request"("state", "created_at");

-- CreateIndex
CREATE INDEX "request_type_created_at_idx" ON "request"("type", "created_at");

-- CreateIndex
CREATE INDEX "chain_job_request_id_state_idx" ON "chain_job"("request_id", "state");

-- CreateIndex
CREATE INDEX "chain_job_log_request_id_job_id_try_idx" ON "chain_job_log"("request_id", "job_id", "try");

-- AddForeignKey
ALTER TABLE "chain_sequence" ADD CONSTRAINT "chain_sequence_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_job" ADD CONSTRAINT "chain_job_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: a request's progress never exceeds its job count; a finished request has its end time.
ALTER TABLE "request" ADD CONSTRAINT "request_progress_check" CHECK ("finished_jobs" >= 0 AND "finished_jobs" <= "total_jobs");
ALTER TABLE "request" ADD CONSTRAINT "request_finished_check" CHECK (("state" IN ('COMPLETE', 'FAIL', 'STOPPED')) = ("finished_at" IS NOT NULL));
