/**
 * A text/event-stream response fed by a producer, with backpressure (the
 * producer's `send` waits while the client does not read) and a heartbeat
 * comment whenever nothing was written for `heartbeatMs` (proxies and
 * clients see the connection is alive). The producer stops when the client
 * goes away (`abort` aborts); the response ends when the producer returns.
 */

export interface SseWriter {
  /**
   * Writes SSE text, or messages already encoded (whole messages, each
   * ending in a blank line); waits while the client's buffer is full.
   */
  send(text: string | Uint8Array[]): Promise<void>;
}

export interface SseOptions {
  /** Aborted when the client goes away (the body is cancelled); the owner aborts it to end the stream. */
  abort: AbortController;
  heartbeatMs: number;
  /** The heartbeat's text (a comment, maybe with an `id:` line so a reconnection resumes from there). */
  heartbeat: () => string;
  produce: (writer: SseWriter, signal: AbortSignal) => Promise<void>;
  onError?: (err: unknown) => void;
}

/** Bytes the response may buffer for a slow client before `send` waits. */
const HIGH_WATER_BYTES = 256 * 1024;

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

export function sseResponse(o: SseOptions): Response {
  const abort = o.abort;
  const stop = () => abort.abort();
  const aborted = new Promise<void>((resolve) => abort.signal.addEventListener("abort", () => resolve(), { once: true }));
  const encoder = new TextEncoder();
  let drained: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        let lastWrite = Date.now();
        const write = (text: string | Uint8Array[]) => {
          if (closed) return;
          try {
            controller.enqueue(typeof text === "string" ? encoder.encode(text) : Buffer.concat(text));
            lastWrite = Date.now();
          } catch {
            closed = true; // the client cancelled the body
            stop();
          }
        };
        heartbeat = setInterval(() => {
          if (Date.now() - lastWrite >= o.heartbeatMs - 20) write(o.heartbeat());
        }, o.heartbeatMs);
        const writer: SseWriter = {
          async send(text) {
            write(text);
            while (!closed && !abort.signal.aborted && (controller.desiredSize ?? 1) <= 0) {
              await Promise.race([new Promise<void>((resolve) => (drained = resolve)), aborted]);
            }
          },
        };
        void o.produce(writer, abort.signal)
          .catch((err) => {
            if (!abort.signal.aborted) o.onError?.(err);
          })
          .finally(() => {
            closed = true;
            if (heartbeat) clearInterval(heartbeat);
            try {
              controller.close();
            } catch {
              /* already cancelled by the client */
            }
          });
      },
      pull() {
        drained?.();
        drained = null;
      },
      cancel() {
        if (heartbeat) clearInterval(heartbeat);
        stop();
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
