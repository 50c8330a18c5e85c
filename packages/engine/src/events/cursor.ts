/**
 * A position in the log: "<tx>.<id>" of the last event read. Readers that
 * follow the log order events by (tx, id) — the writing transaction, then the
 * row — and stop before any transaction still running, so the order is final:
 * nothing can commit later behind a cursor. "0.0" is the beginning.
 */
export interface Cursor {
  tx: bigint;
  id: bigint;
}

export const START: Cursor = { tx: 0n, id: 0n };

export function formatCursor(c: Cursor): string {
  return `${c.tx}.${c.id}`;
}

/** Parses a cursor; undefined for anything else (a client's Last-Event-ID is input). */
export function parseCursor(text: string | null | undefined): Cursor | undefined {
  const m = /^(\d{1,19})\.(\d{1,19})$/.exec(text?.trim() ?? "");
  if (!m) return undefined;
  return { tx: BigInt(m[1]!), id: BigInt(m[2]!) };
}
