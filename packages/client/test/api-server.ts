import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApiRequest, type TestEngine } from "./engine.ts";

/**
 * The Hourglass API over real HTTP on 127.0.0.1 (a free port) around the real
 * handler, as the web app serves it at /api/trpc; `extra` serves other paths.
 */
export async function startApiServer(
  t: TestEngine,
  extra: Record<string, () => Response | Promise<Response>> = {},
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = extra[new URL(req.url ?? "/", "http://127.0.0.1").pathname];
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const response = route ? await route() : await handleApiRequest(request, t.engine);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}
