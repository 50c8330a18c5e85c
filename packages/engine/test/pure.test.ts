// Pure pieces of the API layer: scan continuations and error-code mapping.
import { describe, expect, it } from "vitest";
import { errorCodeForIssue } from "../src/api/trpc.ts";
import { CONTINUATION_START, decodeContinuation, encodeContinuation } from "../src/queue/reads.ts";

describe("scan continuations", () => {
  it("round-trip a keyset position and reject anything else", () => {
    const cursor = { runAfter: new Date(Date.UTC(2026, 0, 1)), id: "9007199254740993" };
    expect(decodeContinuation(encodeContinuation(cursor))).toEqual(cursor);
    expect(decodeContinuation(CONTINUATION_START)).toBeNull();
    expect(() => decodeContinuation("not-ours")).toThrow(expect.objectContaining({ code: "CONTINUATION_INVALID" }));
  });
});

describe("validation issues map to PinLater codes by field", () => {
  it.each([
    [["queueName"], "QUEUE_NAME_INVALID"],
    [["name"], "QUEUE_NAME_INVALID"],
    [["jobs", 3, "priority"], "PRIORITY_NOT_SUPPORTED"],
    [["continuation"], "CONTINUATION_INVALID"],
    [["limit"], "INVALID_ARGUMENT"],
    [[], "INVALID_ARGUMENT"],
  ])("%j → %s", (path, code) => {
    expect(errorCodeForIssue(path)).toBe(code);
  });
});
