import { describe, expect, it } from "vitest";
import { checkQueueName, formatJobDescriptor, jobIdsOfQueue, parseJobDescriptor } from "../src/queue/descriptors.ts";
import { BoundedOutput, OUTPUT_LIMIT } from "../src/executors/types.ts";
import { isFinal } from "../src/queue/states.ts";

describe("queue names and job descriptors", () => {
  it("accepts PinLater names and rejects others with the right code", () => {
    expect(checkQueueName("email_send_2")).toBe("email_send_2");
    expect(() => checkQueueName("a b")).toThrow(expect.objectContaining({ code: "QUEUE_NAME_INVALID" }));
    expect(() => checkQueueName("é")).toThrow(expect.objectContaining({ code: "QUEUE_NAME_INVALID" }));
    expect(() => checkQueueName("a".repeat(65))).toThrow(expect.objectContaining({ code: "QUEUE_NAME_TOO_LONG" }));
  });

  it("round-trips descriptors and checks they belong to the queue", () => {
    expect(parseJobDescriptor(formatJobDescriptor("q", "42"))).toEqual({ queueName: "q", id: "42" });
    expect(() => parseJobDescriptor("q:0")).toThrow(/not a job descriptor/);
    expect(() => parseJobDescriptor("q:12345678901234567890")).toThrow(/not a job descriptor/);
    expect(jobIdsOfQueue("q", ["q:1", "q:2"])).toEqual(["1", "2"]);
    expect(() => jobIdsOfQueue("q", ["r:1"])).toThrow(/belongs to queue "r"/);
  });
});

describe("states and output bounds", () => {
  it("knows the final states", () => {
    expect(["PENDING", "IN_PROGRESS", "SUCCEEDED", "FAILED"].map((s) => isFinal(s as never))).toEqual([false, false, true, true]);
  });

  it("keeps at most OUTPUT_LIMIT bytes and says how much it dropped", () => {
    const out = new BoundedOutput();
    out.push(Buffer.alloc(OUTPUT_LIMIT - 1, "x"));
    out.push(Buffer.from("yz"));
    out.push(Buffer.from("more"));
    const text = out.toString();
    expect(text.startsWith("x".repeat(OUTPUT_LIMIT - 1) + "y\n")).toBe(true);
    expect(text.endsWith("[5 more bytes not kept]")).toBe(true);
  });
});
