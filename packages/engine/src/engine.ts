import type { Database } from "@hourglass/db";
import { systemClock, type Clock } from "./clock.ts";
import type { EngineContext } from "./context.ts";
import { consoleLogger, type Logger } from "./logger.ts";
import { readDatabaseGauges } from "./metrics/database.ts";
import { createMetrics, type Metrics } from "./metrics/metrics.ts";
import { BulkActions } from "./queue/bulk.ts";
import { Jobs } from "./queue/jobs.ts";
import { QueueAdmin } from "./queue/admin.ts";
import { QueueMaintenance } from "./queue/maintenance.ts";
import { Queues } from "./queue/queues.ts";
import { queueInternal, type QueueInternal } from "./queue/internal.ts";
import { JobReads } from "./queue/reads.ts";
import { Access } from "./access/host/index.ts";
import { Requests } from "./chains/service.ts";
import { endRequestInvocations } from "./scheduler/host/request-link.ts";
import { Scheduler } from "./scheduler/service.ts";
import { EventLog } from "./events/log.ts";
import { Alerts } from "./alerts/host/service.ts";
import { EventFeed } from "./events/feed.ts";
import { Tasks, type TaskOptions } from "./tasks/host/service.ts";

export interface EngineOptions {
  db: Database;
  clock?: Clock;
  logger?: Logger;
  /** Where the engine counts what it does (default: a registry of its own, without process metrics). */
  metrics?: Metrics;
  /** Randomness for interval schedules' first run (tests pass a fixed one). */
  random?: () => number;
  /** How the live event feed learns of new events: "listen" (default) or "poll" (the embedded database). */
  eventWakeups?: "listen" | "poll";
  /** Taskcluster's queue: claim timeout, deadline limit, claimWork's wait and wake-ups (tasks/host/service.ts). */
  tasks?: Partial<TaskOptions>;
}

/** The domain core. Apps build one with their database, clock and logger; it never reads the environment. */
export interface Engine {
  ctx: EngineContext;
  queues: Queues;
  jobs: Jobs;
  reads: JobReads;
  bulk: BulkActions;
  maintenance: QueueMaintenance;
  scheduler: Scheduler;
  requests: Requests;
  /** The event log: every transition and operator action (histories, audit, live pages, the event stream). */
  events: EventLog;
  /** The live feed of the log for this process's streams (events/feed.ts); reads nothing until someone subscribes. */
  feed: EventFeed;
  /** Identities, credentials, roles and which project each resource is in (access/host). */
  access: Access;
  /** Alert rules per project and their deliveries (alerts/). */
  alerts: Alerts;
  /** Taskcluster's queue: tasks, runs, dependencies, task groups (tasks/). */
  tasks: Tasks;
  /** The engine's own paths, without the public API's checks (LUCI's EngineInternal); never behind a transport. */
  internal: EngineInternal;
}

export interface EngineInternal {
  /** Administration of any queue, Hourglass's own (`hourglass_*`) included. */
  queues: QueueAdmin;
  /** Enqueue typed internal jobs inside a caller's transaction (queue/internal.ts). */
  queue: QueueInternal;
}

export function createEngine(options: EngineOptions): Engine {
  const ctx: EngineContext = {
    db: options.db, clock: options.clock ?? systemClock, logger: options.logger ?? consoleLogger("engine"), metrics: options.metrics ?? createMetrics(),
  };
  ctx.metrics.beforeScrape = readDatabaseGauges(ctx, ctx.metrics);
  const events = new EventLog(ctx);
  const admin = new QueueAdmin(ctx);
  const queues = new Queues(ctx, admin);
  const jobs = new Jobs(ctx, queues);
  // chains and the scheduler talk through hooks, never through each other's hosts
  const requests = new Requests(ctx, admin, events, {
    requestsEnded: (sql, now, ended) => endRequestInvocations(sql, now, ended),
  });
  return {
    ctx,
    queues,
    jobs,
    reads: new JobReads(ctx, queues, events),
    bulk: new BulkActions(ctx, queues),
    maintenance: new QueueMaintenance(ctx, jobs),
    scheduler: new Scheduler(ctx, events, options.random, {
      invocationsAborted: (caller, ids) => requests.stopForInvocations(caller, ids),
      requests,
    }),
    requests,
    events,
    feed: new EventFeed(ctx, events, { wakeups: options.eventWakeups ?? "listen" }),
    access: new Access(ctx),
    alerts: new Alerts(ctx, admin),
    tasks: new Tasks(ctx, { wakeups: options.eventWakeups ?? "listen", ...options.tasks }),
    internal: { queues: admin, queue: queueInternal },
  };
}
