// Batcher: how calls coalesce into batches, how many run at once, and idle().
import { describe, expect, it } from "vitest";
import { Batcher } from "../src/batcher.ts";

/** A run function whose batches finish only when the test releases them. */
function gated() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => gates.push(() => resolve(items.map((i) => i * 10))));
  };
  return { batches, run, release: () => gates.shift()!() };
}
const turn = () => new Promise((r) => setImmediate(r));

describe("Batcher", () => {
  it("sends the calls of one event-loop turn together and the calls made meanwhile in the next batch", async () => {
    const g = gated();
    const b = new Batcher(g.run);
    const first = [1, 2, 3].map((i) => b.add(i));
    await turn();
    expect(g.batches).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((i) => b.add(i));
    await turn();
    expect(g.batches).toHaveLength(1); // one batch in flight at a time
    g.release();
    expect(await Promise.all(first)).toEqual([10, 20, 30]);
    await turn();
    expect(g.batches).toEqual([[1, 2, 3], [4, 5]]);
    g.release();
    expect(await Promise.all(second)).toEqual([40, 50]);
  });

  it("caps a batch at maxBatch and runs up to `parallel` batches at once", async () => {
    const g = gated();
    const b = new Batcher(g.run, 2, 2);
    const all = [1, 2, 3, 4, 5].map((i) => b.add(i));
    await turn();
    expect(g.batches).toEqual([[1, 2], [3, 4]]);
    g.release();
    await turn();
    expect(g.batches).toEqual([[1, 2], [3, 4], [5]]);
    g.release();
    g.release();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
  });

  it("idle() resolves once nothing is queued or in flight", async () => {
    const g = gated();
    const b = new Batcher(g.run);
    await b.idle(); // idle from the start
    const call = b.add(1);
    let idle = false;
    void b.idle().then(() => (idle = true));
    await turn();
    expect(idle).toBe(false);
    g.release();
    await call;
    await turn();
    expect(idle).toBe(true);
  });

  it("gives every caller of a failed batch its error", async () => {
    const b = new Batcher<number, number>(async () => { throw new Error("boom"); });
    await expect(Promise.all([b.add(1), b.add(2)])).rejects.toThrow("boom");
    await expect(b.add(3)).rejects.toThrow("boom");
  });
});
