// A web process for the event-stream process test and `pnpm bench:events`:
// the engine the web app builds (its own pool, the live feed LISTENing) and
// the handlers its /api/events and /api/events/changes routes delegate to,
// over Node's HTTP server instead of Next.js. Prints "listening <port>".
//   DATABASE_URL=… PORT=0 node --import tsx test/web-events-server.ts
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDatabase } from "@hourglass/db";
import { handleChangesRequest, handleEventStreamRequest } from "../src/api/event-stream.ts";
import { createEngine } from "../src/engine.ts";
import { silentLogger } from "../src/logger.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const db = createDatabase(url, { applicationName: "hourglass-web-test", outageLog: () => {} });
const engine = createEngine({ db, logger: silentLogger, eventWakeups: process.env.HOURGLASS_WAKEUPS === "poll" ? "poll" : "listen" });
const routes: Record<string, typeof handleEventStreamRequest> = {
  "/api/events": handleEventStreamRequest,
  "/api/events/changes": handleChangesRequest,
};

const server = createServer(async (req, res) => {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url}`, {
    method: req.method, headers: req.headers as Record<string, string>, signal: abort.signal,
  });
  const route = routes[new URL(request.url).pathname];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  try {
    const response = await route(request, engine);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  } catch (err) {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(err));
  }
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});

const stop = async () => {
  server.closeAllConnections();
  server.close();
  await engine.feed.close();
  await db.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
