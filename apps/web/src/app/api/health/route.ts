// Liveness: the web process is up and serving. It does not touch the
// database, so a process manager does not restart the web app for an outage
// it rides out by itself (use /api/health/ready for that).
export const dynamic = "force-dynamic";

const startedAt = Date.now();

export function GET() {
  return Response.json({ status: "ok", uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
}
