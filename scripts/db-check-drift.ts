// `pnpm db:check`: fails when prisma/schema.prisma and prisma/migrations/ disagree
// (see packages/db/src/drift.ts). Uses the test server (TEST_DATABASE_URL).
import { findSchemaDrift } from "@hourglass/db/drift";
import { testServerUrl } from "@hourglass/db/testing";

const drift = await findSchemaDrift(testServerUrl(), process.env);
if (drift.onlyInMigrations.length || drift.onlyInSchema.length) {
  console.error("schema.prisma and prisma/migrations disagree:");
  for (const x of drift.onlyInMigrations) console.error(`  only in migrations: ${x}`);
  for (const x of drift.onlyInSchema) console.error(`  only in schema.prisma: ${x}`);
  console.error("Write a new migration (README, Operations) so both describe the same database.");
  process.exit(1);
}
console.log(`schema.prisma and prisma/migrations agree (${drift.compared} catalog entries compared)`);
