// DueList: items handed over in due order, a jumping clock noticed within the
// wait bound, the cap, and stop() returning what had not fallen due.
import { expect, it } from "vitest";
import { ManualClock } from "../src/clock.ts";
import { DueList } from "../src/worker/due-list.ts";
import { until } from "./helpers.ts";

it("hands items over once the clock reaches them, earliest first, in batches", async () => {
  const clock = new ManualClock(1_000_000);
  const got: string[][] = [];
  const list = new DueList<string>(clock, 10, (items) => got.push(items));
  list.add([{ at: 1_000_300, item: "c" }, { at: 1_000_100, item: "a" }, { at: 1_000_200, item: "b" }]);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual([]); // the manual clock has not moved
  clock.set(1_000_200); // jumps: noticed within the 10 ms bound
  await until(async () => got.length === 1, "the first batch");
  expect(got).toEqual([["a", "b"]]);
  expect(list.size).toBe(1);
  expect(list.stop()).toEqual(["c"]);
  clock.set(1_000_300);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toHaveLength(1); // stopped
});

it("keeps at most `cap` entries, dropping the latest", () => {
  const list = new DueList<number>(new ManualClock(0), 10, () => {}, 2);
  list.add([{ at: 30, item: 3 }, { at: 10, item: 1 }, { at: 20, item: 2 }]);
  expect(list.items()).toEqual([1, 2]);
  expect(list.has(20)).toBe(true);
  list.stop();
});
