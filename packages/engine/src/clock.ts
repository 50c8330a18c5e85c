/**
 * Where the engine gets "now". Every transition passes this time into SQL
 * instead of the database's now(), so tests can fake time (including a clock
 * that moves backwards) and still exercise the real statements.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === "number" ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | number): void {
    this.current = typeof at === "number" ? at : at.getTime();
  }
  advance(millis: number): void {
    this.current += millis;
  }
}
