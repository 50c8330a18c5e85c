import pg from "pg";
import type { OutageMonitor } from "@hourglass/db";
import type { Logger } from "../logger.ts";

/** The channel the event log's trigger notifies on after every insert (migration 20261202000000_event_log). */
export const EVENTS_CHANNEL = "hourglass_events";

/**
 * One dedicated connection LISTENing on the event log's channel: `onWake` for
 * every notification, `onConnected` each time the LISTEN is in place (the
 * first time and after every reconnection, when notifications may have been
 * missed, so the reader looks at the log once). A dropped connection is
 * reconnected after a second and reported to the OutageMonitor (one log line
 * per outage), as the worker's JobNotifications are.
 */
export class EventNotifications {
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly onWake: (payload?: string) => void,
    private readonly onConnected: () => void,
    private readonly logger: Logger,
    private readonly outage?: OutageMonitor,
    /** Another channel than the event log's (the tasks' claimWork wake-ups: tasks/host/wakeups.ts). */
    private readonly channel: string = EVENTS_CHANNEL,
  ) {}

  /** Connects (once; later calls wait for the same attempt). */
  start(): Promise<void> {
    this.closed = false;
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** Whether the LISTEN is in place now. */
  get listening(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: "hourglass-events" });
    client.on("notification", (n) => this.onWake(n.payload));
    client.on("error", (err) => {
      if (!this.outage?.failed(err)) {
        this.logger.warn("event notification connection failed; reconnecting", { error: err.message });
      }
      this.reconnectSoon(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.onConnected();
    } catch (err) {
      if (!this.outage?.failed(err)) {
        this.logger.warn("could not listen for events; retrying", { error: (err as Error).message });
      }
      client.end().catch(() => {});
      this.reconnectSoon(null);
    }
  }

  private reconnectSoon(failed: pg.Client | null): void {
    if (failed && this.client === failed) this.client = null;
    failed?.end().catch(() => {});
    if (this.closed || this.retry || this.client) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, 1000);
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
