import { describe, expect, it } from "vitest";
import { formatAbsolute, fromWallClockInput, isValidZone, resolveZone, toWallClockInput } from "../src/lib/time-format.ts";

const at = Date.UTC(2026, 11, 2, 14, 5, 9); // 2026-12-02 14:05:09 UTC

describe("times in a chosen zone", () => {
  it("prints the absolute time with a 24-hour clock and the zone's name", () => {
    expect(formatAbsolute(at, "UTC")).toBe("2026-12-02 14:05:09 UTC");
    expect(formatAbsolute(at, "Europe/Berlin")).toMatch(/^2026-12-02 15:05:09 (GMT\+1|CET)$/);
    expect(formatAbsolute(at, "America/New_York")).toBe("2026-12-02 09:05:09 EST");
    expect(formatAbsolute(Date.UTC(2026, 5, 1, 23, 30), "Asia/Kolkata")).toMatch(/^2026-06-02 05:00:00 GMT\+5:30$/);
    expect(formatAbsolute(Date.UTC(2026, 0, 1, 0, 0), "UTC", { seconds: false, zone: false })).toBe("2026-01-01 00:00");
  });

  it("knows which zones exist and falls back to the local zone for others", () => {
    expect(isValidZone("Europe/Berlin")).toBe(true);
    expect(isValidZone("Mars/Olympus")).toBe(false);
    expect(isValidZone("")).toBe(false);
    expect(resolveZone("UTC")).toBe("UTC");
    expect(resolveZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(resolveZone("Mars/Olympus")).toBe(resolveZone("local"));
  });

  it("reads a datetime-local value as a wall clock in the zone, and back", () => {
    expect(fromWallClockInput("2026-12-02T14:05", "UTC")).toBe(Date.UTC(2026, 11, 2, 14, 5));
    expect(fromWallClockInput("2026-12-02T15:05", "Europe/Berlin")).toBe(Date.UTC(2026, 11, 2, 14, 5));
    expect(fromWallClockInput("2026-07-01T12:00", "America/New_York")).toBe(Date.UTC(2026, 6, 1, 16, 0));
    expect(toWallClockInput(Date.UTC(2026, 11, 2, 14, 5), "Asia/Tokyo")).toBe("2026-12-02T23:05");
    expect(fromWallClockInput("yesterday", "UTC")).toBeUndefined();
    expect(fromWallClockInput("2026-13-01T00:00", "UTC")).toBeUndefined();
  });

  it("handles DST changes: a repeated hour is its first occurrence, a skipped one moves forward", () => {
    // Europe/Berlin 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens twice
    expect(fromWallClockInput("2026-10-25T02:30", "Europe/Berlin")).toBe(Date.UTC(2026, 9, 25, 0, 30));
    // 2026-03-29 02:00 CET -> 03:00 CEST: 02:30 does not exist
    expect(fromWallClockInput("2026-03-29T02:30", "Europe/Berlin")).toBe(Date.UTC(2026, 2, 29, 1, 30)); // 03:30 CEST
  });
});
