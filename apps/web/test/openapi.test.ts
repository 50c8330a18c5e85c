import { appRouter, openApiDocument } from "@hourglass/engine/api";
import { describe, expect, it } from "vitest";
import { GET } from "../src/app/api/openapi.json/route";
import { curlOf, operationsByTag } from "../src/lib/openapi-view";
import { isDashboardPage } from "../src/lib/sign-in-paths";

const doc = openApiDocument(appRouter);

describe("/api/openapi.json", () => {
  it("serves the document to anyone (an API path: no sign-in redirect)", async () => {
    expect(isDashboardPage("/api/openapi.json")).toBe(false);
    const res = GET();
    expect(res.status).toBe(200);
    const served = await res.json();
    expect(served.openapi).toBe("3.1.0");
    expect(Object.keys(served.paths)).toContain("/api/trpc/queues.enqueueJobs");
  });
});

describe("the API reference page's view of it", () => {
  const groups = operationsByTag(doc);
  const find = (id: string) => groups.flatMap((g) => g.operations).find((o) => o.id === id)!;

  it("lists every procedure once, under its router", () => {
    const ids = groups.flatMap((g) => g.operations.map((o) => o.id));
    expect(ids.sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
    expect(groups.map((g) => g.tag)).toEqual(expect.arrayContaining(["queues", "scheduler", "requests", "access"]));
  });

  it("shows each input's fields with their types and bounds", () => {
    const enqueue = find("queues.enqueueJobs");
    expect(enqueue.method).toBe("POST");
    expect(enqueue.fields).toEqual([
      { name: "queueName", type: "string", required: true, notes: ["at most 200 characters"] },
      { name: "jobs", type: "{ body, priority, runAfterTimestampMillis, numAttemptsAllowed, … }[]", required: true,
        notes: ["at most 10000 items"] },
      { name: "jobs[].body", type: "string", required: true, notes: ["at most 1000000 characters"] },
      { name: "jobs[].priority", type: "integer", required: false, notes: ["default 1", "1 – 3"] },
      { name: "jobs[].runAfterTimestampMillis", type: "integer", required: false, notes: ["0 – 253402300799999"] },
      { name: "jobs[].numAttemptsAllowed", type: "integer", required: false, notes: ["default 2", "1 – 1000"] },
      { name: "jobs[].customStatus", type: "string", required: false, notes: ["default \"\"", "at most 4000 characters"] },
    ]);
    const count = find("queues.getJobCount");
    expect(count.method).toBe("GET");
    expect(count.fields!.find((f) => f.name === "jobState")!.type).toBe('"PENDING" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED"');
    expect(find("queues.getQueueNames").fields).toBeNull();
  });

  it("says which calls need no credentials, and how to make each with curl", () => {
    expect(find("access.whoami").public).toBe(true);
    expect(find("queues.enqueueJobs").public).toBe(false);
    expect(curlOf(find("queues.getJobCount"), "http://h")).toBe(
      `curl -s -G -H "authorization: Bearer $HOURGLASS_TOKEN" http://h/api/trpc/queues.getJobCount --data-urlencode 'input={}'`);
    expect(curlOf(find("access.whoami"), "http://h")).toBe("curl -s -G http://h/api/trpc/access.whoami");
  });
});
