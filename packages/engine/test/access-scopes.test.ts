// The scope algebra of src/access, table by table: validity, satisfaction
// (stars on the held and the required side), expressions and what is missing,
// normal forms, intersection and subsets. Roles: access-roles.test.ts.
import { describe, expect, it } from "vitest";
import {
  formatExpression,
  HeldScopes,
  invalidScopes,
  isSubset,
  isValidExpression,
  isValidScope,
  missingScopes,
  missingScopesMessage,
  normalizeScopes,
  satisfies,
  scopeIntersection,
  scopeSatisfies,
  scopesNotHeld,
  scopeUnion,
  type ScopeExpression,
} from "../src/access/index.ts";

describe("valid scopes", () => {
  it.each([
    ["queues:read:demo/emails", true],
    ["*", true],
    ["a<..>b", true],
    ["~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", true],
    ["x".repeat(500), true],
    ["x".repeat(501), false],
    ["", false],
    ["has space", false],
    ["tab\there", false],
    ["new\nline", false],
    ["caf\u00e9", false],
    ["nul\u0000", false],
  ])("%j is valid: %s", (s, valid) => {
    expect(isValidScope(s)).toBe(valid);
  });

  it("rejects non-strings and lists the invalid ones", () => {
    expect(isValidScope(42)).toBe(false);
    expect(isValidScope(null)).toBe(false);
    expect(invalidScopes(["a", "b c", 7, "d"])).toEqual(["b c", 7]);
  });
});

describe("satisfaction of one scope", () => {
  it.each([
    // held, required, satisfied
    ["queues:read:demo/emails", "queues:read:demo/emails", true],
    ["queues:read:demo/emails", "queues:read:demo/email", false],
    ["queues:read:demo/email", "queues:read:demo/emails", false],
    ["queues:read:demo/*", "queues:read:demo/emails", true],
    ["queues:read:demo/*", "queues:read:demo/", true],
    ["queues:read:demo/*", "queues:read:demo", false],
    ["queues:read:demo/*", "queues:read:demo2/x", false],
    ["*", "anything:at:all", true],
    ["*", "*", true],
    // a* prefixes more than a:*
    ["a*", "a:b", true],
    ["a*", "ab", true],
    ["a*", "a", true],
    ["a:*", "ab", false],
    ["a:*", "a", false],
    // a required star asks for everything it prefixes
    ["a*", "a*", true],
    ["*", "a*", true],
    ["a:*", "a*", false],
    ["ab*", "a*", false],
    ["a", "a*", false],
    ["a*", "a:*", true],
    ["a:b", "a:*", false],
    // a star prefix with or without a colon (indexed apart)
    ["queues*", "queues:read:x/y", true],
    ["queues:*", "queues", false],
    ["queues:read:*", "queuesX:read:y", false],
    [":*", ":a", true],
    [":*", "a:", false],
    // a star that is not last is a plain character
    ["a*b", "a*b", true],
    ["a*b", "axb", false],
    // `a**` covers what starts with `a*`, not all of `a` (Taskcluster would say yes)
    ["a**", "a*", false],
    ["a**", "a*x", true],
    ["a**", "a**", true],
  ])("%s satisfies %s: %s", (held, required, expected) => {
    expect(scopeSatisfies(held, required)).toBe(expected);
    expect(satisfies([held], required)).toBe(expected);
    expect(new HeldScopes(["unrelated", held, "zz:*"]).satisfies(required)).toBe(expected);
  });

  it("an empty held set satisfies no scope", () => {
    expect(satisfies([], "a")).toBe(false);
    expect(satisfies([], "*")).toBe(false);
  });
});

describe("expressions", () => {
  const held = ["queues:read:demo/*", "scheduler:trigger:demo/nightly", "a"];

  it.each<[ScopeExpression, boolean]>([
    ["queues:read:demo/emails", true],
    ["queues:manage:demo/emails", false],
    [{ AllOf: [] }, true],
    [{ AnyOf: [] }, false],
    [{ AllOf: ["queues:read:demo/x", "scheduler:trigger:demo/nightly"] }, true],
    [{ AllOf: ["queues:read:demo/x", "scheduler:trigger:demo/other"] }, false],
    [{ AnyOf: ["queues:manage:demo/x", "a"] }, true],
    [{ AnyOf: ["queues:manage:demo/x", "b"] }, false],
    [{ AnyOf: [{ AllOf: ["a", "b"] }, { AllOf: ["a", "queues:read:demo/q"] }] }, true],
    [{ AllOf: [{ AnyOf: [] }, "a"] }, false],
    [{ AnyOf: [{ AllOf: [] }, "nope"] }, true],
  ])("%j satisfied: %s", (expr, expected) => {
    expect(satisfies(held, expr)).toBe(expected);
    expect(missingScopes(held, expr) === null).toBe(expected);
  });

  it.each<[string, ScopeExpression, ScopeExpression | null]>([
    ["a satisfied scope", "a", null],
    ["a missing scope", "b", "b"],
    ["only the unsatisfied part of an AllOf", { AllOf: [{ AnyOf: ["a"] }, "d"] }, "d"],
    ["an AllOf of what is missing", { AllOf: ["a", "b", "c"] }, { AllOf: ["b", "c"] }],
    ["an AnyOf with every alternative", { AnyOf: ["b", "c"] }, { AnyOf: ["b", "c"] }],
    ["nested lists flattened", { AllOf: ["b", { AllOf: ["c", { AllOf: ["d"] }] }] }, { AllOf: ["b", "c", "d"] }],
    ["nested AnyOf flattened", { AnyOf: ["b", { AnyOf: ["c", "d"] }] }, { AnyOf: ["b", "c", "d"] }],
    ["duplicates dropped", { AllOf: ["b", "b", { AnyOf: ["c", "d"] }, { AnyOf: ["c", "d"] }] },
      { AllOf: ["b", { AnyOf: ["c", "d"] }] }],
    ["AllOf: a scope implied by another dropped", { AllOf: ["x:b", "x:*", "x:c"] }, "x:*"],
    ["AnyOf: the stronger alternative dropped", { AnyOf: ["x:*", "x:b"] }, "x:b"],
    ["AllOf: an AnyOf another scope covers dropped", { AllOf: ["x:*", { AnyOf: ["x:b", "y"] }] }, "x:*"],
    ["AnyOf: an AllOf that needs more dropped", { AnyOf: ["b", { AllOf: ["b", "c"] }] }, "b"],
    ["AnyOf: an impossible alternative dropped", { AnyOf: [{ AnyOf: [] }, "b"] }, "b"],
    ["an empty AnyOf stays impossible", { AnyOf: [] }, { AnyOf: [] }],
    ["mixed", { AllOf: ["a", { AnyOf: ["b", { AllOf: ["a", "c"] }] }, "queues:read:demo/q"] },
      { AnyOf: ["b", "c"] }],
  ])("missingScopes: %s", (_, expr, expected) => {
    expect(missingScopes(["a", "queues:read:demo/*"], expr)).toEqual(expected);
  });

  it("what is missing, when held, satisfies the expression", () => {
    const expr: ScopeExpression = { AllOf: ["a", { AnyOf: ["b", { AllOf: ["c", "d"] }] }, "e:*"] };
    const missing = missingScopes(["a"], expr) as { AllOf: ScopeExpression[] };
    expect(missing).toEqual({ AllOf: ["e:*", { AnyOf: ["b", { AllOf: ["c", "d"] }] }] });
    expect(satisfies(["a", "e:*", "b"], expr)).toBe(true);
    expect(satisfies(["a", "e:*", "c", "d"], expr)).toBe(true);
  });

  it("formats expressions and 403 messages", () => {
    expect(formatExpression("q:a")).toBe("q:a");
    expect(formatExpression({ AllOf: ["q:a", { AnyOf: ["q:b", "q:c"] }] })).toBe("all of (q:a, any of (q:b, q:c))");
    expect(formatExpression({ AnyOf: [] })).toBe("any of ()");
    const held = ["queues:read:demo/*"];
    expect(missingScopesMessage(held, "queues:read:demo/emails")).toBeNull();
    expect(missingScopesMessage(held, "queues:manage:demo/emails")).toBe("missing scope queues:manage:demo/emails");
    expect(missingScopesMessage(held, { AllOf: ["q:a", { AnyOf: ["q:b", "q:c"] }] }))
      .toBe("missing scopes q:a, any of (q:b, q:c)");
    expect(missingScopesMessage(held, { AnyOf: ["q:a", "q:b"] })).toBe("needs any of q:a, q:b");
    expect(missingScopesMessage(held, { AnyOf: [] })).toMatch(/no alternative/);
  });

  it.each<[unknown, boolean]>([
    ["a", true],
    [{ AllOf: [] }, true],
    [{ AnyOf: ["a", { AllOf: ["b"] }] }, true],
    ["", false],
    ["a b", false],
    [{}, false],
    [{ AllOf: ["a"], AnyOf: ["b"] }, false],
    [{ OneOf: ["a"] }, false],
    [{ AllOf: "a" }, false],
    [{ AllOf: [1] }, false],
    [null, false],
    [["a"], false],
  ])("isValidExpression(%j) is %s", (value, expected) => {
    expect(isValidExpression(value)).toBe(expected);
  });

  it("rejects expressions nested too deep", () => {
    let deep: ScopeExpression = "a";
    for (let i = 0; i < 20; i++) deep = { AllOf: [deep] };
    expect(isValidExpression(deep)).toBe(false);
  });
});

describe("normal forms, intersection and subsets", () => {
  it.each<[string[], string[]]>([
    [[], []],
    [["b", "a", "b"], ["a", "b"]],
    [["a:b", "a:*"], ["a:*"]],
    [["a", "a*", "ab", "b"], ["a*", "b"]],
    [["a:*", "a*"], ["a*"]],
    [["a*", "a*"], ["a*"]],
    [["x", "*", "y:*"], ["*"]],
    [["a**", "a*"], ["a*"]],
    [["a**", "a*x"], ["a**"]],
    [["a:*", "ab"], ["a:*", "ab"]],
  ])("normalizeScopes(%j) = %j", (input, expected) => {
    expect(normalizeScopes(input)).toEqual(expected);
  });

  it.each<[string[], string[], string[]]>([
    [["bar:*"], ["foo:x", "bar:x"], ["bar:x"]],
    [["q:*"], ["q:a/*"], ["q:a/*"]],
    [["q:a/*"], ["q:*"], ["q:a/*"]],
    [["a*"], ["a:*"], ["a:*"]],
    [["a:*"], ["a*"], ["a:*"]],
    [["a:*"], ["b:*"], []],
    [["*"], ["x", "y:*"], ["x", "y:*"]],
    [["a:*", "b:1"], ["a:x", "b:*", "c"], ["a:x", "b:1"]],
    [["a:x"], ["a:x"], ["a:x"]],
    [["a"], ["a*"], ["a"]],
    [["a**"], ["a*"], ["a**"]],
    [[], ["*"], []],
  ])("%j ∩ %j = %j", (a, b, expected) => {
    expect(scopeIntersection(a, b)).toEqual(expected);
    expect(scopeIntersection(b, a)).toEqual(expected);
  });

  it("the intersection is satisfied by both sides and holds what both satisfy", () => {
    const a = ["queues:*", "scheduler:read:demo/*", "tasks:read:x/1"];
    const b = ["queues:read:demo/*", "scheduler:*", "tasks:*"];
    const both = scopeIntersection(a, b);
    expect(both).toEqual(["queues:read:demo/*", "scheduler:read:demo/*", "tasks:read:x/1"]);
    expect(isSubset(both, a) && isSubset(both, b)).toBe(true);
    for (const probe of ["queues:read:demo/q", "queues:manage:demo/q", "scheduler:read:demo/j", "tasks:read:x/2"]) {
      expect(satisfies(both, probe)).toBe(satisfies(a, probe) && satisfies(b, probe));
    }
  });

  it.each<[string[], string[], boolean]>([
    [[], [], true],
    [["a:b"], ["a:*"], true],
    [["a:*"], ["a:*"], true],
    [["a:*"], ["a*"], true],
    [["a*"], ["a:*"], false],
    [["a:*"], ["a:b"], false],
    [["a:b", "c"], ["a:*"], false],
    [["*"], ["*"], true],
    [["*"], ["a*", "b*"], false],
    [["a*"], ["a**"], false],
  ])("isSubset(%j, %j) is %s", (candidate, held, expected) => {
    expect(isSubset(candidate, held)).toBe(expected);
    expect(isSubset(candidate, new HeldScopes(held))).toBe(expected);
  });

  it("names what a creator cannot grant, and unions", () => {
    expect(scopesNotHeld(["a:b", "c:*", "c:d", "e"], ["a:*", "e"])).toEqual(["c:*"]);
    expect(scopeUnion(["a:b", "c"], ["a:*"])).toEqual(["a:*", "c"]);
  });
});
