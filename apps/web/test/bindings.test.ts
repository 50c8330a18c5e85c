import { describe, expect, it } from "vitest";
import { bindingLabel, bindingOf, draftOf, joinScopes, parseScopeLines, scopesOf, splitScopes, tokenDefaults } from "../src/lib/bindings";

describe("role bindings", () => {
  it("reads assume: scopes as roles and leaves the rest (stars included) as scopes", () => {
    const { bindings, extra } = splitScopes([
      "assume:project:demo:reader", "assume:admin", "assume:team:payments", "executor:shell", "assume:project:demo:*", "assume:project:demo:boss",
    ]);
    expect(bindings.map(bindingLabel)).toEqual(["demo reader", "admin", "role team:payments", "role project:demo:boss"]);
    expect(extra).toEqual(["executor:shell", "assume:project:demo:*"]);
    expect(bindingOf("assume:")).toBeNull();
    expect(bindingOf("queues:read:demo/*")).toBeNull();
  });

  it("round-trips through the editor's draft, bindings first and without duplicates", () => {
    const scopes = ["executor:http", "assume:project:e2e:owner"];
    expect(scopesOf(draftOf(scopes))).toEqual(["assume:project:e2e:owner", "executor:http"]);
    expect(joinScopes([{ kind: "admin" }], "assume:admin\n  queues:read:a/*, executor:shell\n")).toEqual(["assume:admin", "queues:read:a/*", "executor:shell"]);
    expect(parseScopeLines(" \n\n")).toEqual([]);
  });

  it("defaults a token to the caller's bindings plus what they do not grant", () => {
    const held = ["assume:project:demo:reader", "executor:shell", "queues:read:demo/*", "scheduler:read:demo/*"];
    const granted = ["assume:project:demo:reader", "queues:read:demo/*", "scheduler:read:demo/*"];
    expect(tokenDefaults(held, granted)).toEqual(["assume:project:demo:reader", "executor:shell"]);
    expect(tokenDefaults(["*"], [])).toEqual(["*"]);
  });
});
