import { z } from "zod";

/** Hourglass's internal queue of alert notifications: one job per attempt of one delivery. */
export const ALERTS_QUEUE = "hourglass_alerts";
/** The handler executor of ALERTS_QUEUE, registered by the worker's alert part. */
export const DELIVERY_HANDLER = "hourglass.alerts.deliver";
/**
 * Attempts of one job: they cover a worker dying or the database going away
 * mid-attempt. A channel's failure is not one of them: it is recorded on the
 * delivery, whose next attempt is a new job after its backoff.
 */
export const JOB_ATTEMPTS = 3;

const carrier = z.object({
  kind: z.literal("alert_delivery"),
  deliveryId: z.string().regex(/^[1-9][0-9]{0,18}$/),
  attempt: z.int().min(1).max(1000),
});
export type DeliveryCarrier = Omit<z.infer<typeof carrier>, "kind">;

export function encodeDelivery(c: DeliveryCarrier): string {
  return JSON.stringify({ kind: "alert_delivery", deliveryId: c.deliveryId, attempt: c.attempt });
}

/** The carried attempt, or null when `body` is not one. */
export function decodeDelivery(body: string): DeliveryCarrier | null {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = carrier.safeParse(raw);
  return parsed.success ? { deliveryId: parsed.data.deliveryId, attempt: parsed.data.attempt } : null;
}
