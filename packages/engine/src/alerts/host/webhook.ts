import { DELIVERY_HEADER, signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../signing.ts";

/** A webhook gets this long to answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Of a refusal's response body, this much is kept as the attempt's error. */
const ERROR_BODY_CHARS = 300;

/** What one attempt on a channel came to. */
export interface ChannelResult {
  ok: boolean;
  /** HTTP status or SMTP reply code; null when no answer came. */
  status: number | null;
  error: string | null;
}

/**
 * POSTs a notification's raw JSON body, signed with the rule's secret
 * (`X-Hourglass-Signature: sha256=<hex>` of exactly these bytes), with the
 * attempt's time and the delivery's id. 2xx is accepted; anything else
 * (a redirect too: it is not followed) is a failure to retry.
 */
export async function postWebhook(o: {
  url: string;
  secret: string;
  rawBody: string;
  deliveryId: string;
  attempt: number;
  now: Date;
  signal: AbortSignal;
}): Promise<ChannelResult> {
  try {
    const res = await fetch(o.url, {
      method: "POST",
      body: o.rawBody,
      redirect: "manual",
      signal: AbortSignal.any([o.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      headers: {
        "content-type": "application/json",
        "user-agent": "Hourglass-Alerts/1",
        [SIGNATURE_HEADER]: signBody(o.secret, o.rawBody),
        [TIMESTAMP_HEADER]: String(Math.floor(o.now.getTime() / 1000)),
        [DELIVERY_HEADER]: o.deliveryId,
        "X-Hourglass-Attempt": String(o.attempt),
      },
    });
    const text = await res.text().catch(() => "");
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, error: null };
    const snippet = text.trim().slice(0, ERROR_BODY_CHARS);
    return { ok: false, status: res.status, error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ""}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === "TimeoutError"
      ? `no answer within ${WEBHOOK_TIMEOUT_MS} ms`
      : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, status: null, error: `request failed: ${why}` };
  }
}
