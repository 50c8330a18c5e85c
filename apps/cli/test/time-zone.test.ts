// The CLI prints every time with its zone: the process's own (TZ), or the
// one --time-zone / HOURGLASS_TIME_ZONE names; an unknown zone is refused
// before any call is made.
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { day, setDisplayZone, time } from "../src/format.ts";

const at = Date.UTC(2026, 11, 2, 14, 5, 9);

afterEach(() => setDisplayZone(undefined));

describe("times with their zone", () => {
  it("prints the wall clock of the chosen zone and names it", () => {
    setDisplayZone("UTC");
    expect(time(at)).toBe("2026-12-02 14:05:09 UTC");
    setDisplayZone("Europe/Berlin");
    expect(time(at)).toBe("2026-12-02 15:05:09 +01:00");
    setDisplayZone("America/New_York");
    expect(time(at)).toBe("2026-12-02 09:05:09 -05:00");
    expect(day(Date.UTC(2026, 11, 2, 3, 0))).toBe("2026-12-01");
    setDisplayZone("Asia/Kolkata");
    expect(time(Date.UTC(2026, 5, 1, 23, 30))).toBe("2026-06-02 05:00:00 +05:30");
    expect(time(null)).toBe("-");
  });

  it("uses the process's zone unless told otherwise, always with its zone", () => {
    setDisplayZone(undefined);
    expect(time(at)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (UTC|[+-]\d{2}:\d{2})$/);
  });

  it("refuses an unknown --time-zone before calling anything", async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (c) => (err += c));
    const code = await main(["--time-zone", "Mars/Olympus", "find"], {
      stdout, stderr, env: { HOURGLASS_ADDR: "http://127.0.0.1:9" }, home: "/nonexistent", readFile: () => null, interactive: false,
    });
    expect(code).not.toBe(0);
    expect(err).toBe('hourglass: --time-zone "Mars/Olympus" is not a time zone (e.g. UTC, Europe/Berlin)\n');
  });
});
