import { describe, expect, it } from "vitest";
import { formatCount, formatMillis, relativeTime } from "../src/lib/format.ts";

describe("dashboard formatting", () => {
  it("marks capped counts", () => {
    expect(formatCount(42, 10_000)).toBe("42");
    expect(formatCount(10_000, 10_000)).toBe("10,000+");
  });

  it("shows durations in the largest whole unit", () => {
    expect([86_400_000, 7_200_000, 300_000, 5000, 1500].map(formatMillis)).toEqual(["1 d", "2 h", "5 min", "5 s", "1500 ms"]);
  });

  it("describes times relative to now, in weeks, months and years beyond a week", () => {
    const now = Date.UTC(2026, 0, 10, 12);
    expect(relativeTime(now + 300, now)).toBe("now");
    expect(relativeTime(now - 120_000, now)).toMatch(/2 minutes ago/);
    expect(relativeTime(now + 3 * 3_600_000, now)).toMatch(/in 3 hours/);
    expect(relativeTime(now - 30 * 86_400_000, now)).toBe("last month");
    expect(relativeTime(now - 15 * 86_400_000, now)).toBe("2 weeks ago");
  });
});
