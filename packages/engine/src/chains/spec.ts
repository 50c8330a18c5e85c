import { createHash } from "node:crypto";
import { LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import { parseDuration } from "../scheduler/schedule.ts";
import { lineOfPath } from "../yaml-lines.ts";

/**
 * Request specs in Spin Cycle's format: YAML files of `sequences`; the ones
 * with `request: true` are offered as request types. Parsing is pure: text
 * in, typed sequences (or errors naming file, line and reason) out.
 *
 *   sequences:
 *     deploy-app:
 *       request: true
 *       description: Build an app and roll it out host by host
 *       args:
 *         required: [{ name: app, desc: "the app to deploy" }]
 *         optional: [{ name: hosts, desc: "comma-separated", default: "web1,web2" }]
 *         static:   [{ name: build_cmd, default: "make build" }]
 *       nodes:
 *         build:
 *           category: job          # job | sequence | conditional
 *           type: shell            # a job type: noop, shell, http or a worker handler
 *           args:                  # what the job expects, and which arg gives it
 *             - { expected: command, given: build_cmd }
 *           sets: [{ arg: artifact }]
 *           retry: 2               # job retries
 *           retryWait: 5s
 *         roll-out:
 *           category: sequence
 *           type: deploy-host      # another sequence
 *           each: ["hosts:host"]   # one sub-sequence per element of list arg `hosts`, as `host`
 *           parallel: 2            # at most two at a time
 *           deps: [build]
 *           retry: 1               # whole-sequence retry
 *         notify:
 *           category: conditional
 *           if: env
 *           eq: { prod: page-oncall, default: noop }
 *           deps: [roll-out]
 */

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const name = z.string().regex(NAME, "names are letters, digits, '_', '.' and '-' (at most 100)");

const argSpec = z.object({ name, desc: z.string().max(1000).optional(), default: z.unknown().optional() });
const nodeArg = z.object({ expected: name, given: name.optional() });
const setArg = z.union([name.transform((arg) => ({ arg, as: arg })), z.object({ arg: name, as: name.optional() }).transform((s) => ({ arg: s.arg, as: s.as ?? s.arg }))]);
const eachSpec = z.string().regex(/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/, 'each is "<list arg>:<element arg>"');

const nodeSchema = z.object({
  category: z.enum(["job", "sequence", "conditional"]),
  type: name.optional(),
  args: z.array(nodeArg).default([]),
  sets: z.array(setArg).default([]),
  deps: z.array(name).default([]),
  retry: z.int().min(0).max(100).default(0),
  retryWait: z.string().optional(),
  each: z.array(eachSpec).max(1, "each takes one list").default([]),
  parallel: z.int().min(1).max(10_000).optional(),
  if: name.optional(),
  eq: z.record(z.string(), name).optional(),
});

const sequenceSchema = z.object({
  request: z.boolean().default(false),
  description: z.string().max(2000).optional(),
  args: z.object({
    required: z.array(argSpec.omit({ default: true })).default([]),
    optional: z.array(argSpec).default([]),
    static: z.array(argSpec).default([]),
  }).default({ required: [], optional: [], static: [] }),
  nodes: z.record(name, nodeSchema).refine((n) => Object.keys(n).length > 0, "a sequence needs at least one node"),
});

/** The project a spec file's request types belong to (who may see and start them); "default" when unnamed. */
const projectName = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "a project is 1-100 letters, digits, _ or -");
const fileSchema = z.object({ project: projectName.default("default"), sequences: z.record(name, sequenceSchema) });

export interface ArgSpec { name: string; desc?: string; default?: unknown }

export interface NodeSpec {
  name: string;
  category: "job" | "sequence" | "conditional";
  /** Job type (category job) or sequence name (category sequence). */
  type?: string;
  args: { expected: string; given: string }[];
  sets: { arg: string; as: string }[];
  deps: string[];
  retry: number;
  retryWaitMillis: number;
  each?: { list: string; element: string };
  parallel?: number;
  if?: string;
  eq?: Record<string, string>;
}

export interface SequenceSpec {
  name: string;
  file: string;
  /** The project of its file (access: requests:<action>:<project>/<type>). */
  project: string;
  request: boolean;
  description?: string;
  args: { required: ArgSpec[]; optional: ArgSpec[]; static: ArgSpec[] };
  nodes: Record<string, NodeSpec>;
}

export interface SpecError { file: string; line: number; node?: string; message: string }

export interface SpecFile {
  file: string;
  revision: string;
  sequences: SequenceSpec[];
  /** Lines of the nodes, for the linter's messages. */
  lines: Record<string, number>;
}

export type ParsedSpecFile = { ok: true; spec: SpecFile } | { ok: false; errors: SpecError[] };

/** Parses one spec file (structure only; `lintSpecs` checks the graph and the names across files). */
export function parseSpecFile(file: string, text: string): ParsedSpecFile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => ({ file, line: counter.linePos(e.pos[0]).line, message: e.message.split("\n")[0]! })) };
  }
  const lineOf = (path: PropertyKey[]) => lineOfPath(doc.contents as Node | null, path, counter);
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ file, line: lineOf(i.path), node: i.path.length >= 4 && i.path[2] === "nodes" ? `${String(i.path[1])}/${String(i.path[3])}` : undefined, message: `${i.path.join(".") || "(top level)"}: ${i.message}` })),
    };
  }
  const errors: SpecError[] = [];
  const lines: Record<string, number> = {};
  const sequences: SequenceSpec[] = [];
  for (const [seqName, seq] of Object.entries(parsed.data.sequences)) {
    lines[seqName] = lineOf(["sequences", seqName]);
    const nodes: Record<string, NodeSpec> = {};
    for (const [nodeName, n] of Object.entries(seq.nodes)) {
      const at = (...p: PropertyKey[]) => lineOf(["sequences", seqName, "nodes", nodeName, ...p]);
      lines[`${seqName}/${nodeName}`] = at();
      const err = (message: string, ...p: PropertyKey[]) => errors.push({ file, line: at(...p), node: `${seqName}/${nodeName}`, message: `${seqName}/${nodeName}: ${message}` });
      let retryWaitMillis = 0;
      if (n.retryWait !== undefined) {
        try {
          retryWaitMillis = parseDuration(n.retryWait);
        } catch (e) {
          err((e as Error).message, "retryWait");
        }
      }
      if (n.category !== "conditional" && !n.type) err(`a ${n.category} node needs a type`, "type");
      if (n.category === "conditional" && (!n.if || !n.eq || Object.keys(n.eq).length === 0)) err("a conditional node needs `if` and `eq`", "if");
      if (n.each.length > 0 && n.category !== "sequence") err("`each` expands a sequence; use it on a sequence node", "each");
      if (n.parallel !== undefined && n.each.length === 0) err("`parallel` limits an `each`; this node has none", "parallel");
      const [list, element] = n.each[0]?.split(":") ?? [];
      nodes[nodeName] = {
        name: nodeName, category: n.category, type: n.type,
        args: n.args.map((a) => ({ expected: a.expected, given: a.given ?? a.expected })),
        sets: n.sets, deps: n.deps, retry: n.retry, retryWaitMillis,
        each: list && element ? { list, element } : undefined, parallel: n.parallel, if: n.if, eq: n.eq,
      };
    }
    sequences.push({ name: seqName, file, project: parsed.data.project, request: seq.request, description: seq.description, args: seq.args, nodes });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, spec: { file, revision: createHash("sha256").update(text).digest("hex").slice(0, 12), sequences, lines } };
}
