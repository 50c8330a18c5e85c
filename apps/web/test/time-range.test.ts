import { describe, expect, it } from "vitest";
import { formatArgsFilter, parseArgsFilter } from "../src/lib/args-filter.ts";
import { rangeBounds, rangeProblem } from "../src/lib/time-range.ts";

const NOW = Date.UTC(2026, 11, 2, 12, 0);

describe("time ranges", () => {
  it("count relative ranges back from now and leave 'any time' open", () => {
    expect(rangeBounds({ range: "1h", from: "", to: "" }, NOW, "UTC")).toEqual({ since: NOW - 3_600_000 });
    expect(rangeBounds({ range: "7d", from: "x", to: "y" }, NOW, "UTC")).toEqual({ since: NOW - 7 * 86_400_000 });
    expect(rangeBounds({ range: "all", from: "", to: "" }, NOW, "UTC")).toEqual({});
  });

  it("read a custom range's ends in the chosen zone", () => {
    const r = { range: "custom" as const, from: "2026-12-01T09:00", to: "2026-12-01T10:30" };
    expect(rangeBounds(r, NOW, "UTC")).toEqual({ since: Date.UTC(2026, 11, 1, 9), until: Date.UTC(2026, 11, 1, 10, 30) });
    expect(rangeBounds(r, NOW, "Asia/Tokyo")).toEqual({ since: Date.UTC(2026, 11, 1, 0), until: Date.UTC(2026, 11, 1, 1, 30) });
    expect(rangeBounds({ range: "custom", from: "", to: "2026-12-01T10:30" }, NOW, "UTC")).toEqual({ until: Date.UTC(2026, 11, 1, 10, 30) });
  });

  it("say what is wrong with a custom range", () => {
    expect(rangeProblem({ range: "custom", from: "2026-12-02T10:00", to: "2026-12-01T10:00" }, "UTC")).toBe("the range ends before it starts");
    expect(rangeProblem({ range: "custom", from: "soon", to: "" }, "UTC")).toBe('"soon" is not a date and time');
    expect(rangeProblem({ range: "24h", from: "soon", to: "" }, "UTC")).toBeUndefined();
  });
});

describe("the args filter", () => {
  it("reads name=value words and writes them back", () => {
    expect(parseArgsFilter(" env=prod  url=a=b ")).toEqual({ args: { env: "prod", url: "a=b" } });
    expect(parseArgsFilter("")).toEqual({ args: {} });
    expect(parseArgsFilter("env").problem).toBe('"env" is not name=value');
    expect(parseArgsFilter("=x").problem).toBe('"=x" is not name=value');
    expect(formatArgsFilter({ env: "prod", url: "a=b" })).toBe("env=prod url=a=b");
  });
});
