export { createDatabase, type Database, type DatabaseOptions } from "./client.ts";
export { migrate } from "./migrate.ts";
export { Prisma, QueueJobState } from "./generated/prisma/client.ts";
export type { PrismaClient } from "./generated/prisma/client.ts";
