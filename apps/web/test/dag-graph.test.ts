import { describe, expect, it } from "vitest";
import { criticalPath, type TimedNode } from "../src/components/dag/critical-path.ts";
import { formatDuration } from "../src/components/dag/duration.ts";
import { boxHeight, initialViewport, READABLE_ZOOM } from "../src/components/dag/viewport.ts";

const T = Date.parse("2026-01-01T00:00:00Z");
const ran = (id: string, deps: string[], start: number, end: number | null): TimedNode =>
  ({ id, deps, startedAt: T + start, finishedAt: end === null ? null : T + end });

describe("critical path", () => {
  it("follows the dependencies whose durations add up to the most, root to leaf", () => {
    // a → (b: 5 s | c: 1 s) → d; b's branch is the long one even though c finished later
    const nodes = [ran("a", [], 0, 1000), ran("b", ["a"], 1000, 6000), ran("c", ["a"], 5000, 6500), ran("d", ["b", "c"], 6500, 7000)];
    expect(criticalPath(nodes, T + 10_000)).toEqual(["a", "b", "d"]);
  });

  it("counts a running node up to now and a pending one as nothing", () => {
    const nodes = [ran("a", [], 0, 1000), ran("slow", ["a"], 1000, null), ran("quick", ["a"], 1000, 2000),
      { id: "later", deps: ["quick"], startedAt: null, finishedAt: null }];
    expect(criticalPath(nodes, T + 3000)).toEqual(["a", "slow"]);
    expect(criticalPath(nodes, T + 1500)).toEqual(["a", "quick"]);
  });

  it("is empty when nothing ran, stable on ties, and ignores unknown deps and cycles", () => {
    expect(criticalPath([{ id: "a", deps: [], startedAt: null, finishedAt: null }], T)).toEqual([]);
    const tie = [ran("a", [], 0, 1000), ran("b", [], 0, 1000)];
    expect(criticalPath(tie, T)).toEqual(["a"]);
    expect(criticalPath([ran("a", ["ghost"], 0, 10)], T)).toEqual(["a"]);
    expect(criticalPath([ran("a", ["b"], 0, 10), ran("b", ["a"], 0, 20)], T).length).toBeGreaterThan(0);
  });
});

describe("graph viewport", () => {
  it("fits a small graph whole, centred", () => {
    const v = initialViewport({ width: 400, height: 100 }, { width: 1000, height: 500 });
    expect(v.zoom).toBe(1.25);
    expect(v.x).toBeCloseTo((1000 - 400 * 1.25) / 2);
    expect(v.y).toBeCloseTo((500 - 100 * 1.25) / 2);
  });

  it("opens a graph too big to fit at the readable zoom from its top-left corner", () => {
    // a 52-job chain: 12 parallel sequences laid out left to right
    const v = initialViewport({ width: 1800, height: 1100 }, { width: 1000, height: 600 });
    expect(v).toEqual({ x: 16, y: 16, zoom: READABLE_ZOOM });
    expect(12 * v.zoom).toBeGreaterThanOrEqual(10); // the smallest text of a node, in px
    // wide but short: centred vertically
    const w = initialViewport({ width: 3000, height: 200 }, { width: 390, height: 400 });
    expect(w.zoom).toBe(READABLE_ZOOM);
    expect(w.y).toBeCloseTo((400 - 200 * READABLE_ZOOM) / 2);
  });

  it("grows the box for a tall graph, within bounds", () => {
    expect(boxHeight(100, 320, 800)).toBe(320);
    expect(boxHeight(600, 320, 800)).toBe(Math.round(600 * READABLE_ZOOM + 32));
    expect(boxHeight(5000, 320, 800)).toBe(800);
  });
});

describe("node durations", () => {
  it("reads at a glance", () => {
    expect([340, 4200, 185_000, 7_800_000].map(formatDuration)).toEqual(["340 ms", "4.2 s", "3 min 5 s", "2 h 10 min"]);
    expect(formatDuration(120_000)).toBe("2 min");
  });
});
