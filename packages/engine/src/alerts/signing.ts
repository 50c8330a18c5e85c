import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body, keyed with the rule's secret>`. */
export const SIGNATURE_HEADER = "X-Hourglass-Signature";
/** Unix seconds when the attempt was sent (the body's `sentAt` says the same, and is signed). */
export const TIMESTAMP_HEADER = "X-Hourglass-Timestamp";
/** The delivery's id: the same on every retry of one notification, so a receiver can drop repeats. */
export const DELIVERY_HEADER = "X-Hourglass-Delivery";

/** `sha256=<hex>` of `rawBody` with `secret`. */
export function signBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

/** Whether `header` is the signature of `rawBody` with `secret` (constant-time), as a receiver checks it. */
export function verifySignature(secret: string, rawBody: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
