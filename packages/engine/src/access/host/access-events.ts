/**
 * The events of access control: sign-ins, sessions, tokens, principals and
 * roles. They belong to no project of their own, so they are recorded in the
 * reserved pseudo-project INSTALLATION_PROJECT; only holders of access:manage
 * see them (events/feed-match.ts visibleTo), whatever project a name says.
 * Written on the transaction that makes the change, never with a secret.
 */
import type { Prisma } from "@hourglass/db";
import type { EntityKind } from "../../events/kinds.ts";

/** The project of installation-wide events (access control). */
export const INSTALLATION_PROJECT = "hourglass";

/** The actor of the access config file's changes. */
export const ACCESS_CONFIG_ACTOR = "system:access-config";

/** The actor of a sign-in that did not authenticate anyone. */
export const ANONYMOUS_ACTOR = "anonymous";

export interface AccessEvent {
  at: Date;
  entityKind: Extract<EntityKind, "principal" | "token" | "role" | "session">;
  entityId: string;
  action: string;
  from?: string | null;
  to?: string | null;
  reason?: string;
  actor: string;
  payload?: Record<string, unknown> | null;
}

/** Appends `e` on `tx`, the Prisma transaction that makes the change it records. */
export async function recordAccessEvent(tx: Prisma.TransactionClient, e: AccessEvent): Promise<void> {
  const payload = e.payload ? JSON.stringify(e.payload) : null;
  await tx.$executeRaw`
    INSERT INTO event_log (at, project, entity_kind, entity_id, action, from_state, to_state, reason, actor, payload)
    VALUES (${e.at}, ${INSTALLATION_PROJECT}, ${e.entityKind}, ${e.entityId}, ${e.action}, ${e.from ?? null}, ${e.to ?? null},
            ${e.reason ?? ""}, ${e.actor}, ${payload}::jsonb)`;
}

/** A principal's state, as its events' from / to name it. */
export const principalState = (disabled: boolean) => (disabled ? "DISABLED" : "ACTIVE");

/** The public name of a session in events: a prefix of its id's hash (never the cookie's secret). */
export const sessionRef = (idHash: string) => idHash.slice(0, 16);

/** field → { from, to } for each field of `after` (not undefined) whose value differs from `before`'s, compared as JSON. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

export function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const field of Object.keys(after)) {
    if (after[field] === undefined) continue;
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null)) {
      changes[field] = { from: before[field] ?? null, to: after[field] ?? null };
    }
  }
  return changes;
}
