import { describe, expect, it } from "vitest";
import { FormError, readNumber } from "../src/lib/form-number.ts";
import { createInput, formFromQueue } from "../src/lib/queue-settings.ts";

describe("form numbers", () => {
  it("say what is wrong in the field's own unit", () => {
    expect(() => readNumber("Attempts allowed", "abc", { min: 1, integer: true })).toThrow('Attempts allowed: enter a number, not "abc"');
    expect(() => readNumber("Attempts allowed", "1.5", { min: 1, integer: true })).toThrow("Attempts allowed: enter a whole number");
    expect(() => readNumber("Claim timeout (s)", "0.5", { min: 1, scale: 1000 })).toThrow("Claim timeout (s): at least 1 s");
    expect(() => readNumber("Keep failed (h)", "9000", { max: 8760 })).toThrow("Keep failed (h): at most 8,760 h");
    expect(() => readNumber("Run after (s)", "", {})).toThrow(FormError);
    expect(readNumber("Claim timeout (s)", " 2.5 ", { min: 1, scale: 1000 })).toBe(2500);
    expect(readNumber("Rate limit (jobs/s)", "0.5", { min: 0 })).toBe(0.5);
  });

  it("the queue form checks the server's bounds before sending, in seconds and hours", () => {
    const f = formFromQueue();
    expect(() => createInput({ ...f, name: "q", claimTimeoutSeconds: "0.2" })).toThrow("Claim timeout (s): at least 1 s");
    expect(() => createInput({ ...f, name: "q", rateLimit: "fast" })).toThrow('Rate limit (jobs/s): enter a number of jobs/s, not "fast"');
    expect(() => createInput({ ...f, name: "q", kind: "http", url: "http://x", timeoutSeconds: "7200" })).toThrow("Timeout (s): at most 3,600 s");
    expect(createInput({ ...f, name: "q", claimTimeoutSeconds: "90" }).claimTimeoutMillis).toBe(90_000);
  });
});
