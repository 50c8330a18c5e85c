import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";

/** The default bound on one API request's body (16 MiB): 10,000 jobs of 1 KB fit with room to spare. */
export const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * The request with its body read into memory, or null when the body is
 * larger than `maxBytes`. A declared Content-Length over the limit is refused
 * without reading; otherwise the body is counted as it streams (a missing or
 * false Content-Length does not help), and reading stops at the limit.
 */
export async function bufferBoundedBody(req: Request, maxBytes: number): Promise<Request | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await req.body?.cancel().catch(() => {});
    return null;
  }
  if (!req.body) return req;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const headers = new Headers(req.headers);
  headers.delete("content-length"); // the new body's own length applies
  return new Request(req.url, { method: req.method, headers, body: Buffer.concat(chunks), signal: req.signal });
}

/** An error answered before tRPC runs, in the shape of every other API error (tRPC's envelope, data.errorCode). */
function errorResponse(
  code: "PAYLOAD_TOO_LARGE" | "BAD_REQUEST",
  httpStatus: number,
  errorCode: string,
  message: string,
): Response {
  const body = { error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus, errorCode } } };
  return Response.json(body, { status: httpStatus });
}

export function requestTooLarge(maxBytes: number): Response {
  const message = `the request body is larger than ${maxBytes} bytes, the API's limit; send fewer items per call`;
  return errorResponse("PAYLOAD_TOO_LARGE", 413, "REQUEST_TOO_LARGE", message);
}

/** The client went away or sent a broken body (a stream error, not a size). */
export function unreadableBody(err: unknown): Response {
  const message = `the request body could not be read: ${(err as Error).message}`;
  return errorResponse("BAD_REQUEST", 400, "INVALID_ARGUMENT", message);
}
