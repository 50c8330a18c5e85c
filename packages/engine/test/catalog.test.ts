import { describe, expect, it } from "vitest";
import { parseProject } from "../src/scheduler/catalog.ts";
import { maskedDefinition } from "../src/scheduler/masked-definition.ts";

const GOOD = `jobs:
  - id: nightly-report
    schedule: "30 2 * * *"
    timezone: Europe/Berlin
    task: { kind: shell, command: sh, args: ["-c", "echo report"] }
    triggers: [publish]
  - id: publish
    task: { kind: noop }
    triggering_policy: { kind: NEWEST_FIRST, pending_timeout: 2h }
`;

describe("catalog", () => {
  it("parses a project with defaults and a content-hash revision", () => {
    const r = parseProject("reports.yaml", GOOD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.project.id).toBe("reports");
    expect(r.project.revision).toMatch(/^[0-9a-f]{12}$/);
    const [nightly, publish] = r.project.jobs;
    expect(nightly).toMatchObject({ id: "nightly-report", schedule: { kind: "cron", timezone: "Europe/Berlin" }, triggers: ["publish"], disabled: false, policy: { kind: "GREEDY_BATCHING", maxConcurrentInvocations: 1, maxBatchSize: 1000 } });
    expect(publish).toMatchObject({ schedule: { kind: "triggered" }, policy: { kind: "NEWEST_FIRST", pendingTimeoutMillis: 7_200_000 } });
    expect(parseProject("reports.yaml", GOOD + "\n").ok && (parseProject("reports.yaml", GOOD + "\n") as { project: { revision: string } }).project.revision).not.toBe(r.project.revision);
  });

  it("accepts task kind request (a job chain) and names what is wrong with one", () => {
    const r = parseProject("chains.yaml", `jobs:
  - id: nightly-deploy
    schedule: "@daily"
    task: { kind: request, type: deploy-app, args: { app: web, hosts: [a, b] } }
`);
    expect(r.ok && r.project.jobs[0]!.task).toEqual({ kind: "request", type: "deploy-app", args: { app: "web", hosts: ["a", "b"] } });
    const bad = parseProject("chains.yaml", `jobs:
  - id: broken
    task:
      kind: request
      type: ""
`);
    expect(bad).toEqual({ ok: false, errors: [{ file: "chains.yaml", line: 5, message: "jobs.0.task.type: say which request type" }] });
  });

  it("names the file, line and reason of each error", () => {
    const bad = `jobs:
  - id: a
    schedule: "61 * * * *"
    task: { kind: noop }
  - id: b
    task: { kind: teleport }
  - id: a
    task: { kind: noop }
    triggers: [ghost]
`;
    const r = parseProject("ops.yaml", bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContainEqual(expect.objectContaining({ file: "ops.yaml", line: 6, message: expect.stringMatching(/jobs\.1\.task\.kind/) }));
  });

  it("reports schedule, duplicate and dangling-trigger errors with their lines", () => {
    const bad = `jobs:
  - id: a
    schedule: "61 * * * *"
    task: { kind: noop }
  - id: a
    task: { kind: noop }
    triggers: [ghost]
`;
    const r = parseProject("ops.yaml", bad);
    if (r.ok) throw new Error("expected errors");
    expect(r.errors).toEqual([
      { file: "ops.yaml", line: 3, message: expect.stringMatching(/job "a": "61 \* \* \* \*" is not a schedule.*minute/) },
      { file: "ops.yaml", line: 5, message: 'job "a" is defined twice' },
      { file: "ops.yaml", line: 7, message: 'job "a" triggers "ghost", which this project does not define' },
    ]);
  });

  it("reports YAML syntax errors and bad file names", () => {
    const r = parseProject("ops.yaml", "jobs:\n  - id: [unclosed\n");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.line).toBeGreaterThan(1);
    const named = parseProject("Bad Name.yaml", GOOD);
    expect(named.ok).toBe(false);
  });
  it("keeps each job's YAML as written: comments, key order and flow style, dedented", () => {
    const r = parseProject("reports.yaml", `# reports
jobs:
  - id: nightly-report
    # at night, Berlin time
    schedule: "30 2 * * *"
    task:
      kind: shell
      command: sh
      args: ["-c", "echo report"]
  - { id: publish, task: { kind: noop } }
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.project.jobs.map((j) => j.source)).toEqual([
      'id: nightly-report\n# at night, Berlin time\nschedule: "30 2 * * *"\ntask:\n  kind: shell\n  command: sh\n  args: ["-c", "echo report"]',
      "{ id: publish, task: { kind: noop } }",
    ]);
  });
  it("shows a job's source only when its task holds no secret", () => {
    const r = parseProject("ops.yaml", `jobs:
  - id: plain
    task: { kind: shell, command: sh, args: ["-c", "true"] }
  - id: secret
    task: { kind: shell, command: sh, args: ["-c", "true"], env: { TOKEN: hunter2 } }
`);
    if (!r.ok) throw new Error("expected a valid project");
    const [plain, secret] = r.project.jobs.map(maskedDefinition);
    expect(plain!.source).toContain("id: plain");
    expect(secret!.source).toBeUndefined();
    expect(JSON.stringify(secret)).not.toContain("hunter2");
  });
});
