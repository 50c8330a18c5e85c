/**
 * A server-sent events client as a browser's EventSource behaves, for tests
 * and the benchmark: it parses the stream, remembers the last event id (an
 * `id:` line sets it even without data), and after the stream ends or fails
 * reconnects after the server's `retry:` delay with `Last-Event-ID`.
 */
export interface SseMessage {
  id: string;
  event: string;
  data: string;
  /** Date.now() when the message was complete. */
  receivedAt: number;
}

export class SseClient {
  readonly messages: SseMessage[] = [];
  lastId = "";
  /** How many times a stream was opened and answered 200. */
  connects = 0;
  /** Status of the last answer that was not 200, if any. */
  refused: number | null = null;
  private retryMs = 1000;
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;

  /** `keep: false` keeps no messages (only `onMessage` sees them): for a benchmark's many thousands. */
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly onMessage?: (m: SseMessage) => void,
    private readonly keep = true,
  ) {}

  /** Messages that carried data (events, not only an id or a comment). */
  get data(): SseMessage[] {
    return this.messages.filter((m) => m.data !== "");
  }

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const headers = { ...this.headers, accept: "text/event-stream", ...(this.lastId ? { "last-event-id": this.lastId } : {}) };
        const res = await fetch(this.url, { headers, signal: this.abort.signal });
        if (res.status !== 200 || !res.body) {
          this.refused = res.status;
          await res.body?.cancel();
        } else {
          this.connects++;
          await this.read(res.body);
        }
      } catch {
        /* the server went away: retry */
      }
      if (this.abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, this.retryMs));
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buf = "";
    let msg = { id: this.lastId, event: "", data: [] as string[] };
    for await (const chunk of body) {
      buf += decoder.decode(chunk, { stream: true });
      let start = 0;
      let nl: number;
      while ((nl = buf.indexOf("\n", start)) >= 0) {
        const line = buf.slice(start, nl).replace(/\r$/, "");
        start = nl + 1;
        if (line === "") {
          this.lastId = msg.id;
          if (msg.data.length > 0) {
            const m = { id: msg.id, event: msg.event || "message", data: msg.data.join("\n"), receivedAt: Date.now() };
            if (this.keep) this.messages.push(m);
            this.onMessage?.(m);
          }
          msg = { id: this.lastId, event: "", data: [] };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") msg.id = value;
        else if (field === "event") msg.event = value;
        else if (field === "data") msg.data.push(value);
        else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
      }
      buf = buf.slice(start);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running?.catch(() => {});
  }
}
