export { createDatabase, type Database, type DatabaseOptions, type Sql } from "./client.ts";
export { migrate } from "./migrate.ts";
export { Prisma, QueueJobState } from "./generated/prisma/client.ts";
export type { PrismaClient } from "./generated/prisma/client.ts";
export { Backoff, isConnectionError, OutageMonitor, type OutageLog } from "./outage.ts";
