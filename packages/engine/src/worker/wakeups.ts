import pg from "pg";
import type { OutageMonitor } from "@hourglass/db";
import type { Logger } from "../logger.ts";
import { JOBS_CHANNEL, JOBS_DUE_CHANNEL } from "../queue/sql/queryable.ts";

/**
 * LISTENs on the jobs channels with a dedicated connection and reports the
 * queue named in each notification (with, for jobs due later, when the
 * earliest of them is due). Reconnects after a second when the
 * connection drops; the worker's polling covers the gap. Connection loss is
 * reported to the database's OutageMonitor (one log line per outage). Not used on the
 * embedded database, where notifications never reach another connection.
 */
export class JobNotifications {
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly onQueue: (queueName: string, dueAt?: number) => void,
    private readonly logger: Logger,
    private readonly outage?: Pick<OutageMonitor, "failed">,
  ) {}

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: "hourglass-listener" });
    client.on("notification", (n) => {
      if (!n.payload) return;
      if (n.channel !== JOBS_DUE_CHANNEL) return this.onQueue(n.payload);
      const colon = n.payload.indexOf(":");
      this.onQueue(n.payload.slice(colon + 1), Number(n.payload.slice(0, colon)));
    });
    client.on("error", (err) => {
      if (!this.outage?.failed(err)) this.logger.warn("notification connection failed; polling until it is back", { error: err.message });
      this.reconnectSoon();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}; LISTEN ${JOBS_DUE_CHANNEL}`);
      this.client = client;
    } catch (err) {
      if (!this.outage?.failed(err)) this.logger.warn("could not listen for notifications; polling", { error: (err as Error).message });
      client.end().catch(() => {});
      this.reconnectSoon();
    }
  }

  private reconnectSoon(): void {
    const old = this.client;
    this.client = null;
    old?.end().catch(() => {});
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, 1000);
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}
