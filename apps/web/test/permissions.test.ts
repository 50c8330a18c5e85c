import { describe, expect, it } from "vitest";
import { need, permissionsOf } from "../src/lib/permissions";

const reader = ["queues:read:demo/*", "scheduler:read:demo/*", "requests:read:demo/*", "tasks:read:demo/*", "assume:project:demo:reader"];

describe("permissionsOf", () => {
  it("allows what whoami's scopes satisfy and names the missing scope otherwise", () => {
    const can = permissionsOf(reader);
    expect(can.ready).toBe(true);
    expect(can.allows(need.queue("read", { project: "demo", name: "emails" }))).toBe(true);
    expect(can.missing(need.queue("read", { project: "demo", name: "emails" }))).toBeUndefined();
    expect(can.missing(need.queue("manage", { project: "demo", name: "emails" }))).toBe("missing scope queues:manage:demo/emails");
    expect(can.missing(need.schedulerJob("trigger", { project: "demo", id: "nightly" }))).toBe("missing scope scheduler:trigger:demo/nightly");
    expect(can.allows(need.request("read", { project: "other", type: "deploy" }))).toBe(false);
  });

  it("lets a star or the admin scope through", () => {
    expect(permissionsOf(["*"]).allows(need.request("stop", { project: "x", type: "deploy" }))).toBe(true);
    expect(permissionsOf(["queues:*"]).allows(need.queue("manage", { project: "demo", name: "q" }))).toBe(true);
    expect(permissionsOf(["queues:*"]).allows("access:manage")).toBe(false);
  });

  it("offers nothing while whoami loads", () => {
    const loading = permissionsOf(undefined);
    expect(loading.ready).toBe(false);
    expect(loading.allows({ AllOf: [] })).toBe(false);
    expect(loading.missing("a")).toMatch(/checking/);
  });

  it("reads a resource whose name cannot be put in a scope as out of reach, never as a wildcard", () => {
    expect(need.queue("read", { project: "demo", name: "bad*" })).toEqual({ AnyOf: [] });
    expect(permissionsOf(["*"]).allows(need.queue("read", { project: "not a project", name: "q" }))).toBe(false);
  });
});
