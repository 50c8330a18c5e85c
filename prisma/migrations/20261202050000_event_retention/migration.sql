-- A project's event retention in days (its file's `event_retention`); null = the default (30 days).
-- AlterTable
ALTER TABLE "scheduler_project" ADD COLUMN "event_retention_days" INTEGER;
