// Request specs, the linter, chain expansion and the runner's decisions: pure.
import { describe, expect, it } from "vitest";
import { ChainError, expandRequest } from "../src/chains/expand.ts";
import { lintSpecs } from "../src/chains/lint.ts";
import { afterFailure, parseSetLines } from "../src/chains/runner.ts";
import { parseSpecFile, type SpecFile } from "../src/chains/spec.ts";

const SPEC = `sequences:
  deploy:
    request: true
    args:
      required: [{ name: app }]
      optional: [{ name: hosts, default: "a,b,c" }, { name: env, default: staging }]
      static: [{ name: cmd, default: "true" }]
    nodes:
      build:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: app }]
        sets: [{ arg: artifact }]
        retry: 2
        retryWait: 5s
      hosts:
        category: sequence
        type: per-host
        each: ["hosts:host"]
        parallel: 2
        deps: [build]
        retry: 1
      announce:
        category: conditional
        if: env
        eq: { prod: notify, default: noop }
        deps: [hosts]
  per-host:
    args:
      required: [{ name: host }]
    nodes:
      install:
        category: job
        type: noop
        args: [{ expected: host }, { expected: artifact }]
  notify:
    nodes:
      page:
        category: job
        type: noop
`;

function parsed(text: string, file = "deploy.yaml"): SpecFile {
  const r = parseSpecFile(file, text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.spec;
}

describe("spec parsing", () => {
  it("reads Spin Cycle's format with defaults", () => {
    const spec = parsed(SPEC);
    const deploy = spec.sequences.find((s) => s.name === "deploy")!;
    expect(deploy.request).toBe(true);
    expect(deploy.nodes.build).toMatchObject({ retry: 2, retryWaitMillis: 5000, sets: [{ arg: "artifact", as: "artifact" }], args: [{ expected: "command", given: "cmd" }, { expected: "app", given: "app" }] });
    expect(deploy.nodes.hosts).toMatchObject({ each: { list: "hosts", element: "host" }, parallel: 2 });
  });

  it("names file, line and node in structural errors", () => {
    const r = parseSpecFile("bad.yaml", SPEC.replace("category: conditional", "category: maybe"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ file: "bad.yaml", line: 24, node: "deploy/announce" });
  });
});

describe("linter", () => {
  it("passes a good spec", () => {
    const lint = lintSpecs([parsed(SPEC)], []);
    expect(lint.errors).toEqual([]);
    expect([...lint.valid].sort()).toEqual(["deploy", "notify", "per-host"]);
  });

  it("finds cycles, unreachable nodes, unset args, unknown types and sequences", () => {
    const bad = SPEC
      .replace("deps: [build]\n        retry: 1", "deps: [build, announce]\n        retry: 1")
      .replace("type: noop\n        args: [{ expected: host }", "type: frobnicate\n        args: [{ expected: host }")
      .replace("{ expected: app }]", "{ expected: app }, { expected: token }]")
      .replace("prod: notify", "prod: notifyy");
    const lint = lintSpecs([parsed(bad)], []);
    const messages = lint.errors.map((e) => e.message).join("\n");
    expect(messages).toMatch(/deploy\/hosts: dependency cycle: hosts → announce → hosts/);
    expect(messages).toMatch(/per-host\/install: unknown job type "frobnicate"/);
    expect(messages).toMatch(/deploy\/build: arg "token" is used but never set/);
    expect(messages).toMatch(/conditional goes to unknown sequence "notifyy"/);
    expect(lint.valid.has("deploy")).toBe(false);
    expect(lint.errors.every((e) => e.file === "deploy.yaml" && e.line > 1)).toBe(true);
  });

  it("accepts handler job types that workers registered", () => {
    const spec = parsed(SPEC.replace("type: noop\n        args: [{ expected: host }", "type: install-pkg\n        args: [{ expected: host }"));
    expect(lintSpecs([spec], []).valid.has("deploy")).toBe(false);
    expect(lintSpecs([spec], ["install-pkg"]).valid.has("deploy")).toBe(true);
  });
});

describe("chain expansion", () => {
  const lint = lintSpecs([parsed(SPEC)], []);

  it("expands each / parallel / conditionals into a DAG with sequence start and end jobs", () => {
    const chain = expandRequest(lint, "deploy", { app: "shop" });
    const byName = (n: string) => chain.jobs.filter((j) => j.name === n);
    expect(chain.args).toEqual({ app: "shop", hosts: "a,b,c", env: "staging", cmd: "true" });
    expect(byName("install").map((j) => j.args.host)).toEqual(["a", "b", "c"]);
    expect(byName("install")[0]!.runtimeArgs).toEqual({ artifact: "artifact" });
    expect(byName("build")[0]!.args).toEqual({ command: "true", app: "shop" });
    // parallel 2: the third host's sequence waits for the first one's end
    const seqs = chain.sequences.filter((s) => s.name === "per-host");
    expect(seqs.map((s) => s.label)).toEqual(["per-host host=a", "per-host host=b", "per-host host=c"]);
    const third = chain.jobs.find((j) => j.id === seqs[2]!.startJob)!;
    expect(third.deps).toContain(seqs[0]!.endJob);
    expect(seqs.every((s) => s.retry === 1)).toBe(true);
    // env=staging: the conditional takes the default branch, a noop
    expect(byName("announce → noop")).toHaveLength(1);
    expect(chain.jobs.filter((j) => j.role === "start")).toHaveLength(4);
    // every job but the root start has a parent; every edge is recorded both ways
    for (const j of chain.jobs) for (const d of j.deps) expect(chain.jobs.find((p) => p.id === d)!.next).toContain(j.id);
    expect(chain.jobs.filter((j) => j.deps.length === 0).map((j) => j.name)).toEqual(["deploy start"]);
  });

  it("takes the prod branch of the conditional", () => {
    const chain = expandRequest(lint, "deploy", { app: "shop", env: "prod", hosts: ["x"] });
    expect(chain.jobs.map((j) => j.name)).toContain("page");
  });

  it("rejects missing and unknown args with clear messages", () => {
    expect(() => expandRequest(lint, "deploy", {})).toThrow(new ChainError('missing required arg app for request type "deploy"'));
    expect(() => expandRequest(lint, "deploy", { app: "x", colour: "red" })).toThrow(/unknown arg colour for request type "deploy" \(it takes app, hosts, env\)/);
    expect(() => expandRequest(lint, "per-host", { host: "x" })).toThrow(/no request type "per-host"/);
  });
});

describe("runner decisions", () => {
  it("retries the job, then the innermost sequence with tries left, then fails", () => {
    const seqs = [{ id: "s2", parentId: "s1", retry: 1, tries: 1 }, { id: "s1", parentId: null, retry: 0, tries: 1 }];
    expect(afterFailure({ tries: 1, retry: 2, retryWaitMillis: 500 }, seqs)).toEqual({ kind: "retry-job", afterMillis: 500 });
    expect(afterFailure({ tries: 3, retry: 2, retryWaitMillis: 500 }, seqs)).toEqual({ kind: "retry-sequence", sequenceId: "s2" });
    expect(afterFailure({ tries: 3, retry: 2, retryWaitMillis: 500 }, [{ ...seqs[0]!, tries: 2 }, seqs[1]!])).toEqual({ kind: "fail" });
  });

  it("reads ::set lines, JSON when it parses", () => {
    expect(parseSetLines("hello\n::set artifact=app.tgz\n::set n=3\n")).toEqual({ artifact: "app.tgz", n: 3 });
  });
});
