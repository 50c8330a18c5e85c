// Role expansion in src/access (stars, cycles, parameterised roles, long
// chains and wide fan-outs) and the predefined project roles with the scope builders.
import { describe, expect, it } from "vitest";
import {
  ACCESS_MANAGE,
  assumedRoles,
  combineResolvers,
  EXECUTOR_SCOPES,
  expandScopes,
  isSubset,
  isValidScope,
  MAX_EXPANDED_SCOPES,
  missingScopesMessage,
  predefinedRole,
  predefinedRoles,
  projectRoleId,
  RESOURCE_ACTION_DOC,
  RESOURCE_ACTIONS,
  roleIndex,
  roleProblems,
  satisfies,
  scope,
  scopeIntersection,
  substituteParameter,
  type Role,
  type RoleResolver,
} from "../src/access/index.ts";

describe("roles", () => {
  const expand = (held: string[], roles: Role[]) => expandScopes(held, roleIndex(roles));

  it("expands assumed roles transitively (Taskcluster's example)", () => {
    const roles: Role[] = [
      { roleId: "group:admins", scopes: ["admin-scope-1", "admin-scope-2", "assume:group:devs"] },
      { roleId: "group:devs", scopes: ["dev-scope"] },
    ];
    expect(expand(["assume:group:admins", "my-scope"], roles)).toEqual([
      "admin-scope-1", "admin-scope-2", "assume:group:admins", "assume:group:devs", "dev-scope", "my-scope",
    ]);
    expect(expand(["assume:group:devs"], roles)).toEqual(["assume:group:devs", "dev-scope"]);
    expect(expand(["assume:group:nobody", "x"], roles)).toEqual(["assume:group:nobody", "x"]);
  });

  it.each<[string, string[], string[]]>([
    ["an assume star reaches every role it prefixes", ["assume:team:*"], ["assume:team:*", "s:a", "s:b"]],
    ["a shorter assume star too", ["assume:te*"], ["assume:te*", "s:a", "s:b"]],
    ["assume:* reaches every role", ["assume:*"], ["assume:*", "s:a", "s:b", "s:other"]],
    ["a star that prefixes assume: reaches every role", ["ass*"], ["ass*", "s:a", "s:b", "s:other"]],
    ["`*` already covers whatever roles grant", ["*"], ["*"]],
    ["a star past the id reaches nothing", ["assume:team:a*"], ["assume:team:a*", "s:a"]],
    ["assume:team: is no role", ["assume:team:"], ["assume:team:"]],
    ["a short star that prefixes assume: reaches every role", ["a*"], ["a*", "s:a", "s:b", "s:other"]],
    ["a scope that is not assume grants nothing", ["team:a", "b*", "assume"], ["assume", "b*", "team:a"]],
  ])("%s", (_, held, expected) => {
    const roles: Role[] = [
      { roleId: "team:a", scopes: ["s:a"] },
      { roleId: "team:b", scopes: ["s:b"] },
      { roleId: "other", scopes: ["s:other"] },
    ];
    expect(expand(held, roles)).toEqual(expected);
  });

  it("terminates on cycles, and reports each role's scopes once", () => {
    const roles: Role[] = [
      { roleId: "a", scopes: ["assume:b", "s:a"] },
      { roleId: "b", scopes: ["assume:c", "s:b"] },
      { roleId: "c", scopes: ["assume:a", "s:c"] },
      { roleId: "self", scopes: ["assume:self", "s:self"] },
      { roleId: "wild", scopes: ["assume:*"] },
    ];
    const cycle = ["assume:a", "assume:b", "assume:c", "s:a", "s:b", "s:c"];
    expect(expand(["assume:a"], roles)).toEqual(cycle);
    expect(expand(["assume:c"], roles)).toEqual(cycle);
    expect(expand(["assume:self"], roles)).toEqual(["assume:self", "s:self"]);
    expect(expand(["assume:wild"], roles)).toEqual(["assume:*", "s:a", "s:b", "s:c", "s:self"]);
  });

  it("merges roles stored twice under one id", () => {
    const roles: Role[] = [{ roleId: "r", scopes: ["x"] }, { roleId: "r", scopes: ["y"] }];
    expect(expand(["assume:r"], roles)).toEqual(["assume:r", "x", "y"]);
  });

  describe("parameterised roles", () => {
    const roles: Role[] = [
      { roleId: "project-admin:*", scopes: ["queues:manage:<..>/*", "assume:project:<..>:owner", "fixed:scope"] },
      { roleId: "repo:github.com/*", scopes: ["secrets:get:<..>/ci"] },
      { roleId: "hook-id:taskcluster/*", scopes: ["queue:create-task:hooks"] },
    ];
    const grants = (held: string) => [...roleIndex(roles).grants(held)].sort();

    it.each<[string, string[]]>([
      ["assume:project-admin:demo", ["assume:project:demo:owner", "fixed:scope", "queues:manage:demo/*"]],
      ["assume:project-admin:", ["assume:project::owner", "fixed:scope", "queues:manage:/*"]],
      // the held star lies past the role's star: the parameter keeps it, and the scope ends there
      ["assume:project-admin:de*", ["assume:project:de*", "fixed:scope", "queues:manage:de*"]],
      // the held star covers the role's star: the parameter is `*`
      ["assume:project-admin:*", ["assume:project:*", "fixed:scope", "queues:manage:*"]],
      ["assume:project-*", ["assume:project:*", "fixed:scope", "queues:manage:*"]],
      ["assume:repo:github.com/org/app", ["secrets:get:org/app/ci"]],
      ["assume:repo:github.com/org/*", ["secrets:get:org/*"]],
      ["assume:hook-id:taskcluster/nightly", ["queue:create-task:hooks"]],
      ["assume:hook-id:taskcluster", []],
      ["assume:project-admin", []],
      ["assume:project-admin:demo*", ["assume:project:demo*", "fixed:scope", "queues:manage:demo*"]],
    ])("%s grants %j", (held, expected) => {
      expect(grants(held)).toEqual(expected);
    });

    it("expands through predefined roles, wildcard parameters included", () => {
      const resolver = combineResolvers(roleIndex(roles), predefinedRoles);
      const demo = expandScopes(["assume:project-admin:demo"], resolver);
      expect(satisfies(demo, "queues:consume:demo/emails")).toBe(true);
      expect(satisfies(demo, "requests:stop:demo/r1")).toBe(true);
      expect(satisfies(demo, "queues:consume:demo2/emails")).toBe(false);
      const de = expandScopes(["assume:project-admin:de*"], resolver);
      expect(de).toContain("requests:resume:de*");
      expect(satisfies(de, "tasks:manage:demo2/t")).toBe(true);
      expect(satisfies(de, "tasks:manage:other/t")).toBe(false);
    });

    it("substitutes one parameter, cuts after a wildcard one, drops what grows too long", () => {
      expect(substituteParameter(["a:<..>/b", "plain"], "x")).toEqual(["a:x/b", "plain"]);
      expect(substituteParameter(["a:<..>/b"], "x*")).toEqual(["a:x*"]);
      expect(substituteParameter(["a:<..>/b"], "")).toEqual(["a:/b"]);
      expect(substituteParameter(["a:<..>"], "y".repeat(500))).toEqual([]);
    });

    it("stops runaway parameterised roles: dropped past 500 characters, thrown past the expansion cap", () => {
      // each step grants a longer assume scope; the chain ends when scopes would pass 500 characters
      const growing = expand(["assume:g:x"], [{ roleId: "g:*", scopes: ["assume:g:a<..>"] }]);
      expect(growing.length).toBeGreaterThan(400);
      expect(growing.every(isValidScope)).toBe(true);
      // two branches per step would double forever: the cap turns that into an error
      const doubling: Role[] = [{ roleId: "g:*", scopes: ["assume:g:a<..>", "assume:g:b<..>"] }];
      expect(() => expand(["assume:g:x"], doubling)).toThrow(RangeError);
      expect(MAX_EXPANDED_SCOPES).toBe(10_000);
    });
  });

  it.each<[string, Role, RegExp | null]>([
    ["a good role", { roleId: "team:a", scopes: ["s:a"] }, null],
    ["a good parameterised role", { roleId: "team:*", scopes: ["s:<..>/x"] }, null],
    ["an empty id", { roleId: "", scopes: [] }, /role id/],
    ["an id with a space", { roleId: "team a", scopes: [] }, /role id/],
    ["an id too long", { roleId: "r".repeat(494), scopes: [] }, /role id/],
    ["an invalid scope", { roleId: "r", scopes: ["a b"] }, /not a valid scope/],
    ["<..> in a fixed role", { roleId: "r", scopes: ["s:<..>"] }, /does not end in \*/],
    ["two parameters", { roleId: "r*", scopes: ["s:<..>:<..>"] }, /more than once/],
    ["a star before the parameter", { roleId: "r*", scopes: ["s:*<..>"] }, /right after a \*/],
  ])("roleProblems: %s", (_, role, expected) => {
    const problems = roleProblems(role);
    if (expected === null) expect(problems).toEqual([]);
    else expect(problems.join("; ")).toMatch(expected);
  });

  it.each<[string, string | null]>([
    ["assume:x", "x"],
    ["assume:x*", "x*"],
    ["assume:", ""],
    ["*", "*"],
    ["a*", "*"],
    ["assume*", "*"],
    ["assume:*", "*"],
    ["assume", null],
    ["b*", null],
    ["x:assume:y", null],
  ])("assumedRoles(%j) = %j", (held, expected) => {
    expect(assumedRoles(held)).toBe(expected);
  });

  describe("cost, counted rather than timed", () => {
    /** A resolver that counts the lookups expandScopes makes. */
    const counting = (inner: RoleResolver) => {
      const counter = { calls: 0, resolver: { grants: (s: string) => (counter.calls++, inner.grants(s)) } };
      return counter;
    };

    it("a chain of 300 roles: one lookup per role", () => {
      const roles: Role[] = Array.from({ length: 300 }, (_, i) => ({
        roleId: `chain:${i}`,
        scopes: [`s:${i}`, ...(i < 299 ? [`assume:chain:${i + 1}`] : [])],
      }));
      const c = counting(roleIndex(roles));
      const expanded = expandScopes(["assume:chain:0"], c.resolver);
      expect(expanded).toHaveLength(600);
      expect(satisfies(expanded, "s:299")).toBe(true);
      expect(c.calls).toBe(300);
    });

    it("a fan-out of 300 roles under one star: one lookup, and covered scopes never looked up", () => {
      const roles: Role[] = Array.from({ length: 300 }, (_, i) => ({
        roleId: `fan:${i}`,
        scopes: [`s:${i}`, "assume:fan:*", `assume:fan:${(i * 7) % 300}`],
      }));
      const c = counting(roleIndex(roles));
      const expanded = expandScopes(["assume:fan:*"], c.resolver);
      expect(expanded).toHaveLength(301);
      expect(c.calls).toBe(1);
      // 300 roles each assuming every other one, reached one by one: each role once
      const mesh: Role[] = Array.from({ length: 300 }, (_, i) => ({
        roleId: `mesh:${i}`,
        scopes: [`s:${i}`, ...Array.from({ length: 300 }, (_, j) => `assume:mesh:${j}`)],
      }));
      const m = counting(roleIndex(mesh));
      expect(expandScopes(["assume:mesh:0"], m.resolver)).toHaveLength(600);
      expect(m.calls).toBe(300);
    });
  });
});

describe("predefined roles and resource scopes", () => {
  const reader = ["queues:read:demo/*", "scheduler:read:demo/*", "requests:read:demo/*", "tasks:read:demo/*", "alerts:read:demo/*"];
  const triggerer = [...reader, "queues:enqueue:demo/*", "scheduler:trigger:demo/*", "requests:start:demo/*"];
  const owner = [
    ...triggerer,
    "queues:manage:demo/*", "queues:consume:demo/*", "scheduler:manage:demo/*",
    "requests:stop:demo/*", "requests:suspend:demo/*", "requests:resume:demo/*", "tasks:manage:demo/*", "alerts:manage:demo/*",
  ];

  it.each<[string, string[] | null]>([
    ["project:demo:reader", reader],
    ["project:demo:triggerer", triggerer],
    ["project:demo:owner", owner],
    ["admin", ["*"]],
    ["project:demo:writer", null],
    ["project:demo", null],
    ["project:de mo:reader", null],
    ["project:de.mo:reader", null],
    ["project::reader", null],
    [`project:${"p".repeat(101)}:reader`, null],
    ["project:demo:reader:extra", null],
    ["admins", null],
  ])("predefinedRole(%j)", (roleId, expected) => {
    const scopes = predefinedRole(roleId);
    expect(scopes === null ? null : [...scopes].sort()).toEqual(expected === null ? null : [...expected].sort());
  });

  it("accepts every valid project name", () => {
    for (const p of ["a", "A-b_9", "p".repeat(100)]) expect(predefinedRole(`project:${p}:reader`)).not.toBeNull();
  });

  it.each<[string, string[]]>([
    ["assume:project:demo:owner", owner],
    ["assume:project:demo:*", owner],
    ["assume:project:demo:r*", reader],
    ["assume:project:demo:t*", triggerer],
    ["assume:project:demo:x*", []],
    ["assume:project:de mo:*", []],
    ["assume:project:de*", owner.map((s) => s.replace("demo/*", "de*"))],
    ["assume:project:*", owner.map((s) => s.replace("demo/*", "*"))],
    ["assume:proj*", owner.map((s) => s.replace("demo/*", "*"))],
    ["assume:ad*", ["*"]],
    ["assume:*", ["*"]],
    ["*", ["*"]],
    ["assume:project:demo", []],
    ["queues:read:demo/*", []],
  ])("predefinedRoles.grants(%j)", (held, expected) => {
    expect([...predefinedRoles.grants(held)].sort()).toEqual([...expected].sort());
  });

  it("expands predefined roles into checks a project's members pass and others fail", () => {
    const alice = expandScopes(["assume:project:demo:triggerer", "assume:project:ops:reader"], predefinedRoles);
    expect(satisfies(alice, scope.queues("enqueue", "demo", "emails"))).toBe(true);
    expect(satisfies(alice, scope.queues("enqueue", "ops", "emails"))).toBe(false);
    expect(satisfies(alice, scope.scheduler("read", "ops", "nightly"))).toBe(true);
    expect(missingScopesMessage(alice, scope.queues("manage", "demo", "emails")))
      .toBe("missing scope queues:manage:demo/emails");
    const admin = expandScopes(["assume:admin"], predefinedRoles);
    expect(admin).toEqual(["*"]);
    for (const s of [...EXECUTOR_SCOPES, ACCESS_MANAGE]) {
      expect(satisfies(admin, s)).toBe(true);
      expect(satisfies(expandScopes(["assume:project:*"], predefinedRoles), s)).toBe(false);
    }
  });

  it("keeps a token within its owner's scopes", () => {
    const owner = expandScopes(["assume:project:demo:reader"], predefinedRoles);
    const token = ["queues:*", "tasks:read:demo/t1"];
    expect(isSubset(token, owner)).toBe(false);
    expect(scopeIntersection(token, owner)).toEqual(["queues:read:demo/*", "tasks:read:demo/t1"]);
  });

  it("builds resource scopes through functions", () => {
    expect(scope.queues("manage", "demo", "emails")).toBe("queues:manage:demo/emails");
    expect(scope.queues("read", "demo")).toBe("queues:read:demo/*");
    expect(scope.scheduler("trigger", "demo", "nightly")).toBe("scheduler:trigger:demo/nightly");
    expect(scope.requests("suspend", "demo", "r1")).toBe("requests:suspend:demo/r1");
    expect(scope.tasks("manage", "demo", "a/b")).toBe("tasks:manage:demo/a/b");
    expect(scope.assume(projectRoleId("demo", "owner"))).toBe("assume:project:demo:owner");
  });

  it.each<[string, () => string]>([
    ["a project with a colon", () => scope.queues("read", "de:mo", "q")],
    ["a wildcard project", () => scope.queues("read", "*")],
    ["an empty project", () => scope.queues("read", "", "q")],
    ["a name that is a wildcard", () => scope.queues("read", "demo", "*")],
    ["a name ending in a star", () => scope.queues("read", "demo", "em*")],
    ["a name with a space", () => scope.queues("read", "demo", "e mails")],
    ["an empty name", () => scope.queues("read", "demo", "")],
    ["a name too long", () => scope.queues("read", "demo", "n".repeat(490))],
    ["an action of another kind", () => scope.queues("trigger" as "read", "demo", "q")],
    ["an invalid project role", () => projectRoleId("de mo", "owner")],
  ])("the builders reject %s", (_, build) => {
    expect(build).toThrow(RangeError);
  });

  it("documents every action of every kind", () => {
    for (const [kind, actions] of Object.entries(RESOURCE_ACTIONS)) {
      const docs = RESOURCE_ACTION_DOC[kind as keyof typeof RESOURCE_ACTIONS] as Record<string, string>;
      expect(Object.keys(docs).sort()).toEqual([...actions].sort());
    }
  });
});
