-- Counters that keep a chain job's completion O(its children): a job counts
-- its parents not yet COMPLETE (a job with 1,000 parents made every
-- completion read them all), and a request counts its jobs that failed for
-- good (read under the request's row lock instead of a scan of its jobs).
ALTER TABLE "request" ADD COLUMN     "failed_jobs" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "chain_job" ADD COLUMN     "waiting_deps" INTEGER NOT NULL DEFAULT 0;

-- Requests already stored get their counts from their jobs' states.
UPDATE "chain_job" c SET "waiting_deps" = (
  SELECT count(*) FROM "chain_job" p WHERE p."request_id" = c."request_id" AND p."id" = ANY(c."deps") AND p."state" <> 'COMPLETE');
UPDATE "request" r SET "failed_jobs" = (SELECT count(*) FROM "chain_job" j WHERE j."request_id" = r."id" AND j."state" = 'FAIL');
