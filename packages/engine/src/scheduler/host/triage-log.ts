/** A triage log keeps at most this many lines. */
export const TRIAGE_LOG_LINES = 200;

/** One triage's log: `[NNN ms] message` lines, timed from `t0` (performance.now()). */
export class TriageLog {
  private readonly lines: string[] = [];

  constructor(private readonly t0: number) {}

  say(message: string): void {
    this.lines.push(`[${String(Math.round(performance.now() - this.t0)).padStart(3, "0")} ms] ${message}`);
  }

  /** The lines with a closing "done", newest kept when over the cap. */
  done(): string[] {
    this.say("done");
    return this.lines.slice(-TRIAGE_LOG_LINES);
  }
}
