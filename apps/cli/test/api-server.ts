import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApiRequest } from "@hourglass/engine/api";
import type { TestEngine } from "@hourglass/engine/testing";

/** A route the test serves itself (e.g. /api/session, which the web app serves outside tRPC). */
export type ExtraRoute = (req: IncomingMessage, body: Buffer, res: ServerResponse) => unknown;

/**
 * The Hourglass API over real HTTP on 127.0.0.1 (a free port), as the web app
 * serves it: every other request goes to handleApiRequest with the test's engine.
 */
export async function startApiServer(t: TestEngine, extra: Record<string, ExtraRoute> = {}): Promise<{ server: Server; addr: string }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = extra[req.url ?? ""];
    if (route) {
      await route(req, Buffer.concat(chunks), res);
      return;
    }
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method, headers: req.headers as Record<string, string>, body: req.method === "GET" ? undefined : Buffer.concat(chunks),
    });
    const response = await handleApiRequest(request, t.engine);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, addr: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
