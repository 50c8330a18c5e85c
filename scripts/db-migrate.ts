// `pnpm db:migrate`: applies prisma/migrations to DATABASE_URL.
import { migrate } from "@hourglass/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const applied = await migrate(url, (line) => console.log(line));
console.log(applied.length ? `applied ${applied.length} migration(s)` : "database is up to date");
