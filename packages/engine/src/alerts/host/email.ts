import nodemailer from "nodemailer";
import type { ChannelResult } from "./webhook.ts";

/** The worker's own SMTP server (HOURGLASS_SMTP_URL) and sender (HOURGLASS_ALERT_FROM). */
export interface SmtpSettings {
  /** smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (TLS from the start); null = none. */
  url: string | null;
  /** Default sender of alert mail. */
  from: string;
}

/** A rule's own SMTP server (its password read from the rule's secrets). */
export interface RuleSmtp {
  host: string;
  port: number;
  secure: boolean;
  username?: string;
  password?: string;
}

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/**
 * Sends one mail over SMTP with nodemailer: the rule's server when it names
 * one, else the worker's. Accepted (2xx reply to the message) or not; the
 * server's reply code is the attempt's status.
 */
export async function sendMail(o: {
  settings: SmtpSettings;
  server: RuleSmtp | undefined;
  from: string | undefined;
  to: string[];
  subject: string;
  text: string;
  json: string;
  deliveryId: string;
}): Promise<ChannelResult> {
  const transport = o.server
    ? nodemailer.createTransport({
        host: o.server.host, port: o.server.port, secure: o.server.secure, ...TIMEOUTS,
        ...(o.server.username && { auth: { user: o.server.username, pass: o.server.password ?? "" } }),
      })
    : o.settings.url
      ? nodemailer.createTransport({ ...smtpUrlOptions(o.settings.url), ...TIMEOUTS })
      : null;
  if (!transport) {
    return { ok: false, status: null, error: "no SMTP server: set HOURGLASS_SMTP_URL on the workers, or give the rule its own" };
  }
  try {
    const info = await transport.sendMail({
      from: o.from ?? o.settings.from,
      to: o.to,
      subject: o.subject,
      text: o.text,
      headers: { "X-Hourglass-Delivery": o.deliveryId },
      attachments: [{ filename: "alert.json", content: o.json, contentType: "application/json" }],
    });
    const rejected = (info.rejected as unknown[] | undefined)?.length ?? 0;
    const status = replyCode(info.response);
    if (rejected > 0 && (info.accepted as unknown[]).length === 0) {
      return { ok: false, status, error: `every recipient was refused: ${info.response}` };
    }
    return { ok: true, status, error: rejected > 0 ? `${rejected} recipient(s) refused` : null };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    return { ok: false, status: e.responseCode ?? null, error: `SMTP: ${e.code ? `${e.code} ` : ""}${e.message}`.slice(0, 500) };
  } finally {
    transport.close();
  }
}

interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
}

/** smtp://user:pass@host:port or smtps://… as nodemailer's options (user and password percent-decoded). */
export function smtpUrlOptions(url: string): SmtpOptions {
  const u = new URL(url);
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") {
    throw new RangeError(`an SMTP URL is smtp:// or smtps://, not ${u.protocol}`);
  }
  const secure = u.protocol === "smtps:";
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = u.port ? Number(u.port) : secure ? 465 : 587;
  const auth = u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined;
  return { host, port, secure, ...(auth && { auth }) };
}

function replyCode(response: unknown): number | null {
  const m = typeof response === "string" ? /^(\d{3})/.exec(response) : null;
  return m ? Number(m[1]) : null;
}
