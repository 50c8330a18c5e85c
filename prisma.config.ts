// Prisma 7 CLI configuration (used by `prisma generate`). Migrations are
// applied by packages/db/src/migrate.ts, which works offline; see README.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // process.env, not env(): generate must work when DATABASE_URL is unset.
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://unused@127.0.0.1/unused" },
});
