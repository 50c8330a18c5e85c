// Readiness: 200 when the database answers within 2 s, else 503, so a load
// balancer sends no traffic while the database is away.
import { checkDatabase } from "@hourglass/engine";
import { getEngine } from "@/lib/engine";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase(getEngine().ctx);
  return Response.json({ status: database.ok ? "ready" : "unavailable", database }, { status: database.ok ? 200 : 503 });
}
